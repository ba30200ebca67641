import { type AllocationInput, runVariations } from '../src';
import { canonicalizeInput } from '../src/canonical';
import { checkNecessaryConditions, floorsOf } from '../src/feasibility';
import { buildInstance } from '../src/instance';
import { attemptRanks } from '../src/optimal/ranks';
import { parseAllocationInput } from '../src/schema';
import { blocks, prefs, sites, solvedOf, student } from './support/build';

// Six students, two blocks, one block of X and one of Y each. Everyone ranks XA first, but XA has
// one seat a block: at worst rank 1 stage 1's LP is infeasible, at worst rank 2 it is not.
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
  return { inst, floor: floorsOf(inst, feasibility) };
}

describe('the worst ranks OPTIMAL tries (ADR 0066)', () => {
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
