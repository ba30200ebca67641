import { type Instance } from '../instance';
import { type ArcLists, arcListsOf, shortestPaths } from '../solver/min-cost-flow';

/**
 * One student's cheapest schedule when every seat has a price: the sites (rank + the site's
 * price) the student would take alone, with every seat free, within their rank cap. This is the
 * subproblem of the Lagrangian bound (optimal/lagrangian.ts), solved hundreds of times per
 * student, so it is a small min-cost flow rather than a solver call:
 *
 *   source → block (1 unit) → department (via one arc per usable site, cost rank + price)
 *          → specialty (the student's cap at the department) → group → sink
 *
 * A specialty's (and a group's) minimum is an arc of cost −M beside the arc of its remaining
 * blocks: with M above any difference of real costs, the cheapest flow fills every minimum when
 * a schedule exists, and a minimum left unfilled proves none does.
 *
 * It is a RELAXATION of the student's part of the full model: pins, availability, bars,
 * prerequisites, school reservations, rank caps, blocks to fill, specialty minimums and maximums,
 * groups and the department cap are stated exactly; the order of a precedence, the consecutive
 * blocks of a rotation, hospital limits, pair links and minimum staffing are left out. Its
 * optimum is therefore never above the student's true cheapest schedule at these prices, which is
 * all a valid Lagrangian bound needs (and "no schedule" here proves there is none at all).
 *
 * Costs are integers (ranks × PRICE_SCALE + prices in 1/PRICE_SCALE of a rank), so the flow's
 * arithmetic is exact and the bound is not at the mercy of round-off.
 */

/** Prices are kept in this fraction of one rank. */
export const PRICE_SCALE = 1024;

export interface PricedNetwork {
  student: number;
  /** Blocks the flow must fill (blocks to fill minus pins); -1 when the pins already break the requirement. */
  fill: number;
  /** Rank of the pinned placements (a constant of the student's schedule). */
  pinnedRank: number;
  nodes: number;
  /** Arcs in pairs (forward 2k, backward 2k + 1). */
  to: Int32Array;
  cap0: Int32Array;
  head: Int32Array;
  next: Int32Array;
  /** The arcs per node in `head`/`next` order, as the shortest-path search reads them. */
  lists: ArcLists;
  /** Per forward arc: its site (place arcs), or -1. */
  site: Int32Array;
  /** Per forward arc: rank × PRICE_SCALE for place arcs. */
  base: Float64Array;
  /** Per forward arc: 1 for a minimum's arc. */
  minimum: Uint8Array;
  /** Per forward arc: the place's specialty and block (-1 for other arcs). */
  spec: Int32Array;
  block: Int32Array;
  /** The student's one precedence ("before" then "after" specialty), when they have exactly one. */
  precedence: [number, number] | null;
  blocks: number;
  /** Units the minimum arcs must carry for a schedule to exist. */
  minimums: number;
}

/**
 * The student's network at these rank caps (built once per worst rank; prices change per
 * evaluation). `aggregated`: places per family and rank instead of per block (no block nodes), a
 * further relaxation ten times smaller, for prices that are the same in every block of a family.
 */
export function buildPricedNetwork(inst: Instance, s: number, caps: Int32Array, aggregated = false): PricedNetwork {
  const st = inst.students[s]!;
  const pins = inst.pinsByStudent[s]!.filter((p) => p.site !== -1);
  const pinnedBlocks = new Set(pins.map((p) => p.block));
  const nSpec = inst.specialties.length;
  const pinnedSpec = new Int32Array(nSpec);
  const pinnedDept = new Map<number, number>();
  let pinnedRank = 0;
  for (const p of pins) {
    const site = inst.sites[p.site]!;
    pinnedSpec[site.spec]!++;
    pinnedDept.set(site.department, (pinnedDept.get(site.department) ?? 0) + 1);
    pinnedRank += inst.rankOf(s, site);
  }
  const arcs: { from: number; to: number; cap: number; site: number; base: number; minimum: boolean }[] = [];
  const deptNode = new Map<number, number>();
  const arc = (from: number, to: number, cap: number, site = -1, base = 0, minimum = false) => {
    if (cap > 0) arcs.push({ from, to, cap, site, base, minimum });
  };
  const SOURCE = 0;
  const SINK = 1;
  let nodes = 2 + inst.blocks.length;
  let broken = false;
  let minimums = 0;
  // Groups, then specialties: a minimum beside the rest of the maximum.
  const groupNode = st.groups.map(() => nodes++);
  st.groups.forEach((g, i) => {
    const pinned = g.specs.reduce((t, k) => t + pinnedSpec[k]!, 0);
    const lo = Math.max(0, g.min - pinned);
    const hi = g.max - pinned;
    if (hi < lo) broken = true;
    arc(groupNode[i]!, SINK, lo, -1, 0, true);
    arc(groupNode[i]!, SINK, hi - lo);
    minimums += lo;
  });
  const parentOf = new Int32Array(nSpec).fill(SINK);
  st.groups.forEach((g, i) => {
    for (const k of g.specs) parentOf[k] = groupNode[i]!;
  });
  const specNode = new Int32Array(nSpec).fill(-1);
  const specOpen = (k: number) => st.max[k]! - pinnedSpec[k]! > 0;
  for (let k = 0; k < nSpec; k++) {
    const lo = Math.max(0, st.min[k]! - pinnedSpec[k]!);
    const hi = st.max[k]! - pinnedSpec[k]!;
    if (hi < lo) broken = true;
    if (lo === 0 && hi <= 0) continue;
    specNode[k] = nodes++;
    arc(specNode[k]!, parentOf[k]!, lo, -1, 0, true);
    arc(specNode[k]!, parentOf[k]!, hi - lo);
    minimums += lo;
  }
  // Departments (with the student's cap there) and the places themselves.
  const firstDept = nodes;
  const places = new Map<number, { department: number; site: number; rank: number; blocks: number }>();
  const blockUsed = new Uint8Array(inst.blocks.length);
  for (const c of inst.candidates[s]!) {
    const site = inst.sites[c.site]!;
    if (c.rank > caps[s]! || pinnedBlocks.has(site.block) || !inst.available[s]![site.block] || !specOpen(site.spec)) continue;
    let d = deptNode.get(site.department);
    if (d === undefined) {
      const left = inst.departmentCap(s, site.department) - (pinnedDept.get(site.department) ?? 0);
      d = left > 0 ? nodes++ : -1;
      deptNode.set(site.department, d);
      if (d >= 0) arc(d, specNode[site.spec]!, left);
    }
    if (d < 0) continue;
    if (aggregated) {
      const key = site.family * (inst.unrankedRank + 1) + c.rank;
      const group = places.get(key);
      if (group) group.blocks++;
      else places.set(key, { department: d, site: c.site, rank: c.rank, blocks: 1 });
      continue;
    }
    arc(2 + site.block, d, 1, c.site, c.rank * PRICE_SCALE);
    blockUsed[site.block] = 1;
  }
  // Aggregated: one arc per family and rank from the source, as many blocks as it has usable (the
  // one-place-per-block rows dropped, as stage 1 drops them per student); its site stands for the
  // family's price.
  for (const g of places.values()) arc(SOURCE, g.department, g.blocks, g.site, g.rank * PRICE_SCALE);
  blockUsed.forEach((used, b) => {
    if (used) arc(SOURCE, 2 + b, 1);
  });
  const fill = st.blocksToFill - pins.length;
  const m = arcs.length;
  // Nodes renumbered in the order flow goes (source, blocks, departments, specialties, groups,
  // sink): a Bellman–Ford round in node order then carries a path's distances all the way.
  const order = new Int32Array(nodes);
  let next = 0;
  order[SOURCE] = next++;
  for (let b = 0; b < inst.blocks.length; b++) order[2 + b] = next++;
  for (let v = firstDept; v < nodes; v++) order[v] = next++;
  for (let v = 2 + inst.blocks.length + st.groups.length; v < firstDept; v++) order[v] = next++;
  for (const g of groupNode) order[g] = next++;
  order[SINK] = next++;
  for (const a of arcs) {
    a.from = order[a.from]!;
    a.to = order[a.to]!;
  }
  const net: Omit<PricedNetwork, 'lists'> = {
    student: s,
    fill: broken || fill < 0 ? -1 : fill,
    pinnedRank,
    nodes,
    to: new Int32Array(2 * m),
    cap0: new Int32Array(2 * m),
    head: new Int32Array(nodes).fill(-1),
    next: new Int32Array(2 * m),
    site: new Int32Array(m),
    base: new Float64Array(m),
    minimum: new Uint8Array(m),
    minimums,
    spec: new Int32Array(m).fill(-1),
    block: new Int32Array(m).fill(-1),
    precedence: st.precedences.length === 1 ? st.precedences[0]! : null,
    blocks: inst.blocks.length,
  };
  arcs.forEach((a, i) => {
    net.to[2 * i] = a.to;
    net.cap0[2 * i] = a.cap;
    net.next[2 * i] = net.head[a.from]!;
    net.head[a.from] = 2 * i;
    net.to[2 * i + 1] = a.from;
    net.next[2 * i + 1] = net.head[a.to]!;
    net.head[a.to] = 2 * i + 1;
    net.site[i] = a.site;
    net.base[i] = a.base;
    net.minimum[i] = a.minimum ? 1 : 0;
    if (a.site >= 0) {
      net.spec[i] = inst.sites[a.site]!.spec;
      net.block[i] = inst.sites[a.site]!.block;
    }
  });
  return { ...net, lists: arcListsOf(net.head, net.next, nodes) };
}

/** Buffers reused across evaluations (sized for the largest network). */
export interface FlowScratch {
  cap: Int32Array;
  cost: Float64Array;
  dist: Float64Array;
  via: Int32Array;
  dirty: Int32Array;
}

export function flowScratch(networks: readonly PricedNetwork[]): FlowScratch {
  const arcs = Math.max(1, ...networks.map((n) => n.to.length));
  const nodes = Math.max(1, ...networks.map((n) => n.nodes));
  return {
    cap: new Int32Array(arcs),
    cost: new Float64Array(arcs),
    dist: new Float64Array(nodes),
    via: new Int32Array(nodes),
    dirty: new Int32Array((nodes + 31) >>> 5),
  };
}

/**
 * The student's cheapest schedule at these prices (per site, in 1/PRICE_SCALE of a rank): its
 * cost in the same unit (pins excluded), or null when the student has no schedule at all.
 * `use` gets +1 for every site taken.
 */
export function cheapestSchedule(
  net: PricedNetwork,
  prices: Float64Array,
  scratch: FlowScratch,
  use: Int32Array,
  split?: { before: number; after: number; at: number },
): number | null {
  if (net.fill < 0) return null;
  if (net.fill === 0) return net.minimums === 0 ? 0 : null;
  const { to, lists, nodes } = net;
  const sink = nodes - 1;
  const { cap, cost, dist, via } = scratch;
  const m = net.site.length;
  let maxCost = 0;
  for (let i = 0; i < m; i++) {
    const site = net.site[i]!;
    if (site >= 0) maxCost = Math.max(maxCost, net.base[i]! + prices[site]!);
  }
  // Above any difference of real costs between two flows of `fill` units.
  const big = (net.fill + 1) * (maxCost + 1);
  for (let i = 0; i < m; i++) {
    const site = net.site[i]!;
    const c = site >= 0 ? net.base[i]! + prices[site]! : net.minimum[i] ? -big : 0;
    cost[2 * i] = c;
    cost[2 * i + 1] = -c;
    // A split of the precedence: "before" only before block `at`, "after" only from it on.
    const closed =
      split !== undefined &&
      ((net.spec[i] === split.before && net.block[i]! >= split.at) || (net.spec[i] === split.after && net.block[i]! < split.at));
    cap[2 * i] = closed ? 0 : net.cap0[2 * i]!;
    cap[2 * i + 1] = 0;
  }
  // Successive shortest paths (Bellman–Ford over the nodes whose distance fell: the network
  // starts acyclic, and shortest augmenting paths never create a negative cycle).
  for (let sent = 0; sent < net.fill; sent++) {
    shortestPaths({ to, cap, cost, ...lists }, nodes, 0, scratch);
    if (dist[sink] === Infinity) return null;
    for (let v = sink; v !== 0; v = to[via[v]! ^ 1]!) {
      cap[via[v]!]!--;
      cap[via[v]! ^ 1]!++;
    }
  }
  let total = 0;
  let filled = 0;
  for (let i = 0; i < m; i++) {
    const flow = cap[2 * i + 1]!;
    if (!flow) continue;
    const site = net.site[i]!;
    if (site >= 0) {
      total += cost[2 * i]! * flow;
      use[site]! += flow;
    } else if (net.minimum[i]) filled += flow;
  }
  if (filled < net.minimums) {
    // No schedule fills every minimum; undo the uses counted above.
    for (let i = 0; i < m; i++) if (net.site[i]! >= 0) use[net.site[i]!]! -= cap[2 * i + 1]!;
    return null;
  }
  return total;
}

/**
 * `cheapestSchedule` with the student's one precedence ("A before B") stated exactly: when the
 * cheapest schedule puts a block of B before one of A, every split block t (A only before t, B
 * only from t on) is tried and the cheapest kept. Exact for the precedence because every schedule
 * that respects it fits one split. Up to blocks + 1 flows per student: used on the final prices
 * only, where it can only raise the bound.
 */
export function cheapestOrderedSchedule(net: PricedNetwork, prices: Float64Array, scratch: FlowScratch, use: Int32Array): number | null {
  const mine = new Int32Array(use.length);
  const plain = cheapestSchedule(net, prices, scratch, mine);
  if (plain === null || !net.precedence || inOrder(net, scratch)) return plain === null ? null : addUse(use, mine, plain);
  const [before, after] = net.precedence;
  let best: number | null = null;
  let bestUse = mine;
  for (let at = 0; at <= net.blocks; at++) {
    const tried = new Int32Array(use.length);
    const cost = cheapestSchedule(net, prices, scratch, tried, { before, after, at });
    if (cost !== null && (best === null || cost < best)) {
      best = cost;
      bestUse = tried;
    }
  }
  return best === null ? null : addUse(use, bestUse, best);
}

function addUse(use: Int32Array, mine: Int32Array, cost: number): number {
  for (let i = 0; i < use.length; i++) use[i]! += mine[i]!;
  return cost;
}

/** The last flow in `scratch` keeps the student's precedence (every "before" block ahead of every "after" one). */
function inOrder(net: PricedNetwork, scratch: FlowScratch): boolean {
  const [before, after] = net.precedence!;
  let lastBefore = -1;
  let firstAfter = Infinity;
  for (let i = 0; i < net.site.length; i++) {
    if (net.site[i]! < 0 || !scratch.cap[2 * i + 1]) continue;
    if (net.spec[i] === before) lastBefore = Math.max(lastBefore, net.block[i]!);
    if (net.spec[i] === after) firstAfter = Math.min(firstAfter, net.block[i]!);
  }
  return lastBefore < firstAfter;
}
