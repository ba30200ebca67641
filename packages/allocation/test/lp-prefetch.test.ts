import { type AllocationInput, runVariations } from '../src';
import { canonicalizeInput } from '../src/canonical';
import { createContext } from '../src/context';
import { checkNecessaryConditions, floorsOf } from '../src/feasibility';
import { buildInstance } from '../src/instance';
import { solveOptimal } from '../src/optimal';
import { buildStageOne } from '../src/optimal/decomposed';
import { prefetchStageOneLps, type SolvedLp } from '../src/optimal/lp-prefetch';
import { attemptRanks } from '../src/optimal/ranks';
import { parseAllocationInput } from '../src/schema';
import { getHighs, lpRelaxation } from '../src/solver/highs';
import { blocks, prefs, sites, solvedOf, student } from './support/build';

// Six students, two blocks, one block of X and one of Y each. Everyone ranks XA first, but XA has
// one seat a block: at worst rank 1 stage 1's LP is infeasible, at worst rank 2 it is not (two
// students at XA, four at XB, everyone at YA: 16).
const ids = ['a', 'b', 'c', 'd', 'e', 'f'];
const crowded: AllocationInput = {
  blocks: blocks('b1', 'b2'),
  students: ids.map((id) => student(id, 2, { X: 1, Y: 1 })),
  sites: [...sites('XA', ['b1', 'b2'], 1, 'X'), ...sites('XB', ['b1', 'b2'], 3, 'X'), ...sites('YA', ['b1', 'b2'], 3, 'Y')],
  preferences: ids.flatMap((id) => prefs(id, { XA: 1, XB: 2, YA: 1 })),
};

function prepared(input: AllocationInput) {
  const inst = buildInstance(canonicalizeInput(parseAllocationInput(input)));
  const feasibility = checkNecessaryConditions(inst);
  return { inst, feasibility, floor: floorsOf(inst, feasibility) };
}

describe("stage 1's LPs solved in another thread during the lottery (ADR 0066)", () => {
  it('gives the LPs the caller would solve, in order, and stops at the first that is not infeasible', async () => {
    const { inst, floor } = prepared(crowded);
    const prefetch = prefetchStageOneLps(inst, floor, 60, undefined, 0)!;
    try {
      await prefetch.begun;
      const [first, second, third] = await Promise.all([1, 2, 3].map((w) => prefetch.at(w, 60)));
      expect(first).toMatchObject({ w: 1, lp: { infeasible: true } });
      const own = buildStageOne(
        inst,
        Int32Array.from(floor, (f) => Math.max(2, f)),
      ).model;
      const mine = lpRelaxation(await getHighs(), own, 60);
      const theirs = second as SolvedLp;
      expect(theirs).toMatchObject({ w: 2, columns: own.numCols, rows: own.numRows });
      expect(theirs.lp.bound).toBeCloseTo(16, 6);
      expect(theirs.lp.bound).toBe(mine.bound);
      expect(Array.from(theirs.lp.values!)).toEqual(Array.from(mine.values!));
      // Worst rank 3 needs the lottery (the attempt at 2 may fail to timetable): not solved there.
      expect(third).toBeNull();
    } finally {
      prefetch.stop();
    }
  });

  it("answers 'late' at once while the thread is starting and nothing once stopped; small instances get no thread", async () => {
    const { inst, floor } = prepared(crowded);
    const prefetch = prefetchStageOneLps(inst, floor, 60, undefined, 0)!;
    // Still starting: no waiting, however long the caller would wait.
    expect(await prefetch.at(1, 60)).toBe('late');
    await prefetch.begun;
    prefetch.stop();
    expect(await prefetch.at(1, 60)).toBeNull();

    const aborted = new AbortController();
    const cancelled = prefetchStageOneLps(inst, floor, 60, aborted.signal, 0)!;
    aborted.abort();
    expect(await cancelled.at(1, 60)).toBeNull();

    expect(prefetchStageOneLps(inst, floor, 60)).toBeNull();
  });

  it('leaves OPTIMAL as it is: the same allocation, its infeasible ranks proven in the other thread', async () => {
    const { inst, feasibility, floor } = prepared(crowded);
    const alone = await solveOptimal(inst, feasibility, createContext({ timeLimitSeconds: 60 }), null);
    const prefetch = prefetchStageOneLps(inst, floor, 60, undefined, 0)!;
    await prefetch.begun;
    const helped = await solveOptimal(inst, feasibility, createContext({ timeLimitSeconds: 60 }), null, null, prefetch);
    prefetch.stop();
    expect(alone.kind).toBe('SOLVED');
    expect(helped.kind).toBe('SOLVED');
    if (alone.kind !== 'SOLVED' || helped.kind !== 'SOLVED') return;
    expect(helped.picks).toEqual(alone.picks);
    expect(helped.report).toMatchObject({ gap: alone.report.gap, bound: alone.report.bound, worstRankProven: true });
    const notes = helped.report.notes.join('\n');
    expect(notes).toMatch(/worst rank 1: stage 1's LP relaxation infeasible .*in another thread/);
    expect(notes).toMatch(/worst rank 2: stage 1's LP relaxation 16\.0 .*in another thread/);
    expect(alone.report.notes.join('\n')).not.toMatch(/another thread/);
  });
});

describe('the worst ranks OPTIMAL tries', () => {
  // Nobody ranked a Y department first: every student's floor is 2, so worst rank 1 has worst
  // rank 2's caps and models.
  const noFirstY: AllocationInput = {
    ...crowded,
    sites: [...crowded.sites, ...sites('YB', ['b1', 'b2'], 3, 'Y')],
    preferences: ids.flatMap((id) => prefs(id, { XA: 1, XB: 2, YA: 2, YB: 3 })),
  };

  it('tries a rank at or below every floor once, as the largest such rank', async () => {
    const { inst, floor } = prepared(noFirstY);
    expect(Array.from(new Set(floor))).toEqual([2]);
    expect(attemptRanks(inst, floor)).toEqual([2, 3, 4]);
    expect(attemptRanks(prepared(crowded).inst, prepared(crowded).floor)).toEqual([1, 2, 3]);

    const optimal = solvedOf((await runVariations(noFirstY, { seed: 's', mechanisms: ['OPTIMAL'] })).variations[0]!);
    const notes = optimal.solver.notes.join('\n');
    expect(notes).not.toMatch(/worst rank 1:/);
    expect(notes).toMatch(/worst rank 2:/);
    expect(optimal.solver.worstRankProven).toBe(true);
  });
});
