import { type AllocationInput, runVariations } from '../src';
import { canonicalizeInput } from '../src/canonical';
import { createContext } from '../src/context';
import { buildInstance } from '../src/instance';
import type * as Lottery from '../src/lottery';
import { runLottery } from '../src/lottery';
import { completePartial } from '../src/optimal';
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
