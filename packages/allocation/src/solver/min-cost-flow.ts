/**
 * Minimum-cost flow by successive shortest paths (Bellman–Ford, so negative arc costs are fine
 * on an acyclic start). Costs must be integers (exact arithmetic: float round-off could fake a
 * negative residual cycle). Meant for the tiny per-student networks of the planner (a few dozen
 * nodes), where it is exact, deterministic and far cheaper than a solver call.
 *
 * The arrays are typed and kept between networks (`reset`): the planner builds tens of
 * thousands of these per lottery turn late in a draw, and growing plain arrays arc by arc was a
 * good part of its garbage (ADR 0054).
 */
export class MinCostFlow {
  protected to = new Int32Array(64);
  /** Capacities left (Float64: a capacity may be Infinity). */
  protected cap = new Float64Array(64);
  protected cost = new Float64Array(64);
  protected next = new Int32Array(64);
  protected head: Int32Array;
  private arcs = 0;
  private dist = new Float64Array(0);
  private via = new Int32Array(0);
  private dirty = new Int32Array(0);
  /** Live arc lists (see liveLists): per node a slot range `start`, of which `count` are filled. */
  private start = new Int32Array(0);
  private count = new Int32Array(0);
  private list = new Int32Array(0);
  /** Per arc: its position in its node's `head` order, and whether it is in the live lists. */
  private rank = new Int32Array(0);
  private listed = new Uint8Array(0);
  /** Per node: whether the sink can be reached from it (liveLists), and a queue to find out. */
  private reaches = new Uint8Array(0);
  private queue = new Int32Array(0);

  constructor(public nodes: number) {
    this.head = new Int32Array(nodes).fill(-1);
  }

  /** Empties the network and gives it `nodes` nodes, keeping the arrays for the next one. */
  reset(nodes: number): this {
    this.nodes = nodes;
    if (this.head.length < nodes) this.head = new Int32Array(nodes);
    this.head.fill(-1, 0, nodes);
    this.arcs = 0;
    return this;
  }

  /** Adds an arc and returns its id (its flow is read with `flow(id)`). */
  addArc(from: number, to: number, capacity: number, cost: number): number {
    if (!Number.isSafeInteger(cost)) throw new RangeError(`arc cost must be a safe integer, got ${cost}`);
    const id = this.arcs;
    if (id + 2 > this.to.length) this.grow();
    this.push(from, to, capacity, cost);
    this.push(to, from, 0, -cost);
    return id;
  }

  private grow(): void {
    const size = this.to.length * 2;
    const copy = <T extends Int32Array | Float64Array>(a: T, make: (n: number) => T): T => {
      const b = make(size);
      b.set(a);
      return b;
    };
    this.to = copy(this.to, (n) => new Int32Array(n));
    this.cap = copy(this.cap, (n) => new Float64Array(n));
    this.cost = copy(this.cost, (n) => new Float64Array(n));
    this.next = copy(this.next, (n) => new Int32Array(n));
  }

  private push(from: number, to: number, capacity: number, cost: number): void {
    const e = this.arcs++;
    this.to[e] = to;
    this.cap[e] = capacity;
    this.cost[e] = cost;
    this.next[e] = this.head[from]!;
    this.head[from] = e;
  }

  flow(arc: number): number {
    return this.cap[arc ^ 1]!;
  }

  /**
   * Sends up to `limit` units from `source` to `sink` at minimum cost; returns the units sent and
   * their cost. With `stopAt`, gives up (`stopped`) as soon as sending all `limit` units cannot
   * cost less than it: each path costs at least as much as the one before (successive shortest
   * paths from a network without negative cycles), so the rest costs at least the current path's
   * cost per unit.
   */
  run(source: number, sink: number, limit: number, stopAt = Infinity): { flow: number; cost: number; stopped?: true } {
    const { to, cap, cost, nodes } = this;
    let flow = 0;
    let total = 0;
    if (this.dist.length < nodes) {
      this.dist = new Float64Array(nodes);
      this.via = new Int32Array(nodes);
      this.dirty = new Int32Array((nodes + 31) >>> 5);
    }
    const { dist, via } = this;
    const arcs = { to, cap, cost, ...this.liveLists(sink) };
    const scratch = { dist, via, dirty: this.dirty };
    while (flow < limit) {
      shortestPaths(arcs, nodes, source, scratch);
      if (dist[sink] === Infinity) break;
      if (total + (limit - flow) * dist[sink]! >= stopAt) return { flow, cost: total, stopped: true };
      let push = limit - flow;
      for (let v = sink; v !== source; v = to[via[v]! ^ 1]!) push = Math.min(push, cap[via[v]!]!);
      for (let v = sink; v !== source; v = to[via[v]! ^ 1]!) {
        cap[via[v]!]! -= push;
        cap[via[v]! ^ 1]! += push;
        this.makeLive(via[v]! ^ 1, v);
      }
      flow += push;
      total += push * dist[sink]!;
    }
    return { flow, cost: total };
  }

  /**
   * Each node's arcs in its `head`/`next` order, but only those with capacity left when the flow
   * starts and leading to a node from which the sink can be reached (ADR 0058). The planner's
   * networks are half reverse arcs with no capacity, and many lead to a specialty the student
   * may take no more of: every search used to read and skip or follow them.
   * - An arc without capacity gains some only when its reverse carries flow (`makeLive` puts it
   *   back in its place), so the searches relax the same arcs in the same order as over the full
   *   lists.
   * - A node that cannot reach the sink never can: an augmenting path adds only arcs between
   *   nodes of the path, which all reach the sink. No path to the sink goes through it, so leaving
   *   out the arcs into it changes no other node's distance or path (their own `dist`/`via` are
   *   then left unreached, and nobody reads them).
   * So the distances and paths that matter, and every arc's flow, are those of the full lists.
   */
  private liveLists(sink: number): ArcLists {
    const { nodes, head, next, cap, to } = this;
    const arcs = this.arcs;
    if (this.rank.length < arcs) {
      this.rank = new Int32Array(this.to.length);
      this.listed = new Uint8Array(this.to.length);
      this.list = new Int32Array(this.to.length);
    }
    if (this.start.length < nodes + 1) {
      this.start = new Int32Array(nodes + 1);
      this.count = new Int32Array(nodes);
      this.reaches = new Uint8Array(nodes);
      this.queue = new Int32Array(nodes);
    }
    const { start, count, list, rank, listed, reaches, queue } = this;
    // Nodes from which the sink can be reached over arcs with capacity (backwards from the sink).
    reaches.fill(0, 0, nodes);
    reaches[sink] = 1;
    queue[0] = sink;
    for (let read = 0, write = 1; read < write; read++) {
      const v = queue[read]!;
      for (let e = head[v]!; e !== -1; e = next[e]!) {
        const u = to[e]!;
        if (reaches[u] === 0 && cap[e ^ 1]! > 0) {
          reaches[u] = 1;
          queue[write++] = u;
        }
      }
    }
    let at = 0;
    for (let u = 0; u < nodes; u++) {
      start[u] = at;
      let n = 0;
      let position = 0;
      for (let e = head[u]!; e !== -1; e = next[e]!) {
        rank[e] = position++;
        // An arc into a node that cannot reach the sink is never listed (its reverse never gets flow).
        listed[e] = cap[e]! > 0 && reaches[to[e]!] === 1 ? 1 : 0;
        if (listed[e]) list[at + n++] = e;
      }
      count[u] = n;
      at += position;
    }
    start[nodes] = at;
    return { start, count, list };
  }

  /** Lists arc `e` (leaving node `from`) among the live ones, at its place in `head` order. */
  private makeLive(e: number, from: number): void {
    if (this.listed[e]) return;
    this.listed[e] = 1;
    const { start, count, list, rank } = this;
    const first = start[from]!;
    let i = first + count[from]!++;
    for (; i > first && rank[list[i - 1]!]! > rank[e]!; i--) list[i] = list[i - 1]!;
    list[i] = e;
  }
}

/**
 * Each node's arcs to relax, in the order a search relaxes them: node u's are
 * `list[start[u] .. start[u] + count[u])`.
 */
export interface ArcLists {
  start: Int32Array;
  count: Int32Array;
  list: Int32Array;
}

/** A residual network in arrays: arc e's reverse is e ^ 1. */
export interface ResidualArcs extends ArcLists {
  to: Int32Array;
  /** Capacity left per arc. */
  cap: Int32Array | Float64Array;
  cost: Float64Array;
}

/** The lists of a network linked by `head`/`next` (every arc, in that order). */
export function arcListsOf(head: Int32Array, next: Int32Array, nodes: number): ArcLists {
  const start = new Int32Array(nodes + 1);
  const count = new Int32Array(nodes);
  const list = new Int32Array(next.length);
  let at = 0;
  for (let u = 0; u < nodes; u++) {
    start[u] = at;
    for (let e = head[u]!; e !== -1; e = next[e]!) list[at++] = e;
    count[u] = at - start[u]!;
  }
  start[nodes] = at;
  return { start, count, list };
}

/** Per-node work arrays of `shortestPaths`, at least `nodes` long. */
export interface PathScratch {
  dist: Float64Array;
  /** The arc each node was last reached by (-1: not reached). */
  via: Int32Array;
  /** A bit per node (node v: bit v & 31 of word v >>> 5), at least (nodes + 31) >>> 5 words. */
  dirty: Int32Array;
}

/**
 * One search of successive shortest paths: Bellman–Ford from `source` over the arcs with
 * capacity left, in rounds in node order that scan only the nodes whose distance fell since they
 * were last scanned — the same distances and the same `via` arcs, ties included, as full rounds
 * (ADR 0049). `dist[v]` is Infinity where no path reaches v. Shared by the planner's flows and the
 * seats' Lagrangian bound (optimal/priced-schedule.ts), whose paths must be chosen alike.
 */
export function shortestPaths(arcs: ResidualArcs, nodes: number, source: number, scratch: PathScratch): void {
  const { to, cap, cost, start, count, list } = arcs;
  const { dist, via, dirty } = scratch;
  const words = (nodes + 31) >>> 5;
  dist.fill(Infinity, 0, nodes);
  via.fill(-1, 0, nodes);
  dirty.fill(0, 0, words);
  dist[source] = 0;
  dirty[source >>> 5] = 1 << (source & 31);
  // A round visits the dirty nodes in node order, a word of the bit set at a time: a node marked
  // behind the sweep waits for the next round, one marked ahead of it is visited in this one,
  // as in a full sweep of every node (which only skipped the clean ones).
  for (let round = 0, pending = true; pending && round < nodes; round++) {
    pending = false;
    for (let w = 0; w < words; w++) {
      // Bits at or below the last node visited in this word belong to the next round.
      let ahead = -1;
      for (;;) {
        const bits = dirty[w]! & ahead;
        if (bits === 0) break;
        const b = 31 - Math.clz32(bits & -bits);
        dirty[w] = dirty[w]! & ~(1 << b);
        ahead = b === 31 ? 0 : ~((2 << b) - 1);
        const u = (w << 5) | b;
        const du = dist[u]!;
        for (let i = start[u]!, end = i + count[u]!; i < end; i++) {
          const e = list[i]!;
          if (cap[e]! <= 0) continue;
          const v = to[e]!;
          const d = du + cost[e]!;
          if (d < dist[v]!) {
            dist[v] = d;
            via[v] = e;
            dirty[v >>> 5] = dirty[v >>> 5]! | (1 << (v & 31));
          }
        }
      }
    }
    // Nodes marked behind the sweep (in this word or an earlier one) wait for the next round.
    for (let w = 0; w < words; w++) if (dirty[w] !== 0) pending = true;
  }
}
