import { MinCostFlow } from '../../src/solver/min-cost-flow';

/** The Bellman–Ford of session 8 (every node every round), kept as the oracle of test/min-cost-flow.test.ts. */
export class ReferenceMinCostFlow extends MinCostFlow {
  /** Sends up to `limit` units from `source` to `sink` at minimum cost; returns the units sent and their cost. */
  override run(source: number, sink: number, limit: number): { flow: number; cost: number } {
    let flow = 0;
    let total = 0;
    const dist = new Array<number>(this.nodes);
    const via = new Array<number>(this.nodes);
    while (flow < limit) {
      dist.fill(Infinity);
      via.fill(-1);
      dist[source] = 0;
      // Bellman–Ford with an early exit; the graphs here are tiny.
      for (let round = 0; round < this.nodes; round++) {
        let changed = false;
        for (let u = 0; u < this.nodes; u++) {
          if (dist[u] === Infinity) continue;
          for (let e = this.head[u]!; e !== -1; e = this.next[e]!) {
            if (this.cap[e]! > 0 && dist[u]! + this.cost[e]! < dist[this.to[e]!]!) {
              dist[this.to[e]!] = dist[u]! + this.cost[e]!;
              via[this.to[e]!] = e;
              changed = true;
            }
          }
        }
        if (!changed) break;
      }
      if (dist[sink] === Infinity) break;
      let push = limit - flow;
      for (let v = sink; v !== source; v = this.to[via[v]! ^ 1]!) push = Math.min(push, this.cap[via[v]!]!);
      for (let v = sink; v !== source; v = this.to[via[v]! ^ 1]!) {
        this.cap[via[v]!]! -= push;
        this.cap[via[v]! ^ 1]! += push;
      }
      flow += push;
      total += push * dist[sink]!;
    }
    return { flow, cost: total };
  }
}
