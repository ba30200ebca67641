import { type Instance } from './instance';
import { MinHeap } from './min-heap';
import { type FixedPick, type Plan, type PlanCore, type PlanShared, TIE_SCALE, unitRanks } from './plan';

/**
 * The best schedule of a unit that has rotations longer than one block. The min-cost flow of
 * plan.ts chooses blocks one by one, so it cannot keep d blocks together at one department.
 * Instead, the rotations of the long specialties are enumerated (department × start block, every
 * spanned block open to the whole unit, pins respected), and for each combination the flow fills
 * the other specialties around them; the lexicographically best (worst rank, then total rank and
 * tie penalties) wins, and among equals the first in the order of the rotations' own worst rank,
 * cost and enumeration (ADR 0027 §5).
 *
 * The combinations are taken best first from a search tree (ADR 0040): a node is a partial
 * combination, ordered by a lower bound of the plans below it (the rotations taken, the cheapest
 * rotations still to take, and the rest of the plan with the rotations' blocks counted but placed
 * nowhere); the search stops as soon as no remaining node can beat the best plan found. Only
 * the combinations that might win are built and planned.
 */

/** Rotations kept per long specialty (best first); beyond it the plan is marked approximate. */
const MAX_OPTIONS = 400;
/** Combinations planned (a flow each) in one plan; beyond it the plan is marked approximate. */
const MAX_PLANNED = 2_000;
/** Search nodes built in one plan; beyond it the plan is marked approximate. */
const MAX_NODES = 200_000;
/** Rotation-count vectors whose bounds are computed up front for the search's inner nodes. */
const MAX_VECTORS = 16;

interface Rotation {
  spec: number;
  department: number;
  blocks: number[];
  /** Blocks of the rotation the unit does not hold by a pin. */
  picks: FixedPick[];
  worst: number;
  cost: number;
}

interface SpecRotations {
  k: number;
  d: number;
  lo: number;
  hi: number;
  options: Rotation[];
  pinnedBlocks: number[];
  /** least[r][f]: the least total cost of r rotations among options[f..] (Infinity when fewer). */
  least: Float64Array[];
}

/**
 * The rest of a plan with the rotations' blocks counted but placed nowhere: its worst rank, its
 * least cost, and what each block is worth to that least cost (taking blocks away from the rest
 * raises its cost by at least the sum of their values; see blockValuesOf in plan.ts).
 */
interface Bound {
  worst: number;
  cost: number;
  values: Float64Array;
}

/** A partial combination: the rotations taken so far (a chain of parents) and what is left to choose. */
interface SearchNode {
  parent: SearchNode | null;
  /** The rotation this node took, or null when it closed a specialty. */
  rotation: Rotation | null;
  /** Index in perSpec of the specialty being chosen (perSpec.length: the combination is complete). */
  spec: number;
  /** Rotations of that specialty taken, and the first option it may still take. */
  count: number;
  from: number;
  /** Worst rank and cost of the rotations taken. */
  worst: number;
  cost: number;
  /** What their blocks are worth to the rest at least (the least block values over every count vector). */
  innerValue: number;
  /** Choices from the root (option index, or -1 for "close the specialty"): the enumeration order. */
  path: number[];
  /** Lower bounds of the rotations' own worst rank and cost of every combination below. */
  orderWorst: number;
  orderCost: number;
  /** Lower bounds of the plan's worst rank and cost of every combination below. */
  planWorst: number;
  planCost: number;
}

function comparePaths(a: readonly number[], b: readonly number[]): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

/** The order of the old enumeration: rotations' worst rank, then their cost, then enumeration. */
function compareOrder(a: SearchNode, b: SearchNode): number {
  return a.orderWorst - b.orderWorst || a.orderCost - b.orderCost || comparePaths(a.path, b.path);
}

function compareNodes(a: SearchNode, b: SearchNode): number {
  return a.planWorst - b.planWorst || a.planCost - b.planCost || compareOrder(a, b);
}

/** The least sum of r costs among options[f..], for r up to `upTo`, for every f. */
function leastCosts(options: readonly Rotation[], upTo: number): Float64Array[] {
  const n = options.length;
  const least = Array.from({ length: upTo + 1 }, () => new Float64Array(n + 1).fill(Infinity));
  least[0]!.fill(0);
  const smallest: number[] = [];
  for (let f = n - 1; f >= 0; f--) {
    const c = options[f]!.cost;
    let i = smallest.length;
    while (i > 0 && smallest[i - 1]! > c) i--;
    smallest.splice(i, 0, c);
    if (smallest.length > upTo) smallest.pop();
    let sum = 0;
    for (let r = 1; r <= smallest.length; r++) least[r]![f] = sum += smallest[r - 1]!;
  }
  return least;
}

export function planWithRotations(
  inst: Instance,
  members: readonly number[],
  seatsLeft: Int32Array | null,
  optionalCap: Int32Array | null,
  tieBreak: Float64Array | null,
  core: PlanCore,
): Plan {
  const size = members.length;
  const nBlocks = inst.blocks.length;
  const tieUnit = Math.floor((TIE_SCALE - 1) / (nBlocks + 1));
  const ranks = members.map((s) => {
    const r = new Int32Array(inst.sites.length);
    for (const c of inst.candidates[s]!) r[c.site] = c.rank;
    return r;
  });
  const pinAt = new Int32Array(nBlocks).fill(-1);
  for (const s of members) for (const pin of inst.pinsByStudent[s]!) if (pin.site !== -1) pinAt[pin.block] = pin.site;
  const specs = [...new Set(members.flatMap((m) => inst.students[m]!.longRotations))].sort((a, b) => a - b);
  let approximate = false;

  const perSpec: SpecRotations[] = specs.map((k) => {
    const d = Math.max(...members.map((m) => inst.students[m]!.duration[k]!));
    const min = Math.max(...members.map((m) => inst.students[m]!.min[k]!));
    const max = Math.min(...members.map((m) => inst.students[m]!.max[k]!));
    const lo = Math.ceil(min / d);
    let hi = Math.floor(max / d);
    if (optionalCap) hi = Math.max(lo, Math.min(hi, Math.floor((min + optionalCap[k]!) / d)));
    const departments = [...new Set(inst.sites.filter((x) => x.spec === k).map((x) => x.department))].sort((a, b) => a - b);
    const options: Rotation[] = [];
    for (const department of departments) {
      for (let t = 0; t + d <= nBlocks; t++) {
        if (!inst.spans(t, d)) continue;
        const rotation: Rotation = { spec: k, department, blocks: [], picks: [], worst: 0, cost: 0 };
        let ok = true;
        for (let b = t; b < t + d && ok; b++) {
          rotation.blocks.push(b);
          if (pinAt[b] !== -1) {
            ok = inst.sites[pinAt[b]!]!.department === department;
            continue;
          }
          let best: FixedPick | null = null;
          for (const site of inst.sitesByBlock[b]!) {
            if (site.department !== department || (seatsLeft ? seatsLeft[site.index]! : site.seats) < size) continue;
            const { worst, sum } = unitRanks(ranks, site.index);
            if (worst <= 0) continue;
            const cost = sum * TIE_SCALE + (tieBreak ? Math.floor(tieBreak[site.index]! * tieUnit) : 0);
            if (!best || cost < best.cost) best = { block: b, site: site.index, worst, sum, cost };
          }
          if (best) {
            rotation.picks.push(best);
            rotation.worst = Math.max(rotation.worst, best.worst);
            rotation.cost += best.cost;
          } else ok = false;
        }
        if (ok) options.push(rotation);
      }
    }
    options.sort((a, b) => a.worst - b.worst || a.cost - b.cost || a.blocks[0]! - b.blocks[0]!);
    if (options.length > MAX_OPTIONS) approximate = true;
    const kept = options.slice(0, MAX_OPTIONS);
    const pinnedBlocks = [...pinAt.keys()].filter((b) => pinAt[b] !== -1 && inst.sites[pinAt[b]!]!.spec === k);
    return { k, d, lo, hi, options: kept, pinnedBlocks, least: leastCosts(kept, lo) };
  });

  // Bounds on what the rest of a plan can do once the rotations hold their blocks, per number of
  // rotation blocks of each specialty: the rest with those blocks counted but placed nowhere (a
  // relaxation) is at least as good as with them in any particular blocks.
  // The planner's per-unit arrays, shared by every call below (same unit, seats, caps, penalties).
  const shared: PlanShared = {};
  const bounds = new Map<string, Bound | null>();
  const noValues = new Float64Array(nBlocks);
  const boundOf = (blocks: Int32Array) => {
    const key = blocks.join(',');
    if (!bounds.has(key)) {
      const first = core(inst, members, seatsLeft, optionalCap, tieBreak, [], { blocks, loosest: false }, 0, shared);
      const loose = first.feasible
        ? core(inst, members, seatsLeft, optionalCap, tieBreak, [], { blocks, loosest: true }, 0, shared)
        : first;
      // An approximate plan (hospital limits branched greedily) bounds nothing.
      bounds.set(
        key,
        first.approximate || loose.approximate
          ? { worst: 0, cost: 0, values: noValues }
          : first.feasible && loose.feasible
            ? { worst: first.worst, cost: Math.max(0, loose.cost!), values: loose.blockValues ?? noValues }
            : null,
      );
    }
    return bounds.get(key)!;
  };
  const blocksOf = (counts: readonly number[]) => {
    const blocks = new Int32Array(inst.specialties.length);
    perSpec.forEach((p, i) => (blocks[p.k]! += counts[i]! * p.d - p.pinnedBlocks.length));
    return blocks;
  };

  let best: (Plan & { cost?: number }) | null = null;
  let bestNode: SearchNode | null = null;
  let lastReason = specs.length
    ? `no department of ${specs.map((k) => inst.specialties[k]).join(' or ')} has an open seat in every block of a rotation`
    : 'no eligible site has an open seat';
  // No combination at all: a specialty has fewer rotations than it needs.
  if (perSpec.some((p) => p.options.length < p.lo)) return finish();

  // The inner nodes' bound on the rest of the plan: the least over every count vector.
  let innerWorst = 0;
  let innerCost = 0;
  let innerValues = new Float64Array(nBlocks);
  const vectors: number[][] = [[]];
  for (const p of perSpec) {
    const next: number[][] = [];
    for (const v of vectors) for (let c = p.lo; c <= p.hi; c++) if (c * p.d >= p.pinnedBlocks.length) next.push([...v, c]);
    vectors.splice(0, vectors.length, ...next);
    if (vectors.length > MAX_VECTORS) break;
  }
  if (vectors.length <= MAX_VECTORS) {
    const all = vectors.map((v) => boundOf(blocksOf(v))).filter((b) => b !== null);
    // The rest cannot be completed with any number of rotations: every combination would be skipped.
    if (!all.length) return finish();
    innerWorst = Math.min(...all.map((b) => b.worst));
    innerCost = Math.min(...all.map((b) => b.cost));
    innerValues = Float64Array.from({ length: nBlocks }, (_, b) => Math.min(...all.map((x) => x.values[b]!)));
  }

  // The least the specialties from index i on add to a combination (their minimum of rotations).
  const tailWorst = new Array<number>(perSpec.length + 1).fill(0);
  const tailCost = new Array<number>(perSpec.length + 1).fill(0);
  for (let i = perSpec.length - 1; i >= 0; i--) {
    const p = perSpec[i]!;
    tailWorst[i] = Math.max(tailWorst[i + 1]!, p.lo > 0 ? p.options[p.lo - 1]!.worst : 0);
    tailCost[i] = tailCost[i + 1]! + p.least[p.lo]![0]!;
  }

  /** What the rest of the plan loses, at least, when these rotations take their blocks from it. */
  const lostBy = (rotations: readonly Rotation[], values: Float64Array) =>
    rotations.reduce((t, r) => t + r.picks.reduce((u, x) => u + values[x.block]!, 0), 0);

  const heap = new MinHeap<SearchNode>(compareNodes);
  let nodes = 0;
  /**
   * Queues a child of `parent` (null: the root) that took `rotation` (or none) and now chooses
   * specialty `spec` from option `from` on, with its bounds, unless nothing below it can be
   * completed. `choices` extend the parent's path.
   */
  const queue = (parent: SearchNode | null, rotation: Rotation | null, spec: number, count: number, from: number, choices: number[]) => {
    const worst = Math.max(parent?.worst ?? 0, rotation?.worst ?? 0);
    const cost = (parent?.cost ?? 0) + (rotation?.cost ?? 0);
    const innerValue = (parent?.innerValue ?? 0) + (rotation ? rotation.picks.reduce((t, x) => t + innerValues[x.block]!, 0) : 0);
    let orderWorst = worst;
    let orderCost = cost;
    let planWorst: number;
    let planCost: number;
    if (spec === perSpec.length) {
      const blocks = new Int32Array(inst.specialties.length);
      for (let n: SearchNode | null = parent; n; n = n.parent) if (n.rotation) blocks[n.rotation.spec]! += n.rotation.picks.length;
      if (rotation) blocks[rotation.spec]! += rotation.picks.length;
      const bound = boundOf(blocks);
      if (!bound) return; // the rest cannot be completed even with the rotations anywhere
      planWorst = Math.max(worst, bound.worst);
      const rotations: Rotation[] = rotation ? [rotation] : [];
      for (let n: SearchNode | null = parent; n; n = n.parent) if (n.rotation) rotations.push(n.rotation);
      planCost = cost + bound.cost + lostBy(rotations, bound.values);
    } else {
      const p = perSpec[spec]!;
      const r = Math.max(0, p.lo - count);
      const restCost = p.least[r]![from]!;
      if (restCost === Infinity) return;
      orderWorst = Math.max(worst, r > 0 ? p.options[from + r - 1]!.worst : 0, tailWorst[spec + 1]!);
      orderCost = cost + restCost + tailCost[spec + 1]!;
      planWorst = Math.max(orderWorst, innerWorst);
      planCost = orderCost + innerCost + innerValue;
    }
    nodes++;
    const path = parent ? [...parent.path, ...choices] : choices;
    heap.push({ parent, rotation, spec, count, from, worst, cost, innerValue, path, orderWorst, orderCost, planWorst, planCost });
  };
  const blocksTaken = (node: SearchNode): Set<number> => {
    const used = new Set<number>();
    for (let n: SearchNode | null = node; n; n = n.parent) if (n.rotation) for (const b of n.rotation.blocks) used.add(b);
    return used;
  };
  /**
   * Children in the old enumeration's order: close the specialty first (when it has its
   * minimum and covers its pinned blocks), then take each later option that shares no block. A
   * child that reaches the maximum can only close, so it is queued closed.
   */
  const expand = (node: SearchNode) => {
    const p = perSpec[node.spec]!;
    const used = blocksTaken(node);
    const covers = (extra: readonly number[]) => p.pinnedBlocks.every((b) => used.has(b) || extra.includes(b));
    if (node.count >= p.lo && covers([])) queue(node, null, node.spec + 1, 0, 0, [-1]);
    if (node.count === p.hi) return;
    for (let o = node.from; o < p.options.length; o++) {
      const r = p.options[o]!;
      if (r.blocks.some((b) => used.has(b))) continue;
      if (node.count + 1 < p.hi) queue(node, r, node.spec, node.count + 1, o + 1, [o]);
      else if (node.count + 1 >= p.lo && covers(r.blocks)) queue(node, r, node.spec + 1, 0, 0, [o, -1]);
    }
  };
  const fixedOf = (node: SearchNode): FixedPick[] => {
    const taken: Rotation[] = [];
    for (let n: SearchNode | null = node; n; n = n.parent) if (n.rotation) taken.push(n.rotation);
    return taken.reverse().flatMap((r) => r.picks);
  };
  /** The failed combination latest in the old order gives the reason (the old loop's last). */
  let reasonNode: SearchNode | null = null;
  let planned = 0;

  queue(null, null, 0, 0, 0, []);
  for (;;) {
    const node = heap.pop();
    if (!node) break;
    // Nothing left can be better than the best plan, nor as good and earlier in the order.
    if (
      best &&
      (node.planWorst > best.worst ||
        (node.planWorst === best.worst &&
          (node.planCost > best.cost! || (node.planCost === best.cost! && compareOrder(node, bestNode!) > 0))))
    )
      break;
    if (node.spec < perSpec.length) {
      expand(node);
      if (nodes > MAX_NODES) {
        approximate = true;
        break;
      }
      continue;
    }
    if (++planned > MAX_PLANNED) {
      approximate = true;
      break;
    }
    // The leaf's bound on the plan's worst rank is a floor: the worst ranks below it are not tried.
    // Only a plan that would replace the best is wanted: better, or as good and earlier in the order.
    const wanted = best ? { worst: best.worst, cost: best.cost! + (compareOrder(node, bestNode!) < 0 ? 1 : 0) } : null;
    const plan = core(inst, members, seatsLeft, optionalCap, tieBreak, fixedOf(node), null, node.planWorst, shared, wanted);
    if (plan.approximate) approximate = true;
    if (!plan.feasible) {
      if (!reasonNode || compareOrder(node, reasonNode) > 0) {
        reasonNode = node;
        lastReason = plan.reason ?? lastReason;
      }
      continue;
    }
    if (
      !best ||
      plan.worst < best.worst ||
      (plan.worst === best.worst && (plan.cost! < best.cost! || (plan.cost === best.cost && compareOrder(node, bestNode!) < 0)))
    ) {
      best = plan;
      bestNode = node;
    }
  }
  return finish();

  function finish(): Plan {
    const out: Plan = best
      ? { feasible: true, worst: best.worst, sum: best.sum, picks: best.picks, pinned: best.pinned }
      : { feasible: false, worst: 0, sum: 0, picks: [], pinned: [], reason: lastReason };
    return approximate ? { ...out, approximate } : out;
  }
}
