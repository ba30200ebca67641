import { type Instance } from '../instance';
import { type InfeasibilityReason } from '../types';
import { buildMonolithic } from './monolithic';
import { type Session } from './session';

/**
 * A small conflicting set of an infeasible instance: the students' requirements (each with its
 * own pins, bars, prerequisites, availability and precedences; a pair group counts as one) and
 * the seat limits that cannot all hold together, found by a deletion filter over these groups.
 * Dropping a student's requirement means leaving them out; dropping a seat limit means as many
 * seats there as anyone wants. Starting from everything, groups are dropped in halving chunks
 * (then one by one) whenever the rest is still infeasible; what remains is infeasible, and —
 * when every feasibility check answered in time — minimal: dropping any one of its groups leaves
 * a complete allocation of the others. Feasibility is monotone (fewer constraints never make an
 * instance infeasible), which is what makes the filter correct.
 */

export interface ConflictItem {
  kind: 'REQUIREMENT' | 'SEATS';
  /** REQUIREMENT: the unit's students (one, or a pair group). */
  students?: number[];
  /** SEATS: the site. */
  site?: number;
}

export interface ConflictSet {
  items: ConflictItem[];
  /** Every check answered: the set is minimal. */
  minimal: boolean;
  checks: number;
}

/** Unbounded seats for a dropped limit (more than every candidate together). */
const UNLIMITED = 1 << 30;

export function findConflictSet(session: Session, budgetSeconds: number): ConflictSet | null {
  const { inst, ctx } = session;
  const deadline = ctx.elapsed() + budgetSeconds;
  const units: number[][] = [];
  const seen = new Set<number>();
  for (const st of inst.students) {
    if (seen.has(st.index)) continue;
    const g = inst.groupOf[st.index]!;
    const members = g === -1 ? [st.index] : inst.groups[g]!;
    members.forEach((m) => seen.add(m));
    units.push(members);
  }
  // Only seat limits that some students could exceed can be part of a conflict.
  const demand = new Int32Array(inst.sites.length);
  for (const list of inst.candidates) for (const c of list) demand[c.site] = demand[c.site]! + 1;
  const items: ConflictItem[] = [
    ...units.map((students): ConflictItem => ({ kind: 'REQUIREMENT', students })),
    ...inst.sites.filter((x) => demand[x.index]! > x.seats).map((x): ConflictItem => ({ kind: 'SEATS', site: x.index })),
  ];
  let minimal = true;
  let checks = 0;
  const caps = new Int32Array(inst.students.length).fill(inst.unrankedRank);
  /** true: infeasible; false: feasible or undecided in time (then the set is kept, possibly not minimal). */
  const infeasible = (set: ConflictItem[]): boolean => {
    const remaining = deadline - ctx.elapsed();
    if (remaining <= 0) {
      minimal = false;
      return false;
    }
    checks++;
    const only = new Set(set.flatMap((i) => i.students ?? []));
    const seats = Int32Array.from(inst.sites, () => UNLIMITED);
    for (const i of set) if (i.kind === 'SEATS') seats[i.site!] = inst.sites[i.site!]!.seats;
    // Students outside the set are left out; their pins hold no seat here.
    const model = buildMonolithic(inst, caps, { only, seats });
    const out = session.mip(model.model, { seconds: remaining, relGap: 1 });
    if (out.status === 'INFEASIBLE') return true;
    if (out.status === 'NO_SOLUTION') minimal = false;
    return false;
  };
  if (!infeasible(items)) return null;
  let set = items;
  let chunk = Math.max(1, Math.ceil(set.length / 2));
  for (;;) {
    for (let i = 0; i < set.length;) {
      const trial = [...set.slice(0, i), ...set.slice(i + chunk)];
      if (trial.length && infeasible(trial)) set = trial;
      else i += chunk;
    }
    if (chunk === 1) break;
    chunk = Math.ceil(chunk / 2);
  }
  // One requirement alone (every seat free) is the student's own impossibility, which the
  // per-student reasons already name: no conflict between several things to report.
  return set.length > 1 ? { items: set, minimal, checks } : null;
}

const list = (words: string[]) => (words.length <= 1 ? words.join('') : `${words.slice(0, -1).join(', ')} and ${words.at(-1)}`);

/** "Ada Lovelace's requirement (2 blocks: 1 of SURGERY …)" in words. */
function requirementWords(inst: Instance, s: number): string {
  const st = inst.students[s]!;
  const parts: string[] = [];
  inst.specialties.forEach((k, i) => {
    if (st.min[i]! > 0) parts.push(`${st.min[i]} of ${k}`);
  });
  for (const g of st.groups) parts.push(g.label);
  const pins = inst.pinsByStudent[s]!.map(
    (p) => `${inst.sites[p.site]?.departmentName ?? p.departmentId} in ${inst.blocks[p.block]!.label}`,
  );
  const away = inst.blocks.filter((_, b) => !inst.available[s]![b]).map((b) => b.label);
  return [
    `${st.name}'s requirement (${st.blocksToFill} block${st.blocksToFill === 1 ? '' : 's'}${parts.length ? `: ${parts.join(', ')}` : ''})`,
    pins.length ? `fixed at ${list(pins)}` : '',
    away.length ? `away in ${list(away)}` : '',
  ]
    .filter(Boolean)
    .join(', ');
}

/** The conflicting set as one reason, in words: whose requirements, which seats. */
export function conflictReason(inst: Instance, conflict: ConflictSet): InfeasibilityReason {
  const students = conflict.items.flatMap((i) => i.students ?? []).sort((a, b) => a - b);
  const seats = conflict.items
    .filter((i) => i.kind === 'SEATS')
    .map((i) => inst.sites[i.site!]!)
    .sort((a, b) => a.block - b.block || a.departmentName.localeCompare(b.departmentName));
  const words = [
    ...students.map((s) => requirementWords(inst, s)),
    ...seats.map(
      (x) => `the ${x.seats} seat${x.seats === 1 ? '' : 's'} at ${x.departmentName} (${x.hospitalName}) in ${inst.blocks[x.block]!.label}`,
    ),
  ];
  const tail = conflict.minimal
    ? 'Lifting any one of them (more seats at that site, or that requirement changed) would let all the others be met.'
    : 'This set is small but not proven minimal (the checks ran out of time).';
  return {
    kind: 'CONFLICTING_SET',
    message: `These cannot all be met together: ${words.join('; ')}. ${tail}`,
    studentIds: students.map((s) => inst.students[s]!.id),
    conflict: {
      studentIds: students.map((s) => inst.students[s]!.id),
      seats: seats.map((x) => ({ departmentId: x.departmentId, blockId: inst.blocks[x.block]!.id, seats: x.seats })),
      minimal: conflict.minimal,
    },
  };
}
