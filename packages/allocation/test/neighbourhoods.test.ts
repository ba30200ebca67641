import { type AllocationInput } from '../src';
import { canonicalizeInput } from '../src/canonical';
import { createContext } from '../src/context';
import { buildInstance } from '../src/instance';
import { betterStart, startCost } from '../src/optimal/attempts';
import { buildStageOne, stageOneStart } from '../src/optimal/decomposed';
import { improvePlaces } from '../src/optimal/neighbourhoods';
import { createSession } from '../src/optimal/session';
import { parseAllocationInput } from '../src/schema';
import { getHighs } from '../src/solver/highs';
import { type BuiltModel } from '../src/solver/lp-builder';
import { blocks, prefs, site, student } from './support/build';

// 14 students, 14 departments of one seat in one block: student i ranks D<i> first and its
// partner's department second. The start swaps every pair (everyone at their 2nd choice, total
// 28); the optimum gives everyone their first (14). More students than one neighbourhood holds,
// so the search must fix the others at the incumbent.
const n = 14;
const ids = Array.from({ length: n }, (_, i) => `s${String(i).padStart(2, '0')}`);
const partner = (i: number) => i ^ 1;
const input: AllocationInput = {
  blocks: blocks('b1'),
  students: ids.map((id) => student(id, 1, { X: 1 })),
  sites: ids.map((_, i) => site(`D${String(i).padStart(2, '0')}`, 'b1', 1)),
  preferences: ids.flatMap((id, i) => prefs(id, { [`D${String(i).padStart(2, '0')}`]: 1, [`D${String(partner(i)).padStart(2, '0')}`]: 2 })),
};

/** Seconds left of a budget, on the wall clock. */
const clock = (seconds: number) => {
  const started = performance.now();
  return () => seconds - (performance.now() - started) / 1000;
};

async function setUp() {
  const inst = buildInstance(canonicalizeInput(parseAllocationInput(input)));
  const session = createSession(await getHighs(), inst, createContext({ timeLimitSeconds: 120 }), new Int32Array(n), null);
  const caps = session.capsAt(2);
  const one = buildStageOne(inst, caps);
  const swapped = ids.map((id, i) => ({
    student: inst.studentIndex.get(id)!,
    site: inst.sites.findIndex((x) => x.departmentId === `D${String(partner(i)).padStart(2, '0')}`),
  }));
  return { inst, session, caps, one, start: stageOneStart(inst, one, caps, swapped)! };
}

describe('stage-1 neighbourhood search', () => {
  it('improves a swapped incumbent to the optimum, a few students at a time, the others fixed at the incumbent', async () => {
    const { inst, session, one, start } = await setUp();
    expect(startCost(one.model, start)).toBe(28);
    const owned = new Set([...one.zCols, ...one.yCols].map((c) => c.col));
    let partial = 0;
    const out = improvePlaces(
      inst,
      one,
      start,
      -Infinity,
      (model: BuiltModel, from, seconds) => {
        // The students outside the neighbourhood are fixed, and their columns taken out.
        if (model.numCols < one.model.numCols - owned.size / 2) partial++;
        expect(from).toHaveLength(model.numCols);
        return session.mip(model, { start: from, seconds });
      },
      { seconds: 60, perSolve: 10, remaining: clock(60) },
      2,
    );
    expect(partial).toBe(out.rounds);
    expect(out.objective).toBe(n);
    expect(out.improved).toBeGreaterThanOrEqual(1);
    expect(startCost(one.model, out.values)).toBe(n);
  });

  it('stops at once when the incumbent meets the bound, and never returns a worse one', async () => {
    const { inst, session, one, start } = await setUp();
    const atBound = improvePlaces(
      inst,
      one,
      start,
      28,
      (model, from, seconds) => session.mip(model, { start: from, seconds }),
      {
        seconds: 60,
        perSolve: 10,
        remaining: clock(60),
      },
      2,
    );
    expect(atBound.rounds).toBe(0);
    expect(atBound.values).toBe(start);
    // A solver that always answers worse: the incumbent stays.
    const worse = improvePlaces(
      inst,
      one,
      start,
      -Infinity,
      (model) => ({ ...session.mip(model, { seconds: 10 }), objective: 1000 }),
      { seconds: 0.5, perSolve: 0.2, remaining: clock(60) },
      2,
    );
    expect(worse.objective).toBe(28);
    expect(worse.improved).toBe(0);
  });
});

describe('the better of two stage-1 starts', () => {
  it('is the one of least objective, whichever comes first', async () => {
    const { one, start, inst, caps } = await setUp();
    const best = stageOneStart(
      inst,
      one,
      caps,
      ids.map((id, i) => ({
        student: inst.studentIndex.get(id)!,
        site: inst.sites.findIndex((x) => x.departmentId === `D${String(i).padStart(2, '0')}`),
      })),
    )!;
    expect(startCost(one.model, best)).toBe(n);
    expect(betterStart(one.model, start, best)).toBe(best);
    expect(betterStart(one.model, best, start)).toBe(best);
    expect(betterStart(one.model, undefined, start)).toBe(start);
    expect(betterStart(one.model, undefined, undefined)).toBeUndefined();
  });
});
