import { type CellStats, protectTree } from '@medcollab/anonymity';
import { qualitySettings } from '../../src/settings';

/**
 * Every other quality test passes k in; this one takes it where production takes it (the
 * environment, here an empty one: the defaults), so changing the default of k fails here.
 */
const production = qualitySettings({});
const cell = (evaluators: number): CellStats => ({ evaluations: evaluators, evaluators });

describe('the production default of k (quality)', () => {
  it('is 5 distinct evaluators', () => {
    expect(production.minEvaluators).toBe(5);
  });

  it('withholds a teacher with 4 evaluators (and a colleague, against department minus the others) and releases one with 5', () => {
    // A department (node 0) with three teachers.
    const department = [-1, 0, 0, 0];
    expect(protectTree([cell(21), cell(12), cell(5), cell(4)], department, production.minEvaluators)).toEqual([
      null,
      null,
      'COMPLEMENTARY',
      'TOO_FEW_EVALUATORS',
    ]);
    expect(protectTree([cell(22), cell(12), cell(5), cell(5)], department, production.minEvaluators)).toEqual([null, null, null, null]);
  });
});
