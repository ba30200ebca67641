/**
 * Minimum-cost flow by successive shortest paths (Bellman–Ford, so negative arc costs are fine
 * on an acyclic start). Costs must be integers (exact arithmetic: float round-off could fake a
 * negative residual cycle). Meant for the tiny per-student networks of the planner (a few dozen
 * nodes), where it is exact, deterministic and far cheaper than a solver call.
 */
export class MinCostFlow {
  protected readonly to: number[] = [];
  protected readonly cap: number[] = [];
  protected readonly cost: number[] = [];
  protected readonly head: number[];
  protected readonly next: number[] = [];

  constructor(readonly nodes: number) {
    this.head = new Array<number>(nodes).fill(-1);
  }

  /** Adds an arc and returns its id (its flow is read with `flow(id)`). */
  addArc(from: number, to: number, capacity: number, cost: number): number {
    if (!Number.isSafeInteger(cost)) throw new RangeError(`arc cost must be a safe integer, got ${cost}`);
    const id = this.to.length;
    this.push(from, to, capacity, cost);
    this.push(to, from, 0, -cost);
    return id;
  }

  private push(from: number, to: number, capacity: number, cost: number): void {
    this.to.push(to);
    this.cap.push(capacity);
    this.cost.push(cost);
    this.next.push(this.head[from]!);
    this.head[from] = this.to.length - 1;
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
    const dist = new Float64Array(nodes);
    const via = new Int32Array(nodes);
    // Nodes whose distance fell since they were last scanned. Scanning any other node could not
    // lower a distance (its arcs were relaxed at its current distance already), so skipping them
    // leaves every round's updates, and so the paths chosen among equal ones, as a full
    // Bellman–Ford round in node order makes them (ADR 0049).
    const dirty = new Uint8Array(nodes);
    while (flow < limit) {
      dist.fill(Infinity);
      via.fill(-1);
      dirty.fill(0);
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
        if (!changed) break;
      }
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
