import { type CellStats, protect } from '@medcollab/anonymity';
import { teacherRelease } from '../../src/domain/release';
import { assessmentSettings } from '../../src/settings';

/**
 * Every other test passes k in; this one takes it where production takes it (the environment,
 * here an empty one: the defaults), so changing the default of k fails here.
 */
const production = assessmentSettings({});
const cell = (evaluators: number): CellStats => ({ evaluations: evaluators, evaluators });

/** A one-department, one-block table whose every position has `n` evaluators. */
const single = (n: number) => ({ cells: [[cell(n)]], rowTotals: [cell(n)], columnTotals: [cell(n)], total: cell(n) });

describe('the production default of k', () => {
  it('is 5 distinct evaluators', () => {
    expect(production.minEvaluators).toBe(5);
  });

  it('withholds a closed cell of 4 evaluators and releases one of 5', () => {
    expect(protect(single(4), production.minEvaluators)).toEqual({
      cells: [['TOO_FEW_EVALUATORS']],
      rowTotals: ['TOO_FEW_EVALUATORS'],
      columnTotals: ['TOO_FEW_EVALUATORS'],
      total: 'TOO_FEW_EVALUATORS',
    });
    expect(protect(single(5), production.minEvaluators)).toEqual({ cells: [[null]], rowTotals: [null], columnTotals: [null], total: null });
  });

  it("withholds a teacher's closed blocks with 4 evaluators in all, and releases them with 5", () => {
    const blocks = (n: number) => [
      { blockId: 'b1', closedAt: new Date('2026-11-01'), evaluatorIds: Array.from({ length: n - 2 }, (_, i) => `e${i}`) },
      { blockId: 'b2', closedAt: new Date('2026-12-01'), evaluatorIds: ['x', 'y'] },
    ];
    expect(teacherRelease(blocks(4), production.minEvaluators, production.teacherMinBlocks)).toMatchObject({
      released: false,
      withheldReason: 'TOO_FEW_EVALUATORS',
    });
    expect(teacherRelease(blocks(5), production.minEvaluators, production.teacherMinBlocks)).toMatchObject({ released: true });
  });
});
