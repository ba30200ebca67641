import { type Instance } from './instance';
import { planWithRotations } from './plan-rotations';
import { MinCostFlow } from './solver/min-cost-flow';

/**
 * The best schedule for one student (or one pair group) on its own, given the seats still open:
 * first the smallest worst rank, then the smallest total rank, subject to the student's
 * requirement, eligibility and pins. Choosing "which specialty in which block" is a
 * transportation problem (blocks → specialties with lower and upper bounds), solved exactly by a
 * tiny min-cost flow for each candidate worst rank. Used by the lottery (each student's turn), by
 * the necessary-condition checks (can this student be completed at all?) and for lower bounds.
 */

export interface PlanPick {
  block: number;
  site: number;
}

export interface PinnedPick extends PlanPick {
  /** Members placed there by a mate's pin (their seats are not reserved yet). */
  extra: number;
}

export interface Plan {
  feasible: boolean;
  /** Worst and total rank of the chosen (non-pinned) blocks, summed over the unit's members. */
  worst: number;
  sum: number;
  picks: PlanPick[];
  pinned: PinnedPick[];
  /** Plain-English reason when infeasible. */
  reason?: string;
  /**
   * The hospital limits needed more branching than EXACT_BRANCHES allows: the plan is valid but
   * may not be the best, and "infeasible" may be wrong (callers must not treat it as proof).
   */
  approximate?: boolean;
}

/**
 * Flow solves the exact hospital-limit branching may spend in one plan: sharing L blocks among n
 * departments has C(L+n-1, n-1) ways (4 among 12 departments: 1,365), nested per hospital.
 * Beyond it, a hospital over its limit loses one block at its busiest department per re-solve.
 */
const EXACT_BRANCHES = 200;
/** Flow costs are integers: rank sums scaled by TIE_SCALE, plus tie penalties below one rank step. */
export const TIE_SCALE = 10_000;

/**
 * A site's ranks for a unit (a student or a pair placed together): the worst and the sum of its
 * members' ranks, or worst -1 when a member may not go there (rank 0).
 */
export function unitRanks(ranks: readonly ArrayLike<number>[], siteIndex: number): { worst: number; sum: number } {
  let worst = 0;
  let sum = 0;
  for (const r of ranks) {
    const v = r[siteIndex]!;
    if (v === 0) return { worst: -1, sum };
    worst = Math.max(worst, v);
    sum += v;
  }
  return { worst, sum };
}
/**
 * One network, emptied for each flow (ADR 0054): a flow is built, run and read before the next
 * one starts (the hospital branches and rotation combinations call them one after another).
 */
const pooledFlow = new MinCostFlow(0);

/** Worth more than any schedule's cost: the first `min` units of each specialty are mandatory. */
const BIG = 1e13;

/** Ways to share `total` among parts with these caps (counted up to EXACT_BRANCHES + 1). */
function waysToShare(total: number, caps: readonly number[]): number {
  let ways = new Array<number>(total + 1).fill(0);
  ways[0] = 1;
  for (const cap of caps) {
    const next = new Array<number>(total + 1).fill(0);
    for (let t = 0; t <= total; t++) for (let q = 0; q <= Math.min(cap, t); q++) next[t]! += ways[t - q]!;
    ways = next.map((v) => Math.min(v, EXACT_BRANCHES + 1));
  }
  return ways[total]!;
}

/** Merged requirement of a unit: everyone in a group does the same blocks at the same places. */
function mergedRequirement(inst: Instance, members: readonly number[]) {
  const nSpec = inst.specialties.length;
  const first = inst.students[members[0]!]!;
  const min = Int32Array.from(first.min);
  const max = Int32Array.from(first.max);
  let departmentMax = first.departmentMax;
  for (const s of members.slice(1)) {
    const st = inst.students[s]!;
    if (st.blocksToFill !== first.blocksToFill) {
      return { error: `the students placed together must fill the same number of blocks (${first.blocksToFill} vs ${st.blocksToFill})` };
    }
    for (let k = 0; k < nSpec; k++) {
      min[k] = Math.max(min[k]!, st.min[k]!);
      max[k] = Math.min(max[k]!, st.max[k]!);
    }
    departmentMax = Math.min(departmentMax, st.departmentMax);
    if (JSON.stringify(st.groups) !== JSON.stringify(first.groups))
      return { error: 'the students placed together must have the same requirement groups' };
  }
  for (let k = 0; k < nSpec; k++) {
    if (min[k]! > max[k]!) return { error: `the requirements of the students placed together disagree on ${inst.specialties[k]}` };
  }
  return { blocksToFill: first.blocksToFill, min, max, departmentMax, groups: first.groups };
}

/**
 * @param seatsLeft open seats per site (pins already deducted), or null for the full capacities.
 * @param optionalCap per specialty, how many blocks beyond the unit's minimum it may take (the
 *   lottery keeps the seats later students need for their own minimums); null = no cap.
 * @param tieBreak per site, a penalty in [0, 1) used only between schedules of equal ranks (the
 *   lottery prefers the blocks with the most seats to spare); null = earliest site.
 */
export function planUnit(
  inst: Instance,
  members: readonly number[],
  seatsLeft: Int32Array | null,
  optionalCap: Int32Array | null = null,
  tieBreak: Float64Array | null = null,
): Plan {
  if (members.every((m) => !inst.students[m]!.longRotations.length)) return planCore(inst, members, seatsLeft, optionalCap, tieBreak);
  return planWithRotations(inst, members, seatsLeft, optionalCap, tieBreak, planCore);
}

/**
 * A fixed rotation block for planCore: placed before the flow runs (like a pin, but chosen by
 * the planner, so its rank counts and it is returned among the picks).
 */
export interface FixedPick extends PlanPick {
  worst: number;
  sum: number;
  cost: number;
}

export type PlanCore = typeof planCore;

/**
 * For bounds in planWithRotations: the unit's rotations take `blocks[k]` blocks of each long
 * specialty, but in no block in particular (the flow may use every block). With `loosest`, only
 * the loosest worst rank is tried, so the plan's cost is the least the rest can cost at all.
 */
export interface RelaxedRotations {
  blocks: Int32Array;
  loosest: boolean;
}

/** A site open to the whole unit in a block, with its ranks and flow cost (see planCore). */
interface PlanOption {
  block: number;
  spec: number;
  dept: number;
  site: number;
  worst: number;
  sum: number;
  cost: number;
}

/**
 * What planCore computes once per unit and may share between calls with the same unit, open
 * seats, caps and tie penalties (planWithRotations: one per combination): the members' ranks of
 * every site and the options of the blocks its pins leave. Filled on first use.
 */
export interface PlanShared {
  ranks?: Int32Array[];
  options?: PlanOption[];
}

/** rank[m][site] (0 = not a candidate for that member). */
function ranksOf(inst: Instance, members: readonly number[]): Int32Array[] {
  return members.map((s) => {
    const r = new Int32Array(inst.sites.length);
    for (const c of inst.candidates[s]!) r[c.site] = c.rank;
    return r;
  });
}

const departmentCache = new WeakMap<Instance, { specOfDept: Int32Array; hospitalOfDept: Int32Array }>();
/** Each department's specialty and hospital (by index), once per instance. */
export function departmentsOf(inst: Instance): { specOfDept: Int32Array; hospitalOfDept: Int32Array } {
  let out = departmentCache.get(inst);
  if (!out) {
    out = { specOfDept: new Int32Array(inst.departments.length), hospitalOfDept: new Int32Array(inst.departments.length) };
    for (const site of inst.sites) {
      out.specOfDept[site.department] = site.spec;
      out.hospitalOfDept[site.department] = site.hospital;
    }
    departmentCache.set(inst, out);
  }
  return out;
}

/**
 * Which plans a caller can still use (planWithRotations, once it holds a best plan): a worst rank
 * below `worst`, or equal to it with a cost (fixed blocks included) below `cost`. planCore may
 * answer "infeasible" instead of a plan that is not wanted, and so skip the flows that could only
 * find such plans (ADR 0049).
 */
export interface PlanCutoff {
  worst: number;
  cost: number;
}

/**
 * planUnit with some blocks already decided (`fixed`, rotations longer than one block chosen by
 * planWithRotations): the long specialties themselves are kept out of the flow. `floorWorst` is a
 * worst rank no plan can beat (a relaxation's, see planWithRotations): the worst ranks below it
 * are not tried, since each would be one flow that cannot succeed. `wanted`: see PlanCutoff.
 */
export function planCore(
  inst: Instance,
  members: readonly number[],
  seatsLeft: Int32Array | null,
  optionalCap: Int32Array | null = null,
  tieBreak: Float64Array | null = null,
  fixed: readonly FixedPick[] = [],
  relaxed: RelaxedRotations | null = null,
  floorWorst = 0,
  shared: PlanShared | null = null,
  wanted: PlanCutoff | null = null,
): Plan & { cost?: number; blockValues?: Float64Array } {
  const fail = (reason: string): Plan => ({ feasible: false, worst: 0, sum: 0, picks: [], pinned: [], reason });
  const req = mergedRequirement(inst, members);
  if ('error' in req) return fail(req.error!);
  const nBlocks = inst.blocks.length;
  const nSpec = inst.specialties.length;
  const size = members.length;

  // rank[m][site] (0 = not a candidate for that member).
  const ranks = (shared ? (shared.ranks ??= ranksOf(inst, members)) : null) ?? ranksOf(inst, members);

  const pinnedSite = new Int32Array(nBlocks).fill(-1);
  const pinnedPerSpec = new Int32Array(nSpec);
  const pinned: PinnedPick[] = [];
  for (const s of members) {
    for (const pin of inst.pinsByStudent[s]!) {
      const student = inst.students[s]!.name;
      const blockLabel = inst.blocks[pin.block]!.label;
      if (pin.site === -1)
        return fail(`${student} is pinned to department ${pin.departmentId} in ${blockLabel}, which offers no seat there for their school`);
      if (ranks.some((r) => r[pin.site] === 0))
        return fail(`the pin of ${student} to ${pin.departmentId} in ${blockLabel} conflicts with a bar, a prerequisite or a requirement`);
      const current = pinnedSite[pin.block]!;
      if (current !== -1 && current !== pin.site) return fail(`two different pins in ${blockLabel} (${student})`);
      if (current === -1) {
        pinnedSite[pin.block] = pin.site;
        pinnedPerSpec[inst.sites[pin.site]!.spec]!++;
        pinned.push({ block: pin.block, site: pin.site, extra: 0 });
      }
    }
  }
  // A pin holds one seat; the mates it drags along need seats of their own.
  for (const p of pinned) {
    const own = members.filter((s) => inst.pinsByStudent[s]!.some((pin) => pin.site === p.site)).length;
    p.extra = size - own;
    const open = seatsLeft ? seatsLeft[p.site]! : inst.sites[p.site]!.seats - own;
    if (p.extra > open)
      return fail(
        `${inst.sites[p.site]!.departmentName} in ${inst.blocks[p.block]!.label} has no seat for the students placed with ${inst.students[members[0]!]!.name}`,
      );
  }
  // Rotations chosen outside the flow hold their blocks like pins (their seats were checked).
  const long = new Set(members.flatMap((m) => inst.students[m]!.longRotations));
  for (const f of fixed) {
    if (pinnedSite[f.block] !== -1) return fail(`two placements in ${inst.blocks[f.block]!.label}`);
    pinnedSite[f.block] = f.site;
    pinnedPerSpec[inst.sites[f.site]!.spec]!++;
  }
  // A bound (see RelaxedRotations): rotation blocks counted, but in no particular block.
  let virtualBlocks = 0;
  if (relaxed)
    relaxed.blocks.forEach((n, k) => {
      pinnedPerSpec[k]! += n;
      virtualBlocks += n;
    });
  const held = [...pinned, ...fixed];
  const fixedWorst = fixed.reduce((m, f) => Math.max(m, f.worst), 0);
  const fixedSum = fixed.reduce((t, f) => t + f.sum, 0);
  const fixedCost = fixed.reduce((t, f) => t + f.cost, 0);
  const withFixed = (plan: Plan, cost: number): Plan & { cost: number } => ({
    ...plan,
    worst: Math.max(plan.worst, fixedWorst),
    sum: plan.sum + fixedSum,
    picks: [...fixed.map((f) => ({ block: f.block, site: f.site })), ...plan.picks].sort((a, b) => a.block - b.block),
    cost: cost + fixedCost,
  });
  const need = req.blocksToFill - held.length - virtualBlocks;
  if (need < 0) return fail(`more pinned blocks (${pinned.length}) than blocks to fill (${req.blocksToFill})`);
  const min = new Int32Array(nSpec);
  const max = new Int32Array(nSpec);
  for (let k = 0; k < nSpec; k++) {
    min[k] = Math.max(0, req.min[k]! - pinnedPerSpec[k]!);
    max[k] = req.max[k]! - pinnedPerSpec[k]!;
    if (max[k]! < 0) return fail(`pins give more ${inst.specialties[k]} blocks than allowed`);
  }

  // Options: (block, specialty, site, worst, sum) for every site open to the whole unit.
  // Tie penalties are scaled so that all of them together stay below one rank step.
  const tieUnit = Math.floor((TIE_SCALE - 1) / (nBlocks + 1));
  // Built once per unit (`shared`) over the blocks its pins leave; the fixed blocks are left out here.
  const pinBlock = new Uint8Array(nBlocks);
  for (const p of pinned) pinBlock[p.block] = 1;
  const buildOptions = (): PlanOption[] => {
    const all: PlanOption[] = [];
    for (let b = 0; b < nBlocks; b++) {
      if (pinBlock[b]) continue;
      for (const site of inst.sitesByBlock[b]!) {
        if (long.has(site.spec)) continue;
        if ((seatsLeft ? seatsLeft[site.index]! : site.seats) < size) continue;
        const { worst, sum } = unitRanks(ranks, site.index);
        if (worst > 0)
          all.push({
            block: b,
            spec: site.spec,
            dept: site.department,
            site: site.index,
            worst,
            sum,
            cost: sum * TIE_SCALE + (tieBreak ? Math.floor(tieBreak[site.index]! * tieUnit) : 0),
          });
      }
    }
    return all;
  };
  const unitOptions = (shared ? (shared.options ??= buildOptions()) : null) ?? buildOptions();
  // One pass over the unit's options for what this call reads of them: those its fixed blocks
  // leave, their worst ranks and their specialties (this set-up ran once per rotation
  // combination, in separate passes that cost about as much as the flow itself; ADR 0058).
  const options: PlanOption[] = fixed.length ? [] : unitOptions;
  const worstRanks = new Set<number>();
  const inFlow = new Uint8Array(nSpec);
  for (const o of unitOptions) {
    if (fixed.length) {
      if (pinnedSite[o.block] !== -1) continue;
      options.push(o);
    }
    worstRanks.add(o.worst);
    inFlow[o.spec] = 1;
  }
  const pinnedPicks = pinned.sort((a, b) => a.block - b.block);
  const thresholds = [...worstRanks].sort((a, b) => a - b);
  // Requirement groups, pins deducted: specialty nodes of a group flow through the group's node.
  const groupOfSpec = new Int32Array(nSpec).fill(-1);
  const groupMin: number[] = [];
  const groupMax: number[] = [];
  for (const [gi, g] of req.groups.entries()) {
    const pinnedIn = g.specs.reduce((t, k) => t + pinnedPerSpec[k]!, 0);
    if (g.max - pinnedIn < 0) return fail(`pins give more blocks than ${g.label} allows`);
    for (const k of g.specs) groupOfSpec[k] = gi;
    groupMin.push(Math.max(0, g.min - pinnedIn));
    groupMax.push(g.max - pinnedIn);
  }
  const nGroup = req.groups.length;
  // Blocks each department may still take (the requirement's cap on repeats, pins deducted).
  const nDept = inst.departments.length;
  const { specOfDept, hospitalOfDept } = departmentsOf(inst);
  // The cap counts rotations: a department whose rotation lasts d blocks takes d per rotation.
  const duration = Int32Array.from({ length: nSpec }, (_, k) => Math.max(...members.map((m) => inst.students[m]!.duration[k]!)));
  const deptLeft = Int32Array.from({ length: nDept }, (_, d) => req.departmentMax * duration[specOfDept[d]!]!);
  for (const p of held) deptLeft[inst.sites[p.site]!.department]!--;
  const overPinned = deptLeft.findIndex((n) => n < 0);
  if (overPinned !== -1) return fail(`pins give more blocks at ${inst.departments[overPinned]} than the requirement allows`);
  // Blocks each hospital may still take (its limit per student, pins deducted).
  const hospitalLeft = Int32Array.from(inst.hospitalMax);
  for (const p of held) hospitalLeft[inst.sites[p.site]!.hospital]!--;
  const overHospital = hospitalLeft.findIndex((n) => n < 0);
  if (overHospital !== -1)
    return fail(
      `pins give more blocks at ${inst.hospitals[overHospital]!.name} than its limit of ${inst.hospitalMax[overHospital]} per student`,
    );
  if (need === 0) {
    const short = min.findIndex((m) => m > 0);
    if (short !== -1) return fail(`its pins leave no room for ${inst.specialties[short]}`);
    const shortGroup = groupMin.findIndex((m) => m > 0);
    if (shortGroup !== -1) return fail(`its pins leave no room for ${req.groups[shortGroup]!.label}`);
    return withFixed({ feasible: true, worst: 0, sum: 0, picks: [], pinned: pinnedPicks }, 0);
  }
  // A loosest relaxation with one split prices each block for planWithRotations (see blockValues).
  const wantValues = relaxed?.loosest === true;
  // Each department's best site per block, at a worst rank and split: the hospital branches of
  // one flow change only caps, so they share the last one built.
  let lastChoice: { w: number; allowed: (o: PlanOption) => boolean; choice: PlanOption[]; depts: number[] } | null = null;
  // A slot per block and department, in the flow's arc order (by block, then department).
  const bestAt = new Array<PlanOption | undefined>(nBlocks * nDept);
  /** The options chosen, and their departments in the order they first appear. */
  const choiceAt = (w: number, allowed: (o: PlanOption) => boolean): { choice: PlanOption[]; depts: number[] } => {
    if (lastChoice?.w === w && lastChoice.allowed === allowed) return lastChoice;
    bestAt.fill(undefined);
    for (const o of options) {
      if (o.worst > w || !allowed(o)) continue;
      const key = o.block * nDept + o.dept;
      const cur = bestAt[key];
      if (!cur || o.cost < cur.cost || (o.cost === cur.cost && o.site < cur.site)) bestAt[key] = o;
    }
    const choice: PlanOption[] = [];
    const depts: number[] = [];
    const seen = new Uint8Array(nDept);
    for (const o of bestAt) {
      if (!o) continue;
      choice.push(o);
      if (seen[o.dept] === 0) {
        seen[o.dept] = 1;
        depts.push(o.dept);
      }
    }
    lastChoice = { w, allowed, choice, depts };
    return lastChoice;
  };
  // A complete plan's flow sends this many units through the −BIG arcs (the mandatory ones).
  const mandatoryUnits = min.reduce((t, m) => t + m, 0) + groupMin.reduce((t, m) => t + m, 0);
  const cannotBeat = 'no plan here costs less than one already found';
  /**
   * The best plan at worst rank `w` with the options `allowed` keeps, or why there is none; or
   * `cannotBeat` once its flow shows that no plan here costs less than `beat`.
   */
  const flowAt = (
    w: number,
    allowed: (o: (typeof options)[number]) => boolean,
    quota: Int32Array,
    beat = Infinity,
  ): { cost: number; plan: Plan; picks: (typeof options)[number][]; blockValues?: Float64Array } | string => {
    // source → block (1) → department (its best site in that block) → specialty → sink.
    const source = 0;
    const deptNode = (d: number) => 1 + nBlocks + d;
    const specNode = (k: number) => 1 + nBlocks + nDept + k;
    const groupNode = (g: number) => 1 + nBlocks + nDept + nSpec + g;
    const sink = 1 + nBlocks + nDept + nSpec + nGroup;
    const net = pooledFlow.reset(sink + 1);
    const recorded: ArcRecord[] = [];
    const addArc = (from: number, to: number, capacity: number, cost: number) => {
      const id = net.addArc(from, to, capacity, cost);
      if (wantValues) recorded.push({ id, from, to, capacity, cost });
      return id;
    };
    for (let b = 0; b < nBlocks; b++) addArc(source, 1 + b, 1, 0);
    const { choice, depts } = choiceAt(w, allowed);
    const arcs = choice.map((o) => addArc(1 + o.block, deptNode(o.dept), 1, o.cost));
    for (const d of depts) addArc(deptNode(d), specNode(specOfDept[d]!), Math.max(0, quota[d]!), 0);
    const mandatory: number[] = [];
    for (let k = 0; k < nSpec; k++) {
      const to = groupOfSpec[k] === -1 ? sink : groupNode(groupOfSpec[k]!);
      mandatory.push(addArc(specNode(k), to, min[k]!, -BIG));
      const optional = Math.min(max[k]! - min[k]!, optionalCap ? optionalCap[k]! : Infinity);
      if (optional > 0) addArc(specNode(k), to, optional, 0);
    }
    const groupMandatory = groupMin.map((m, g) => {
      const arc = addArc(groupNode(g), sink, m, -BIG);
      if (groupMax[g]! > m) addArc(groupNode(g), sink, groupMax[g]! - m, 0);
      return arc;
    });
    const { flow, stopped } = net.run(source, sink, need, beat - BIG * mandatoryUnits);
    if (stopped) return cannotBeat;
    const short = mandatory.map((a, k) => (net.flow(a) < min[k]! ? k : -1)).filter((k) => k !== -1);
    const shortGroups = groupMandatory.map((a, g) => (net.flow(a) < groupMin[g]! ? g : -1)).filter((g) => g !== -1);
    if (flow === need && short.length === 0 && shortGroups.length === 0) {
      const chosen = choice.filter((_, i) => net.flow(arcs[i]!) > 0);
      const picks = chosen.map((o) => ({ block: o.block, site: o.site }));
      return {
        picks: chosen,
        ...(wantValues ? { blockValues: blockValuesOf(net, recorded, sink + 1, nBlocks) } : {}),
        cost: chosen.reduce((t, o) => t + o.cost, 0),
        plan: {
          feasible: true,
          worst: chosen.reduce((m, o) => Math.max(m, o.worst), 0),
          sum: chosen.reduce((t, o) => t + o.sum, 0),
          picks,
          pinned: pinnedPicks,
        },
      };
    }
    return short.length
      ? `the open seats left cannot fit all the required specialties: ${short.map((k) => inst.specialties[k]).join(', ')} did not fit around the others`
      : shortGroups.length
        ? `the open seats left cannot fit ${shortGroups.map((g) => req.groups[g]!.label).join(' and ')} around the rest`
        : `only ${flow} of the ${need} blocks to fill have an open eligible seat`;
  };
  /**
   * flowAt under the hospitals' limits, which cut across specialties (the flow cannot state
   * them). A plan over a limit is split exactly: every way of sharing the hospital's blocks left
   * among its departments becomes a per-department cap, which the flow does state; the best plan
   * over the branches wins (a hospital is branched on only when a plan goes over its limit).
   *
   * A branch only narrows its parent's network, so its optimum costs at least the parent's: a
   * plan over a limit whose cost is already `beat` or more is not branched on (nothing below it
   * could cost less than `beat`, which is what its caller needs to replace what it holds), and
   * the branches stop as soon as one costs as little as their parent (ADR 0049).
   */
  let branches = 0;
  let approximate = false;
  let valuesValid = true;
  const cappedFlowAt = (
    w: number,
    allowed: (o: (typeof options)[number]) => boolean,
    quota: Int32Array,
    beat = Infinity,
  ): ReturnType<typeof flowAt> => {
    const out = flowAt(w, allowed, quota, beat);
    if (typeof out === 'string') return out;
    const perHospital = new Map<number, number>();
    for (const o of out.picks) perHospital.set(hospitalOfDept[o.dept]!, (perHospital.get(hospitalOfDept[o.dept]!) ?? 0) + 1);
    const over = [...perHospital.entries()].find(([h, n]) => n > hospitalLeft[h]!)?.[0];
    if (over === undefined) return out;
    // The plan will come from a branch (extra caps): its block values would not bound other plans.
    valuesValid = false;
    const limitReason = `the open seats left cannot fit the requirement within the limit of ${inst.hospitalMax[over]} blocks per student at ${inst.hospitals[over]!.name}`;
    if (out.cost >= beat) return limitReason;
    const depts = [...new Set(options.filter((o) => hospitalOfDept[o.dept] === over).map((o) => o.dept))].sort((a, b) => a - b);
    let best: ReturnType<typeof flowAt> = limitReason;
    const bestCost = () => (typeof best === 'string' ? beat : Math.min(beat, best.cost));
    // No branch can cost less than the parent: once one does as well, the rest cannot replace it.
    const settled = () => typeof best !== 'string' && best.cost <= out.cost;
    const share = (i: number, left: number, q: Int32Array) => {
      if (settled()) return;
      if (i === depts.length - 1 || left === 0) {
        const d = depts[i];
        if (d !== undefined && left > quota[d]!) return;
        const branch = Int32Array.from(q);
        for (let j = i; j < depts.length; j++) branch[depts[j]!] = 0;
        if (d !== undefined) branch[d] = left;
        branches++;
        const sub = cappedFlowAt(w, allowed, branch, bestCost());
        if (typeof sub !== 'string' && (typeof best === 'string' || sub.cost < best.cost)) best = sub;
        return;
      }
      for (let n = Math.min(left, quota[depts[i]!]!); n >= 0; n--) {
        const next = Int32Array.from(q);
        next[depts[i]!] = n;
        share(i + 1, left - n, next);
      }
    };
    const left = Math.max(0, hospitalLeft[over]!);
    if (
      branches +
        waysToShare(
          left,
          depts.map((d) => quota[d]!),
        ) >
      EXACT_BRANCHES
    ) {
      // Too many ways to share: the department of `over` the plan uses most gives up a block.
      approximate = true;
      const used = new Map<number, number>();
      for (const o of out.picks) if (hospitalOfDept[o.dept] === over) used.set(o.dept, (used.get(o.dept) ?? 0) + 1);
      const [busiest, n] = [...used.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0]!;
      const next = Int32Array.from(quota);
      next[busiest] = n - 1;
      branches++;
      return cappedFlowAt(w, allowed, next, beat);
    }
    share(0, left, quota);
    return best;
  };
  let lastReason = 'no eligible site has an open seat';
  // "A before B": some split block t has every A before t and every B from t on. Each
  // precedence gets its own split (pins narrow the range); every combination is tried.
  const precedences = [...new Set(members.flatMap((m) => inst.students[m]!.precedences.map((p) => p.join(':'))))].map(
    (k) => k.split(':').map(Number) as [number, number],
  );
  // A split only restricts the flow's options of A (before it) and of B (from it on). When the
  // flow has no option of A (A is a rotation fixed around the flow, or held by pins), the
  // earliest split allows a superset of every later one, so it alone can win (the first of equal
  // costs wins anyway); likewise the latest when the flow has no option of B. This keeps the
  // plans identical and saves up to blocks + 1 flows per rotation combination (ADR 0034).
  const splitRanges = precedences.map(([a, b]) => {
    const pinnedBlocks = (k: number) => held.filter((p) => inst.sites[p.site]!.spec === k).map((p) => p.block);
    const from = Math.max(0, ...pinnedBlocks(a).map((x) => x + 1));
    const to = Math.min(nBlocks, ...pinnedBlocks(b));
    if (inFlow[a] === 0) return { a, b, from, to: Math.min(to, from) };
    if (inFlow[b] === 0) return { a, b, from: Math.max(from, to), to };
    return { a, b, from, to };
  });
  const splits: number[][] = [];
  const enumerate = (i: number, acc: number[]) => {
    if (i === splitRanges.length) return void splits.push(acc);
    for (let t = splitRanges[i]!.from; t <= splitRanges[i]!.to; t++) enumerate(i + 1, [...acc, t]);
  };
  enumerate(0, []);
  if (!splits.length) return fail('its pins put a specialty before one that must come first');
  const allowedBy = (split: number[]) => (o: (typeof options)[number]) =>
    splitRanges.every((r, i) => (o.spec !== r.a || o.block < split[i]!) && (o.spec !== r.b || o.block >= split[i]!));
  // With fixed rotations, the worst rank is at least theirs: the flow may use anything up to it.
  const candidates = relaxed?.loosest
    ? thresholds.slice(-1)
    : fixed.length
      ? [...new Set([fixedWorst, ...thresholds.filter((w) => w > fixedWorst)])]
      : thresholds;
  // Below the floor every flow fails; when all are below it, the last still runs for its reason.
  const tried = candidates.some((w) => w >= floorWorst) ? candidates.filter((w) => w >= floorWorst) : candidates.slice(-1);
  for (const w of tried) {
    if (wanted && w > wanted.worst) break;
    let found: Plan | null = null;
    let foundCost = Infinity;
    let foundValues: Float64Array | undefined;
    // What a flow must cost less than to be of use: the caller's cutoff at its worst rank, and
    // the best split so far (a later split replaces it only when cheaper).
    const beatWanted = wanted && w === wanted.worst ? wanted.cost - fixedCost : Infinity;
    for (const split of splits) {
      const out = cappedFlowAt(w, allowedBy(split), deptLeft, Math.min(beatWanted, foundCost));
      if (typeof out === 'string') lastReason = out;
      else if (out.cost < foundCost) {
        found = out.plan;
        foundCost = out.cost;
        foundValues = out.blockValues;
      }
    }
    if (found) {
      // Values bound other plans only when this network contains theirs: one split, no branch.
      const values = foundValues && splits.length === 1 && valuesValid && !approximate ? { blockValues: foundValues } : {};
      return { ...withFixed(approximate ? { ...found, approximate } : found, foundCost), ...values };
    }
  }
  return approximate ? { ...fail(lastReason), approximate } : fail(lastReason);
}

interface ArcRecord {
  id: number;
  from: number;
  to: number;
  capacity: number;
  cost: number;
}

/**
 * What each block is worth to a min-cost flow's optimum: with potentials p that leave every
 * residual arc a non-negative reduced cost (shortest distances from a virtual root over the
 * residual network; an optimum has no negative cycle), the arc source → block b has reduced cost
 * p[source] − p[b], and max(0, p[b] − p[source]) is the least by which the optimum's cost rises
 * when block b is taken away (LP duality: the same potentials, minus that arc, still bound the
 * smaller network's cost from below). Summed over several blocks it is still a lower bound.
 * Costs are integers (BIG included), so the potentials are exact. Null-free: blocks whose values
 * cannot be computed (a negative cycle, which an optimum never has) are worth 0.
 */
function blockValuesOf(net: MinCostFlow, arcs: readonly ArcRecord[], nodes: number, nBlocks: number): Float64Array {
  const p = new Float64Array(nodes);
  let settled = false;
  for (let round = 0; round <= nodes && !settled; round++) {
    settled = true;
    for (const a of arcs) {
      const f = net.flow(a.id);
      if (f < a.capacity && p[a.from]! + a.cost < p[a.to]!) {
        p[a.to] = p[a.from]! + a.cost;
        settled = false;
      }
      if (f > 0 && p[a.to]! - a.cost < p[a.from]!) {
        p[a.from] = p[a.to]! - a.cost;
        settled = false;
      }
    }
  }
  const values = new Float64Array(nBlocks);
  if (settled) for (let b = 0; b < nBlocks; b++) values[b] = Math.max(0, p[1 + b]! - p[0]!);
  return values;
}
