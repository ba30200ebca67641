import { buildInstance, type Instance } from '../instance';
import { type InfeasibilityReason } from '../types';
import { type Part, partsOf, relaxedInput, withoutOrphans } from './conflict-parts';
import { conflictMessage, describeParts } from './conflict-words';
import { buildMonolithic } from './monolithic';
import { type Session } from './session';

/**
 * A small conflicting set of an infeasible instance, in two deletion filters (ADR 0045):
 *
 * 1. over units: the students' requirements (each with its own pins, bars, prerequisites,
 *    availability and precedences; a pair group counts as one) and the seat limits. Dropping a
 *    student's requirement means leaving them out; dropping a seat limit means as many seats
 *    there as anyone wants.
 * 2. over the single constraints of the students found (conflict-parts.ts): each student's
 *    placement, specialty minimums and maximums, rotation lengths, electives' cap, groups,
 *    department limit, pins, bars, absences, prerequisites, precedences and pairs, the hospital
 *    limits and staffing minimums, and the seat limits of (1).
 *
 * Each filter starts from everything and drops parts in halving chunks (then one by one)
 * whenever the rest is still infeasible; what remains is infeasible and — when every check
 * answered in time — minimal: lifting any one of its parts (or leaving out any one of its
 * students) leaves a complete allocation of the others. A pin the model cannot express (a site
 * closed to the student) makes a check infeasible without a solve. Feasibility is monotone
 * (fewer constraints never make an instance infeasible), which is what makes the filters
 * correct; minimum staffing ("at least m or none") is the exception: with it, the set is still
 * infeasible but minimality is not guaranteed.
 */

export interface ConflictItem {
  kind: 'REQUIREMENT' | 'SEATS';
  /** REQUIREMENT: the unit's students (one, or a pair group). */
  students?: number[];
  /** SEATS: the site. */
  site?: number;
}

export interface ConflictSet {
  /** The students of the units the first filter kept, in index order. */
  students: number[];
  /** The single constraints the second filter kept. */
  parts: Part[];
  /** Every check answered: the set is minimal. */
  minimal: boolean;
  checks: number;
}

/** Unbounded seats for a dropped limit (more than every candidate together). */
const UNLIMITED = 1 << 30;

/** The deletion filter: drops chunks of `set` (halving) while `infeasible` holds for the rest. */
function deletionFilter<T>(start: T[], infeasible: (set: T[]) => boolean, tidy: (set: T[]) => T[] = (x) => x): T[] {
  let set = start;
  let chunk = Math.max(1, Math.ceil(set.length / 2));
  for (;;) {
    for (let i = 0; i < set.length;) {
      const trial = tidy([...set.slice(0, i), ...set.slice(i + chunk)]);
      if (trial.length && infeasible(trial)) set = trial;
      else i += chunk;
    }
    if (chunk === 1) break;
    chunk = Math.ceil(chunk / 2);
  }
  return set;
}

/** A pin at a site closed to its student: the model has no column for it, so it cannot hold. */
function pinImpossible(inst: Instance, students: Iterable<number>): boolean {
  for (const s of students) {
    const open = new Set(inst.candidates[s]!.map((c) => c.site));
    if (inst.pinsByStudent[s]!.some((pin) => pin.site === -1 || !open.has(pin.site))) return true;
  }
  return false;
}

/** How many suspected units are tried alone before the filter over everything. */
const SUSPECTS_TRIED = 20;

/**
 * `suspects`: students a necessary condition already names; a unit of theirs that is infeasible
 * on its own (every seat free) is the first filter's answer at once, without solving the cohort.
 */
export function findConflictSet(session: Session, budgetSeconds: number, suspects: readonly number[] = []): ConflictSet | null {
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
  /** Solves `model`: true when proven infeasible; false when feasible or undecided in time (then not minimal). */
  const solveInfeasible = (build: () => Parameters<Session['mip']>[0]): boolean => {
    const remaining = deadline - ctx.elapsed();
    if (remaining <= 0) {
      minimal = false;
      return false;
    }
    checks++;
    const out = session.mip(build(), { seconds: remaining, relGap: 1 });
    if (out.status === 'INFEASIBLE') return true;
    if (out.status === 'NO_SOLUTION') minimal = false;
    return false;
  };
  /** Only `parts` of `students` hold (conflict-parts.ts): built as an input, solved with the full model. */
  const partsInfeasible = (students: number[], parts: Part[], seatParts: ReadonlySet<number>): boolean => {
    const relaxed = buildInstance(relaxedInput(inst, students, parts, seatParts));
    if (pinImpossible(relaxed, relaxed.students.keys())) return true;
    return solveInfeasible(() => buildMonolithic(relaxed, new Int32Array(relaxed.students.length).fill(relaxed.unrankedRank)).model);
  };
  const caps = new Int32Array(inst.students.length).fill(inst.unrankedRank);
  const unitsInfeasible = (set: ConflictItem[]): boolean => {
    const only = new Set(set.flatMap((i) => i.students ?? []));
    if (pinImpossible(inst, only)) return true;
    if (inst.staffed.length) {
      // The model reads lifted seat limits as seats already taken by someone outside it, which
      // minimum staffing counts: with staffing, the students' whole constraints go through the
      // input instead (every seat limit outside the set lifted, nobody else there).
      const students = [...only].sort((a, b) => a - b);
      const sites = set.filter((i) => i.kind === 'SEATS').map((i) => i.site!);
      const parts = partsOf(inst, students, sites);
      return partsInfeasible(students, parts, new Set(parts.filter((p) => p.kind === 'SEATS').map((p) => p.site!)));
    }
    const seats = Int32Array.from(inst.sites, () => UNLIMITED);
    for (const i of set) if (i.kind === 'SEATS') seats[i.site!] = inst.sites[i.site!]!.seats;
    // Students outside the set are left out; their pins hold no seat here.
    return solveInfeasible(() => buildMonolithic(inst, caps, { only, seats }).model);
  };
  const suspected = new Set(suspects);
  const alone = units
    .filter((u) => u.some((s) => suspected.has(s)))
    .slice(0, SUSPECTS_TRIED)
    .find((u) => unitsInfeasible([{ kind: 'REQUIREMENT', students: u }]));
  let units1: ConflictItem[];
  if (alone) units1 = [{ kind: 'REQUIREMENT', students: alone }];
  else if (unitsInfeasible(items)) units1 = deletionFilter(items, unitsInfeasible);
  else return null;
  const students = units1.flatMap((i) => i.students ?? []).sort((a, b) => a - b);
  const sites = units1.filter((i) => i.kind === 'SEATS').map((i) => i.site!);

  // The single constraints of those students (and the seat limits kept), one by one.
  const all = partsOf(inst, students, sites);
  const seatParts = new Set(all.filter((p) => p.kind === 'SEATS').map((p) => p.site!));
  const only = (parts: Part[]) => partsInfeasible(students, parts, seatParts);
  // The whole of (1) in single parts is the same instance, save where minimum staffing decides
  // differently with fewer students: then every part is reported, not proven minimal.
  if (!only(all)) return { students, parts: all, minimal: false, checks };
  const parts = deletionFilter(all, only, withoutOrphans);
  return { students, parts, minimal, checks };
}

/** The conflicting set as one reason: every part in words, the students and seat limits it names. */
export function conflictReason(inst: Instance, conflict: ConflictSet): InfeasibilityReason {
  const parts = describeParts(inst, conflict.parts);
  const named = new Set(parts.flatMap((p) => p.studentIds ?? []));
  const studentIds = conflict.students.map((s) => inst.students[s]!.id).filter((id) => named.has(id));
  const seats = conflict.parts
    .filter((p) => p.kind === 'SEATS')
    .map((p) => inst.sites[p.site!]!)
    .map((x) => ({ departmentId: x.departmentId, blockId: inst.blocks[x.block]!.id, seats: x.seats }));
  return {
    kind: 'CONFLICTING_SET',
    message: conflictMessage(parts, conflict.minimal),
    studentIds,
    conflict: { studentIds, seats, minimal: conflict.minimal, parts },
  };
}
