import { type AllocationInput, runVariations } from '../src';
import { LpBuilder } from '../src/solver/lp-builder';
import { getHighs, SolverAborted, solveMip } from '../src/solver/highs';
import { blocks, expectValid, prefs, site, solvedOf, student } from './support/build';

/**
 * HiGHS runs in WebAssembly with at most 2 GB: a model too large for it aborts the runtime
 * (year1000's stage 1 did, taking the whole run down). Here the real runtime's memory is filled
 * first (its exported malloc, until nothing more fits), so its next solve aborts as it did.
 */
async function exhaustTheRuntime(): Promise<void> {
  const highs = (await getHighs()) as unknown as { _malloc(bytes: number): number };
  for (let bytes = 2 ** 30; bytes >= 16; bytes /= 2) while (highs._malloc(bytes));
}

/** min x + y with x + y ≥ 1. */
const tiny = () => {
  const lp = new LpBuilder();
  const [x, y] = [lp.addCol(1, 0, 1), lp.addCol(1, 0, 1)];
  lp.addRow(1, Infinity, [x, y]);
  return lp.build();
};

/** Two students, enough seats: the lottery places both. */
const input: AllocationInput = {
  blocks: blocks('b1'),
  students: [student('first', 1, { X: 1 }), student('second', 1, { X: 1 })],
  sites: [site('X1', 'b1', 1, 'X'), site('Y1', 'b1', 1, 'X')],
  preferences: [...prefs('first', { X1: 1, Y1: 2 }), ...prefs('second', { X1: 1, Y1: 2 })],
};

describe('a solver abort', () => {
  it('is a SolverAborted, and the next solve gets a fresh runtime', async () => {
    await exhaustTheRuntime();
    const dead = await getHighs();
    expect(() => solveMip(dead, tiny(), { timeLimitSeconds: 5, relGap: 0, absGap: 0 })).toThrow(SolverAborted);
    const fresh = await getHighs();
    expect(fresh).not.toBe(dead);
    expect(solveMip(fresh, tiny(), { timeLimitSeconds: 5, relGap: 0, absGap: 0 }).status).toBe('OPTIMAL');
  });

  it('leaves OPTIMAL with the complete lottery it started from, saying why, instead of failing the run', async () => {
    const lottery = solvedOf((await runVariations(input, { seed: 's', mechanisms: ['LOTTERY'] })).variations[0]!);
    expect(lottery.status).toBe('FEASIBLE');
    await exhaustTheRuntime();
    const { variations } = await runVariations(input, { seed: 's', timeLimitSeconds: 60 });
    const optimal = solvedOf(variations.find((v) => v.mechanism === 'OPTIMAL')!);
    expectValid(input, optimal);
    expect(optimal.status).toBe('FEASIBLE');
    expect(optimal.solver.gap).toBeNull();
    expect(optimal.solver.notes.join(' ')).toMatch(/the solver \(HiGHS\) aborted.*returning the best complete lottery/);
    expect(optimal.assignments).toEqual(lottery.assignments);
  });
});
