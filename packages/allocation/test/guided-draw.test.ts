import { type AllocationInput, type AllocationResult, compareDraws, runVariations } from '../src';
import { canonicalizeInput } from '../src/canonical';
import { createContext } from '../src/context';
import { checkNecessaryConditions, floorsOf } from '../src/feasibility';
import { buildInstance } from '../src/instance';
import { runLottery } from '../src/lottery';
import { drawsGuided, GUIDED_MAX_STUDENTS, guidedView, guidedWarmStart, relaxesPlaces } from '../src/optimal/guided-draw';
import { createSession, totalRank } from '../src/optimal/session';
import { parseAllocationInput } from '../src/schema';
import { getHighs } from '../src/solver/highs';
import { blocks, expectValid, prefs, site, solvedOf, student } from './support/build';

const instanceOf = (input: AllocationInput) => buildInstance(canonicalizeInput(parseAllocationInput(input)));

// The greedy trap: both want A, one seat each at A and B; ann ranks B second, bob third. Whoever
// draws first takes A, and when ann does, bob is left with his third choice (total 4, worst 3).
// The optimum gives ann B (total 3, worst 2), and so does the places relaxation.
const trap: AllocationInput = {
  blocks: blocks('b1'),
  students: [student('ann', 1, { X: 1 }), student('bob', 1, { X: 1 })],
  sites: [site('A', 'b1', 1), site('B', 'b1', 1)],
  preferences: [...prefs('ann', { A: 1, B: 2 }), ...prefs('bob', { A: 1, B: 3 })],
};
const seeds = Array.from({ length: 12 }, (_, i) => `seed-${i}`);

describe('the guided draw: the warm start of a large instance (ADR 0073)', () => {
  it("keeps a student's ranks at the relaxation's departments and moves the others below them", () => {
    const inst = instanceOf(trap);
    const ann = inst.studentIndex.get('ann')!;
    const used = inst.students.map(() => new Uint8Array(inst.departments.length));
    used[ann]![inst.departments.indexOf('B')] = 1;
    const view = guidedView(inst, used);
    const at = (id: string) => inst.sites.find((x) => x.departmentId === id)!;
    expect(view.rankOf(ann, at('B'))).toBe(2);
    expect(view.rankOf(ann, at('A'))).toBe(1 + inst.unrankedRank);
    expect(view.candidates[ann]!.find((c) => c.site === at('A').index)!.rank).toBe(1 + inst.unrankedRank);
    expect(view.unrankedRank).toBe(2 * inst.unrankedRank);
    // The instance itself is untouched.
    expect(inst.rankOf(ann, at('A'))).toBe(1);
  });

  it('avoids the trap whatever the order of the draw, where a plain draw falls into it', async () => {
    const inst = instanceOf(trap);
    const floor = floorsOf(inst, checkNecessaryConditions(inst));
    const plain: number[] = [];
    const guided: number[] = [];
    for (const seed of seeds) {
      plain.push(totalRank(inst, (await runLottery(inst, seed)).picks));
      const ctx = createContext({ timeLimitSeconds: 30 });
      const notes: string[] = [];
      const out = await guidedWarmStart(createSession(await getHighs(), inst, ctx, floor, null), floor, seed, ctx, notes);
      expect(out.relaxations.get(1)!.infeasible).toBe(true);
      expect(out.relaxations.get(2)!.bound).toBeCloseTo(3);
      expect(notes.join('\n')).toMatch(/a draw guided by worst rank 2's relaxation, total 3/);
      guided.push(totalRank(inst, out.picks!));
    }
    expect(plain).toContain(4);
    expect(guided.every((t) => t === 3)).toBe(true);
  });

  it("measures both draws against the relaxation's places for the bench", async () => {
    const rows = await compareDraws(trap, seeds);
    const plain = rows.filter((r) => r.kind === 'plain');
    const guided = rows.filter((r) => r.kind === 'guided');
    expect(plain).toHaveLength(seeds.length);
    // Where ann drew first, bob ends two ranks above his LP place (B at 3 against A at 1).
    expect(plain.some((r) => r.total === 4 && r.outside === 2 && r.above.length === 1 && r.above[0] === 2)).toBe(true);
    expect(guided.every((r) => r.total === 3 && r.outside === 0 && r.above.length === 0 && r.unplaced === 0)).toBe(true);
  });

  it('runs OPTIMAL before the lottery draws on a large instance, from its own guided draw', async () => {
    const order = async (guidedDrawFrom?: number) => {
      const finished: string[] = [];
      const out = await runVariations(trap, {
        seed: 'seed-0',
        timeLimitSeconds: 30,
        guidedDrawFrom,
        onVariation: (v: AllocationResult) => finished.push(v.mechanism),
      });
      return { finished, out };
    };
    const large = await order(0);
    expect(large.finished).toEqual(['OPTIMAL', 'LOTTERY']);
    const optimal = solvedOf(large.out.variations[0]!);
    expect(optimal.status).toBe('OPTIMAL');
    expect(optimal.metrics.totalRank).toBe(3);
    expect(optimal.solver.notes.join('\n')).toMatch(/a draw guided by worst rank 2's relaxation/);
    expectValid(trap, optimal);
    // Below the default size, OPTIMAL starts from the run's lottery, after it, as before.
    const small = await order();
    expect(small.finished).toEqual(['LOTTERY', 'OPTIMAL']);
    expect(solvedOf(small.out.variations[0]!).solver.notes.join('\n')).not.toMatch(/guided/);
  });

  it('still draws a plain start for a MONOLITHIC run, which draws no guided one', async () => {
    // A budget spent before any solve: the run's answer is its start, and without one it times out.
    const out = await runVariations(trap, {
      seed: 'seed-0',
      mechanisms: ['OPTIMAL'],
      strategy: 'MONOLITHIC',
      guidedDrawFrom: 0,
      timeLimitSeconds: 0.001,
    });
    expect(out.variations[0]!.status).toBe('FEASIBLE');
    expectValid(trap, out.variations[0]!);
  });

  it('keeps the lottery first above GUIDED_MAX_STUDENTS, with the relaxation still its proof and bound', async () => {
    // 501 students who all rank A first and B second, 300 seats at each: worst rank 1 is impossible.
    const ids = Array.from({ length: GUIDED_MAX_STUDENTS + 1 }, (_, i) => `s${String(i).padStart(3, '0')}`);
    const many: AllocationInput = {
      blocks: blocks('b1'),
      students: ids.map((id) => student(id, 1, { X: 1 })),
      sites: [site('A', 'b1', 300), site('B', 'b1', 300)],
      preferences: ids.flatMap((id) => prefs(id, { A: 1, B: 2 })),
    };
    expect(relaxesPlaces(instanceOf(many), 0)).toBe(true);
    expect(drawsGuided(instanceOf(many), 0)).toBe(false);
    expect(drawsGuided(instanceOf({ ...many, students: many.students.slice(1), preferences: many.preferences.slice(2) }), 0)).toBe(true);
    const finished: string[] = [];
    const out = await runVariations(many, {
      seed: 'seed-0',
      timeLimitSeconds: 30,
      guidedDrawFrom: 0,
      onVariation: (v: AllocationResult) => finished.push(v.mechanism),
    });
    expect(finished).toEqual(['LOTTERY', 'OPTIMAL']);
    const optimal = solvedOf(out.variations[0]!);
    const notes = optimal.solver.notes.join('\n');
    expect(notes).toMatch(/worst rank 1: stage 1 with the order of blocks relaxed \(\d+ columns\): LP infeasible/);
    expect(notes).not.toMatch(/a draw guided/);
    expect(optimal.solver.worstRankProven).toBe(true);
    expect(optimal.metrics.totalRank).toBe(300 + 2 * 201);
  });
});
