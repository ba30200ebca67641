import fc from 'fast-check';
import { MinCostFlow } from '../src/solver/min-cost-flow';
import { ReferenceMinCostFlow } from './support/reference-min-cost-flow';

/**
 * The flow's Bellman–Ford scans only the nodes whose distance fell since their last scan (ADR
 * 0049). Against the full rounds it replaced (kept in test/support as the oracle): the same
 * units, cost and flow on every arc — so the same path among equal ones at every step — on
 * random acyclic networks whose node numbers are not in topological order (so rounds after the
 * first matter), with negative costs, the planner's −BIG "mandatory" arcs and many equal costs;
 * and its early stop (a bound on what the rest of the flow can cost) only when it is right.
 */

const BIG = 1e13;

const networkArb = fc
  .record({
    nodes: fc.integer({ min: 2, max: 12 }),
    order: fc.array(fc.nat(), { minLength: 12, maxLength: 12 }),
    arcs: fc.array(
      fc.record({
        a: fc.nat(),
        b: fc.nat(),
        capacity: fc.integer({ min: 0, max: 3 }),
        cost: fc.oneof(fc.integer({ min: -3, max: 3 }), fc.constant(-BIG), fc.integer({ min: -50, max: 50 })),
      }),
      { maxLength: 40 },
    ),
    limit: fc.integer({ min: 1, max: 8 }),
  })
  .map(({ nodes, order, arcs, limit }) => {
    // A random topological order (position → node): arcs go from earlier to later positions.
    const rank = Array.from({ length: nodes }, (_, i) => i).sort((x, y) => order[x]! - order[y]! || x - y);
    const edges = arcs
      .map(({ a, b, capacity, cost }) => ({ i: a % nodes, j: b % nodes, capacity, cost }))
      .filter(({ i, j }) => i !== j)
      .map(({ i, j, capacity, cost }) => ({ from: rank[Math.min(i, j)]!, to: rank[Math.max(i, j)]!, capacity, cost }));
    return { nodes, edges, source: rank[0]!, sink: rank[nodes - 1]!, limit };
  });

/**
 * The planner's shape: source → blocks (1 each) → departments (arcs of cost 0–2, so many equal
 * ones, parallel arcs included) → sink (1 each). Filling every block often sends a later unit
 * back along a block's arc, so reverse arcs gain and lose capacity all the time: the live lists
 * (ADR 0058) must list an arc again, in its place, when it gains capacity (without that, about
 * one network in six here gets another flow).
 */
const assignmentArb = fc
  .record({
    blocks: fc.integer({ min: 2, max: 5 }),
    departments: fc.integer({ min: 2, max: 5 }),
    arcs: fc.array(fc.record({ b: fc.nat(), d: fc.nat(), cost: fc.integer({ min: 0, max: 2 }) }), { maxLength: 20 }),
  })
  .map(({ blocks, departments, arcs }) => {
    const nodes = blocks + departments + 2;
    const edges = [
      ...Array.from({ length: blocks }, (_, b) => ({ from: 0, to: 1 + b, capacity: 1, cost: 0 })),
      ...arcs.map(({ b, d, cost }) => ({ from: 1 + (b % blocks), to: 1 + blocks + (d % departments), capacity: 1, cost })),
      ...Array.from({ length: departments }, (_, d) => ({ from: 1 + blocks + d, to: nodes - 1, capacity: 1, cost: 0 })),
    ];
    return { nodes, edges, source: 0, sink: nodes - 1, limit: blocks };
  });

describe('MinCostFlow', () => {
  it('sends the same flow on every arc as full Bellman–Ford rounds', () => {
    fc.assert(
      fc.property(networkArb, ({ nodes, edges, source, sink, limit }) => {
        const fast = new MinCostFlow(nodes);
        const slow = new ReferenceMinCostFlow(nodes);
        const ids = edges.map((e) => [fast.addArc(e.from, e.to, e.capacity, e.cost), slow.addArc(e.from, e.to, e.capacity, e.cost)]);
        expect(fast.run(source, sink, limit)).toEqual(slow.run(source, sink, limit));
        expect(ids.map(([f]) => fast.flow(f!))).toEqual(ids.map(([, s]) => slow.flow(s!)));
      }),
      { numRuns: Number(process.env.RUNS ?? 400), seed: Number(process.env.SEED ?? 490049) },
    );
  });

  it('sends the same flow as full rounds where later units reroute earlier ones (reverse arcs)', () => {
    fc.assert(
      fc.property(assignmentArb, ({ nodes, edges, source, sink, limit }) => {
        const fast = new MinCostFlow(nodes);
        const slow = new ReferenceMinCostFlow(nodes);
        const ids = edges.map((e) => [fast.addArc(e.from, e.to, e.capacity, e.cost), slow.addArc(e.from, e.to, e.capacity, e.cost)]);
        expect(fast.run(source, sink, limit)).toEqual(slow.run(source, sink, limit));
        expect(ids.map(([f]) => fast.flow(f!))).toEqual(ids.map(([, s]) => slow.flow(s!)));
      }),
      { numRuns: Number(process.env.RUNS ?? 1000), seed: Number(process.env.SEED ?? 580058) },
    );
  });

  it('gives the same flow when one network is reset and reused for every instance (the planner keeps one)', () => {
    const reused = new MinCostFlow(0);
    fc.assert(
      fc.property(networkArb, ({ nodes, edges, source, sink, limit }) => {
        const fresh = new MinCostFlow(nodes);
        reused.reset(nodes);
        const ids = edges.map((e) => [fresh.addArc(e.from, e.to, e.capacity, e.cost), reused.addArc(e.from, e.to, e.capacity, e.cost)]);
        expect(reused.run(source, sink, limit)).toEqual(fresh.run(source, sink, limit));
        expect(ids.map(([, r]) => reused.flow(r!))).toEqual(ids.map(([f]) => fresh.flow(f!)));
      }),
      { numRuns: Number(process.env.RUNS ?? 400), seed: Number(process.env.SEED ?? 540054) },
    );
  });

  it('gives up early only when sending every unit could not cost less than the stop', () => {
    let stops = 0;
    fc.assert(
      fc.property(networkArb, fc.integer({ min: -120, max: 120 }), ({ nodes, edges, source, sink, limit }, stopAt) => {
        const whole = new MinCostFlow(nodes);
        const early = new MinCostFlow(nodes);
        for (const e of edges) {
          whole.addArc(e.from, e.to, e.capacity, e.cost);
          early.addArc(e.from, e.to, e.capacity, e.cost);
        }
        const all = whole.run(source, sink, limit);
        const cut = early.run(source, sink, limit, stopAt);
        if (cut.stopped) {
          stops++;
          expect(all.flow < limit || all.cost >= stopAt).toBe(true);
        } else expect(cut).toEqual(all);
      }),
      { numRuns: Number(process.env.RUNS ?? 400), seed: Number(process.env.SEED ?? 490050) },
    );
    // The stop is taken, not only allowed.
    expect(stops).toBeGreaterThan(10);
  });

  it('takes the cheaper of two routes, through a negative arc, and stops at the cut', () => {
    const net = new MinCostFlow(4);
    const cheap = net.addArc(0, 1, 1, 5);
    const dear = net.addArc(0, 2, 2, 9);
    const back = net.addArc(1, 3, 1, -4);
    const out = net.addArc(2, 3, 5, 0);
    expect(net.run(0, 3, 5)).toEqual({ flow: 3, cost: 1 + 18 });
    expect([cheap, dear, back, out].map((a) => net.flow(a))).toEqual([1, 2, 1, 2]);
    // After the first unit (cost 1), four more at 9 or more: 1 + 4 × 9 ≥ 30, so it stops there.
    const again = new MinCostFlow(4);
    again.addArc(0, 1, 1, 5);
    again.addArc(0, 2, 2, 9);
    again.addArc(1, 3, 1, -4);
    again.addArc(2, 3, 5, 0);
    expect(again.run(0, 3, 5, 30)).toEqual({ flow: 1, cost: 1, stopped: true });
  });
});
