import { type AllocationInput, runVariations } from '../src';
import type * as Lottery from '../src/lottery';
import { runLottery } from '../src/lottery';
import { blocks, prefs, site, student } from './support/build';

// Counts the lottery draws of a run (the real planner runs).
jest.mock('../src/lottery', () => {
  const actual: typeof Lottery = jest.requireActual('../src/lottery');
  return { ...actual, runLottery: jest.fn(actual.runLottery) };
});
const draws = runLottery as jest.MockedFunction<typeof runLottery>;

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
