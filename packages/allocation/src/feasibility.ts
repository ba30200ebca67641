import { type Instance } from './instance';
import { type Plan, planUnit } from './plan';
import { type InfeasibilityReason } from './types';

/**
 * Necessary conditions, checked before any solver runs. Each failed condition is a reason a
 * coordinator can act on (add seats, lift a bar, change a requirement); an instance that passes
 * can still be infeasible (the solver then diagnoses it, see optimal/diagnose.ts).
 *
 * Also returns each unit's best plan on its own (full capacities), which bounds the worst rank
 * from below for OPTIMAL.
 */

const seatsText = (n: number) => `${n} seat${n === 1 ? '' : 's'}`;

export interface FeasibilityReport {
  reasons: InfeasibilityReason[];
  /** Per unit (a student alone, or a pair group), keyed by its first member. */
  soloPlans: Map<number, Plan>;
  /** The units: single students and pair groups, in student order of their first member. */
  units: number[][];
}

export function unitsOf(inst: Instance): number[][] {
  const units: number[][] = [];
  for (const st of inst.students) {
    const g = inst.groupOf[st.index]!;
    if (g === -1) units.push([st.index]);
    else if (inst.groups[g]![0] === st.index) units.push(inst.groups[g]!);
  }
  return units;
}

function studentReasons(inst: Instance, s: number): InfeasibilityReason[] {
  const st = inst.students[s]!;
  const reasons: InfeasibilityReason[] = [];
  const nBlocks = inst.available[s]!.reduce((t, v) => t + v, 0);
  const who = { studentIds: [st.id] };
  if (st.blocksToFill > nBlocks) {
    const away = inst.blocks.filter((_, b) => !inst.available[s]![b]).map((b) => b.label);
    reasons.push({
      kind: 'REQUIREMENT_EXCEEDS_BLOCKS',
      message: away.length
        ? `${st.name} must fill ${st.blocksToFill} blocks but is available in only ${nBlocks} (not in ${away.join(', ')})`
        : `${st.name} must fill ${st.blocksToFill} blocks but there are only ${nBlocks}`,
      ...who,
      shortfall: st.blocksToFill - nBlocks,
    });
    return reasons;
  }
  // A requirement group counts as one: at least its own minimum, at most its own maximum.
  const inGroup = new Set(st.groups.flatMap((g) => g.specs));
  const outside = (values: Int32Array) => values.reduce((t, v, k) => t + (inGroup.has(k) ? 0 : v), 0);
  const minTotal =
    outside(st.min) +
    st.groups.reduce(
      (t, g) =>
        t +
        Math.max(
          g.min,
          g.specs.reduce((u, k) => u + st.min[k]!, 0),
        ),
      0,
    );
  if (minTotal > st.blocksToFill) {
    reasons.push({
      kind: 'REQUIREMENT_INCONSISTENT',
      message: `${st.name}'s required specialties add up to ${minTotal} blocks but they fill only ${st.blocksToFill}`,
      ...who,
      shortfall: minTotal - st.blocksToFill,
    });
  }
  const maxTotal =
    outside(st.max) +
    st.groups.reduce(
      (t, g) =>
        t +
        Math.min(
          g.max,
          g.specs.reduce((u, k) => u + st.max[k]!, 0),
        ),
      0,
    );
  if (maxTotal < st.blocksToFill) {
    reasons.push({
      kind: 'REQUIREMENT_INCONSISTENT',
      message: `${st.name} must fill ${st.blocksToFill} blocks but their requirement allows at most ${maxTotal}`,
      ...who,
      shortfall: st.blocksToFill - maxTotal,
    });
  }
  const blocksBySpec = inst.specialties.map(() => new Set<number>());
  const anyBlock = new Set<number>();
  for (const c of inst.candidates[s]!) {
    const site = inst.sites[c.site]!;
    blocksBySpec[site.spec]!.add(site.block);
    anyBlock.add(site.block);
  }
  inst.specialties.forEach((spec, k) => {
    const need = st.min[k]!;
    if (need === 0) return;
    const have = blocksBySpec[k]!.size;
    if (have === 0) {
      reasons.push({
        kind: 'NO_ELIGIBLE_SITE',
        message: `${st.name} needs ${spec} but no site open to them offers it`,
        ...who,
        specialty: spec,
        shortfall: need,
      });
    } else if (have < need) {
      reasons.push({
        kind: 'TOO_FEW_ELIGIBLE_BLOCKS',
        message: `${st.name} needs ${need} blocks of ${spec} but it is open to them in only ${have}`,
        ...who,
        specialty: spec,
        shortfall: need - have,
      });
    }
  });
  if (anyBlock.size < st.blocksToFill) {
    reasons.push({
      kind: 'TOO_FEW_ELIGIBLE_BLOCKS',
      message: `${st.name} must fill ${st.blocksToFill} blocks but only ${anyBlock.size} have a site open to them`,
      ...who,
      shortfall: st.blocksToFill - anyBlock.size,
    });
  }
  return reasons;
}

function pinReasons(inst: Instance): InfeasibilityReason[] {
  const reasons: InfeasibilityReason[] = [];
  const perSite = new Map<number, string[]>();
  for (const pin of inst.pins) {
    const st = inst.students[pin.student]!;
    const block = inst.blocks[pin.block]!;
    const base = { studentIds: [st.id], departmentId: pin.departmentId, blockId: block.id };
    if (pin.site === -1) {
      // Named as the snapshot names it (the department offers no seat to the school here, so no site of theirs does).
      const known = [...inst.input.sites, ...(inst.input.departments ?? [])].find((x) => x.departmentId === pin.departmentId);
      const where = known?.departmentName
        ? `${known.departmentName}${known.hospitalName ? ` (${known.hospitalName})` : ''}`
        : 'a department';
      reasons.push({
        kind: 'PIN_CONFLICT',
        message: `${st.name} is pinned to ${where} in ${block.label}, which has no seats there for their school`,
        ...base,
      });
      continue;
    }
    const site = inst.sites[pin.site]!;
    const why = inst.ineligibility(pin.student, site);
    if (why !== null || site.seats === 0) {
      const text = {
        BARRED: 'a bar',
        UNAVAILABLE: 'their unavailability in that block',
        PREREQUISITE: 'a prerequisite',
        OTHER_SCHOOL: 'a school reservation',
        SPECIALTY_NOT_ALLOWED: 'their requirement',
      }[why as 'BARRED' | 'UNAVAILABLE' | 'PREREQUISITE' | 'OTHER_SCHOOL' | 'SPECIALTY_NOT_ALLOWED'];
      reasons.push({
        kind: 'PIN_CONFLICT',
        message: `${st.name}'s pin to ${site.departmentName} in ${block.label} conflicts with ${text ?? 'a capacity of zero seats'}`,
        ...base,
      });
    }
    const list = perSite.get(pin.site);
    if (list) list.push(st.id);
    else perSite.set(pin.site, [st.id]);
  }
  const perStudentBlock = new Map<string, Set<number>>();
  for (const pin of inst.pins) {
    const key = `${pin.student}:${pin.block}`;
    const sites = perStudentBlock.get(key) ?? new Set<number>();
    sites.add(pin.site);
    perStudentBlock.set(key, sites);
  }
  for (const [key, sites] of perStudentBlock) {
    if (sites.size > 1) {
      const [s, b] = key.split(':').map(Number) as [number, number];
      reasons.push({
        kind: 'PIN_CONFLICT',
        message: `${inst.students[s]!.name} is pinned to ${sites.size} departments in ${inst.blocks[b]!.label}`,
        studentIds: [inst.students[s]!.id],
        blockId: inst.blocks[b]!.id,
      });
    }
  }
  for (const [siteIndex, ids] of perSite) {
    const site = inst.sites[siteIndex]!;
    if (ids.length > site.seats) {
      reasons.push({
        kind: 'PIN_OVER_CAPACITY',
        message: `${ids.length} students are pinned to ${site.departmentName} in ${inst.blocks[site.block]!.label}, which has ${seatsText(site.seats)}`,
        studentIds: ids,
        departmentId: site.departmentId,
        blockId: inst.blocks[site.block]!.id,
        shortfall: ids.length - site.seats,
      });
    }
  }
  return reasons;
}

function capacityReasons(inst: Instance): InfeasibilityReason[] {
  const reasons: InfeasibilityReason[] = [];
  const nBlocks = inst.blocks.length;
  // Per specialty (and per school when seats are reserved): required blocks vs seats open.
  const schools = [...new Set(inst.students.map((s) => s.schoolId))].sort();
  const reserved = inst.sites.some((x) => x.schoolId !== null);
  inst.specialties.forEach((spec, k) => {
    const demand = inst.students.reduce((t, s) => t + s.min[k]!, 0);
    const seats = inst.sites.filter((x) => x.spec === k).reduce((t, x) => t + x.seats, 0);
    if (demand > seats) {
      reasons.push({
        kind: 'SPECIALTY_CAPACITY',
        message: `students need ${demand} blocks of ${spec} but the sites offer ${seats} seat-blocks (${demand - seats} short)`,
        specialty: spec,
        shortfall: demand - seats,
      });
      return;
    }
    if (!reserved) return;
    for (const school of schools) {
      const d = inst.students.filter((s) => s.schoolId === school).reduce((t, s) => t + s.min[k]!, 0);
      const open = inst.sites
        .filter((x) => x.spec === k && (x.schoolId === null || x.schoolId === school))
        .reduce((t, x) => t + x.seats, 0);
      if (d > open) {
        reasons.push({
          kind: 'SPECIALTY_CAPACITY',
          message: `students of school ${school} need ${d} blocks of ${spec} but only ${open} seat-blocks are open to them (${d - open} short)`,
          specialty: spec,
          shortfall: d - open,
        });
      }
    }
  });
  const totalDemand = inst.students.reduce((t, s) => t + s.blocksToFill, 0);
  const totalSeats = inst.sites.reduce((t, x) => t + x.seats, 0);
  if (totalDemand > totalSeats) {
    reasons.push({
      kind: 'SEAT_SHORTAGE',
      message: `students must fill ${totalDemand} student-blocks but all sites together offer ${totalSeats}`,
      shortfall: totalDemand - totalSeats,
    });
  }
  // A student takes at most one seat per block: a block's seats beyond the number of students
  // cannot absorb demand from the blocks that are short.
  const usable = inst.sitesByBlock.reduce(
    (t, sites) =>
      t +
      Math.min(
        inst.students.length,
        sites.reduce((u, x) => u + x.seats, 0),
      ),
    0,
  );
  if (totalDemand <= totalSeats && totalDemand > usable) {
    reasons.push({
      kind: 'BLOCK_CAPACITY',
      message: `students must fill ${totalDemand} student-blocks but, one seat per student and block, the blocks can take only ${usable}: add seats to the short blocks`,
      shortfall: totalDemand - usable,
    });
  }
  // Students who fill every block are in every block.
  const always = inst.students.filter((s) => s.blocksToFill >= nBlocks).length;
  inst.blocks.forEach((block, b) => {
    const seats = inst.sitesByBlock[b]!.reduce((t, x) => t + x.seats, 0);
    if (always > seats) {
      reasons.push({
        kind: 'BLOCK_CAPACITY',
        message: `${always} students must be placed in every block but ${block.label} has ${seatsText(seats)}`,
        blockId: block.id,
        shortfall: always - seats,
      });
    }
  });
  return reasons;
}

function pairReasons(inst: Instance, group: number[], plan: Plan): InfeasibilityReason[] {
  const ids = group.map((s) => inst.students[s]!.id);
  const names = group.map((s) => inst.students[s]!.name).join(' and ');
  const first = inst.students[group[0]!]!;
  if (group.some((s) => inst.students[s]!.blocksToFill !== first.blocksToFill)) {
    return [
      { kind: 'PAIR_INCOMPATIBLE', message: `${names} must be placed together but fill different numbers of blocks`, studentIds: ids },
    ];
  }
  const common = new Set(inst.candidates[group[0]!]!.filter((c) => inst.sites[c.site]!.seats >= group.length).map((c) => c.site));
  for (const s of group.slice(1)) {
    const mine = new Set(inst.candidates[s]!.map((c) => c.site));
    for (const site of [...common]) if (!mine.has(site)) common.delete(site);
  }
  if (common.size === 0) {
    return [
      {
        kind: 'PAIR_NO_COMMON_SITE',
        message: `${names} must be placed together but no site is open to all of them with enough seats`,
        studentIds: ids,
      },
    ];
  }
  return [{ kind: 'PAIR_INCOMPATIBLE', message: `${names} cannot be placed together: ${plan.reason}`, studentIds: ids }];
}

export function checkNecessaryConditions(inst: Instance): FeasibilityReport {
  const reasons: InfeasibilityReason[] = [];
  const studentLevel = new Set<number>();
  for (const st of inst.students) {
    const r = studentReasons(inst, st.index);
    if (r.length) studentLevel.add(st.index);
    reasons.push(...r);
  }
  const pins = pinReasons(inst);
  for (const r of pins) for (const id of r.studentIds ?? []) studentLevel.add(inst.studentIndex.get(id)!);
  reasons.push(...pins);
  const units = unitsOf(inst);
  const soloPlans = new Map<number, Plan>();
  for (const unit of units) {
    if (unit.some((s) => studentLevel.has(s))) continue;
    const plan = planUnit(inst, unit, null);
    soloPlans.set(unit[0]!, plan);
    // An approximate plan's failure proves nothing (see Plan.approximate): the solver decides.
    if (plan.feasible || plan.approximate) continue;
    if (unit.length > 1) {
      reasons.push(...pairReasons(inst, unit, plan));
    } else {
      const st = inst.students[unit[0]!]!;
      reasons.push({
        kind: 'STUDENT_CANNOT_COMPLETE',
        message: `${st.name} cannot be given a complete schedule even with every seat free: ${plan.reason}`,
        studentIds: [st.id],
      });
    }
  }
  reasons.push(...capacityReasons(inst));
  return { reasons, soloPlans, units };
}

/**
 * Each student's floor: the worst rank they (with their pair) get alone with every seat free,
 * pins aside. No allocation can do better for them; OPTIMAL measures its worst rank above it.
 */
export function floorsOf(inst: Instance, report: FeasibilityReport): Int32Array {
  const floor = new Int32Array(inst.students.length);
  for (const unit of report.units) for (const s of unit) floor[s] = report.soloPlans.get(unit[0]!)?.worst ?? 0;
  return floor;
}
