import { assertNoBlockOverlap, isAcademicYear } from '../../src/domain/block-rules';

/** The refusal a call throws (code, message, details), or undefined when it returns. */
const refusalOf = (fn: () => unknown): { code?: string; message?: string; details?: unknown } | undefined => {
  try {
    fn();
  } catch (error) {
    const e = error as { code?: string; message?: string; details?: unknown };
    return { code: e.code, message: e.message, details: e.details };
  }
  return undefined;
};

const block1 = { id: 'b1', name: 'Block 1', startsOn: '2026-09-07', endsOn: '2026-10-30' };
const block2 = { id: 'b2', name: 'Block 2', startsOn: '2026-11-02', endsOn: '2026-12-18' };
const block3 = { id: 'b3', name: 'Block 3', startsOn: '2027-01-04', endsOn: '2027-02-26' };

describe('assertNoBlockOverlap', () => {
  it('accepts a block touching no other, right up to the day before and after', () => {
    expect(refusalOf(() => assertNoBlockOverlap({ startsOn: '2026-10-31', endsOn: '2026-11-01' }, [block1, block2]))).toBeUndefined();
    expect(refusalOf(() => assertNoBlockOverlap({ startsOn: '2026-01-01', endsOn: '2026-12-31' }, []))).toBeUndefined();
  });

  it('refuses BLOCK_OVERLAP naming the clash, its days and its id, when one day is shared', () => {
    expect(refusalOf(() => assertNoBlockOverlap({ startsOn: '2026-12-18', endsOn: '2026-12-31' }, [block1, block2]))).toEqual({
      code: 'CONFLICT',
      message: 'The block overlaps "Block 2" (2026-11-02 to 2026-12-18)',
      details: { reason: 'BLOCK_OVERLAP', overlappingBlockId: 'b2', overlappingBlockName: 'Block 2' },
    });
  });

  it('names the earliest clashing block, whatever the order it is given in, and never one that does not clash', () => {
    const candidate = { startsOn: '2026-11-15', endsOn: '2027-01-04' };
    expect(refusalOf(() => assertNoBlockOverlap(candidate, [block3, block1, block2]))).toMatchObject({
      details: { overlappingBlockId: 'b2' },
    });
    expect(refusalOf(() => assertNoBlockOverlap(candidate, [block1, block3, block2]))).toMatchObject({
      details: { overlappingBlockId: 'b2' },
    });
  });
});

describe('isAcademicYear', () => {
  it('accepts two four-digit years, the second the next', () => {
    expect(isAcademicYear('2026-2027')).toBe(true);
    expect(isAcademicYear('1999-2000')).toBe(true);
  });

  it.each([
    '2026-2026',
    '2027-2026',
    '2026-2028',
    '2026/2027',
    'x2026-2027',
    '2026-2027x',
    '02026-2027',
    '2026-20270',
    '202-203',
    'abcd-abce',
    '',
  ])('refuses %p', (value) => {
    expect(isAcademicYear(value)).toBe(false);
  });
});
