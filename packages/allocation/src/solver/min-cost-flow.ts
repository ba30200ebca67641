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
  private dirty = new Uint8Array(0);

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
    const { to, cap, cost, head, next, nodes } = this;
    let flow = 0;
    let total = 0;
    if (this.dist.length < nodes) {
      this.dist = new Float64Array(nodes);
      this.via = new Int32Array(nodes);
      this.dirty = new Uint8Array(nodes);
    }
    const { dist, via, dirty } = this;
    // Nodes whose distance fell since they were last scanned. Scanning any other node could not
    // lower a distance (its arcs were relaxed at its current distance already), so skipping them
    // leaves every round's updates, and so the paths chosen among equal ones, as a full
    // Bellman–Ford round in node order makes them (ADR 0049).
    while (flow < limit) {
      shortestPaths({ to, cap, cost, head, next }, nodes, source, { dist, via, dirty });
      if (dist[sink] === Infinity) break;
      if (total + (limit - flow) * dist[sink]! >= stopAt) return { flow, cost: total, stopped: true };
      let push = limit - flow;
      for (let v = sink; v !== source; v = to[via[v]! ^ 1]!) push = Math.min(push, cap[via[v]!]!);
      for (let v = sink; v !== source; v = to[via[v]! ^ 1]!) {
        cap[via[v]!]! -= push;
        cap[via[v]! ^ 1]! += push;
      }
      flow += push;
      total += push * dist[sink]!;
    }
    return { flow, cost: total };
  }
}

/** A residual network in arrays: arc e's reverse is e ^ 1; `head`/`next` list each node's arcs. */
export interface ResidualArcs {
  to: Int32Array;
  /** Capacity left per arc. */
  cap: Int32Array | Float64Array;
  cost: Float64Array;
  head: Int32Array;
  next: Int32Array;
}

/** Per-node work arrays of `shortestPaths`, at least `nodes` long. */
export interface PathScratch {
  dist: Float64Array;
  /** The arc each node was last reached by (-1: not reached). */
  via: Int32Array;
  dirty: Uint8Array;
}

/**
 * One search of successive shortest paths: Bellman–Ford from `source` over the arcs with
 * capacity left, in rounds in node order that scan only the nodes whose distance fell since they
 * were last scanned — the same distances and the same `via` arcs, ties included, as full rounds
 * (ADR 0049). `dist[v]` is Infinity where no path reaches v. Shared by the planner's flows and the
 * seats' Lagrangian bound (optimal/priced-schedule.ts), whose paths must be chosen alike.
 */
export function shortestPaths(arcs: ResidualArcs, nodes: number, source: number, scratch: PathScratch): void {
  const { to, cap, cost, head, next } = arcs;
  const { dist, via, dirty } = scratch;
  dist.fill(Infinity, 0, nodes);
  via.fill(-1, 0, nodes);
  dirty.fill(0, 0, nodes);
  dist[source] = 0;
  dirty[source] = 1;
  for (let round = 0; round < nodes; round++) {
    let changed = false;
    for (let u = 0; u < nodes; u++) {
      if (dirty[u] === 0) continue;
      dirty[u] = 0;
      const du = dist[u]!;
      for (let e = head[u]!; e !== -1; e = next[e]!) {
        if (cap[e]! <= 0) continue;
        const v = to[e]!;
        const d = du + cost[e]!;
        if (d < dist[v]!) {
          dist[v] = d;
          via[v] = e;
          dirty[v] = 1;
          changed = true;
        }
      }
    }
    if (!changed) return;
  }
}
