import { type AllocationInput, runVariations } from '../src';
import { canonicalizeInput } from '../src/canonical';
import { createContext } from '../src/context';
import { buildInstance } from '../src/instance';
import type * as Lottery from '../src/lottery';
import { runLottery } from '../src/lottery';
import { completePartial } from '../src/optimal';
import { startAt } from '../src/optimal/attempts';
import { buildStageOne, stageOneStart } from '../src/optimal/decomposed';
import { createSession } from '../src/optimal/session';
import { parseAllocationInput } from '../src/schema';
import { getHighs } from '../src/solver/highs';
import { blocks, prefs, site, student } from './support/build';

// Counts the lottery draws of a run (the real planner runs).
jest.mock('../src/lottery', () => {
  const actual: typeof Lottery = jest.requireActual('../src/lottery');
  return { ...actual, runLottery: jest.fn(actual.runLottery) };
});
const draws = runLottery as jest.MockedFunction<typeof runLottery>;
const actualLottery: typeof runLottery = (jest.requireActual('../src/lottery') as typeof Lottery).runLottery;

/** The lottery gets stuck here (see lottery.test.ts); an allocation exists. */
const input: AllocationInput = {
  blocks: blocks('b1', 'b2'),
  students: [student('first', 1, { X: 1 }, { priority: 1 }), student('second', 2, { X: 1, Y: 1 })],
  sites: [site('X1', 'b1', 1, 'X'), site('X2', 'b2', 1, 'X'), site('Y1', 'b1', 1, 'Y')],
  preferences: [...prefs('first', { X2: 1, X1: 2 }), ...prefs('second', { X1: 1, X2: 1, Y1: 1 })],
};

describe("OPTIMAL's warm start", () => {
  beforeEach(() => draws.mockClear());

  it('draws no second lottery when the run drew its own and none was complete (the budget goes to the solver)', async () => {
    const { variations } = await runVariations(input, { seed: 's', timeLimitSeconds: 60 });
    expect(variations.map((v) => `${v.mechanism}:${v.status}`)).toEqual(['OPTIMAL:OPTIMAL', 'LOTTERY:PARTIAL']);
    expect(draws).toHaveBeenCalledTimes(1);
  });

  it('draws one of its own when OPTIMAL runs alone', async () => {
    const { variations } = await runVariations(input, { seed: 's', timeLimitSeconds: 60, mechanisms: ['OPTIMAL'] });
    expect(variations.map((v) => `${v.mechanism}:${v.status}`)).toEqual(['OPTIMAL:OPTIMAL']);
    expect(draws).toHaveBeenCalledTimes(1);
  });
});

describe('a partial lottery completed into a warm start', () => {
  it('places the students the draw left out and keeps everyone else, within the seats', async () => {
    const inst = buildInstance(canonicalizeInput(parseAllocationInput(input)));
    const draw = await actualLottery(inst, 's');
    expect(draw.unplaced.map((u) => inst.students[u.student]!.id)).toEqual(['second']);
    const notes: string[] = [];
    const picks = completePartial(
      await getHighs(),
      inst,
      createContext({ timeLimitSeconds: 60 }),
      new Int32Array(inst.students.length),
      { picks: draw.picks, unplaced: draw.unplaced.map((u) => u.student) },
      notes,
    );
    expect(picks).not.toBeNull();
    const perStudent = new Map<number, number>();
    const perSite = new Map<number, number>();
    for (const p of picks!) {
      perStudent.set(p.student, (perStudent.get(p.student) ?? 0) + 1);
      perSite.set(p.site, (perSite.get(p.site) ?? 0) + 1);
    }
    for (const st of inst.students) expect(perStudent.get(st.index)).toBe(st.blocksToFill);
    for (const [i, n] of perSite) expect(n).toBeLessThanOrEqual(inst.sites[i]!.seats);
    expect(notes.join('\n')).toMatch(/left 1 students unplaced; completed/);
  });

  it("is what OPTIMAL starts from when the run's lottery was partial", async () => {
    const { variations } = await runVariations(input, { seed: 's', timeLimitSeconds: 60 });
    const optimal = variations[0]!;
    expect(optimal.status).toBe('OPTIMAL');
    expect('solver' in optimal && optimal.solver.notes.join('\n')).toMatch(/lottery left 1 students unplaced; completed/);
  });
});

describe('a warm start above the worst rank being tried', () => {
  // Each student ranks a different department first; the warm start swaps them (everyone at 2).
  const swapped: AllocationInput = {
    blocks: blocks('b1'),
    students: [student('ann', 1, { X: 1 }), student('bob', 1, { X: 1 })],
    sites: [site('A', 'b1', 1), site('B', 'b1', 1)],
    preferences: [...prefs('ann', { A: 1, B: 2 }), ...prefs('bob', { B: 1, A: 2 })],
  };

  it('is moved within the caps (the students above them re-solved around the others)', async () => {
    const inst = buildInstance(canonicalizeInput(parseAllocationInput(swapped)));
    const at = (id: string, dept: string) => ({
      student: inst.students.find((s) => s.id === id)!.index,
      site: inst.sites.find((x) => x.departmentId === dept)!.index,
    });
    const warm = [at('ann', 'B'), at('bob', 'A')];
    const ctx = createContext({ timeLimitSeconds: 60 });
    const session = createSession(await getHighs(), inst, ctx, new Int32Array(inst.students.length), warm);
    const caps = session.capsAt(1);
    const one = buildStageOne(inst, caps);
    expect(stageOneStart(inst, one, caps, warm)).toBeUndefined();
    const notes: string[] = [];
    const start = startAt(session, 1, caps, one, notes);
    expect(start).toBeDefined();
    // Both at their first choice: the start's objective is the optimum, 2.
    const cost = Array.from(start!).reduce((t, v, c) => t + v * one.model.colCost[c]!, one.model.offset);
    expect(cost).toBe(2);
    expect(notes.join('\n')).toMatch(/2 students above it in the warm start, moved within it/);
  });
});
