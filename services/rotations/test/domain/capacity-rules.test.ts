import {
  assertSeatForConfirmation,
  assertSeatForProposal,
  assertSeatsFit,
  assertSeatsKeepCommitted,
} from '../../src/domain/capacity-rules';

/** The refusal a rule threw, as clients see it (code, message, extensions); fails when nothing is thrown. */
const refusalOf = (fn: () => unknown): { code: string; message: string; details: unknown } => {
  let thrown: unknown;
  try {
    fn();
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeDefined();
  const { code, message, details } = thrown as { code: string; message: string; details: unknown };
  return { code, message, details };
};

describe('capacity rules: what a refusal tells the coordinator', () => {
  it('a proposal over the seats names the seats and how many are held', () => {
    expect(refusalOf(() => assertSeatForProposal({ seats: 3, held: 3, committed: 1 }))).toEqual({
      code: 'CONFLICT',
      message: 'All 3 seat(s) of this school at this department in this block are taken',
      details: { reason: 'OVER_CAPACITY', seats: 3, held: 3 },
    });
  });

  it('with no seat row at all, a proposal is refused as zero seats, none held', () => {
    expect(refusalOf(() => assertSeatForProposal(null))).toEqual({
      code: 'CONFLICT',
      message: 'All 0 seat(s) of this school at this department in this block are taken',
      details: { reason: 'OVER_CAPACITY', seats: 0, held: 0 },
    });
  });

  it('a proposal with one seat left passes whatever is committed', () => {
    expect(() => assertSeatForProposal({ seats: 1, held: 0, committed: 0 })).not.toThrow();
    expect(() => assertSeatForProposal({ seats: 4, held: 3, committed: 3 })).not.toThrow();
  });

  it('a confirmation over the seats names the seats and how many are committed, whatever is held', () => {
    expect(refusalOf(() => assertSeatForConfirmation({ seats: 2, held: 1, committed: 2 }))).toEqual({
      code: 'CONFLICT',
      message: 'All 2 seat(s) of this school at this department in this block are committed',
      details: { reason: 'OVER_CAPACITY', seats: 2, committed: 2 },
    });
    expect(() => assertSeatForConfirmation({ seats: 1, held: 9, committed: 0 })).not.toThrow();
  });

  it('with no seat row at all, a confirmation is refused as zero seats, none committed', () => {
    expect(refusalOf(() => assertSeatForConfirmation(null))).toEqual({
      code: 'CONFLICT',
      message: 'All 0 seat(s) of this school at this department in this block are committed',
      details: { reason: 'OVER_CAPACITY', seats: 0, committed: 0 },
    });
  });

  it('lowering seats below the committed placements names both counts', () => {
    expect(refusalOf(() => assertSeatsKeepCommitted(2, 3))).toEqual({
      code: 'CONFLICT',
      message: '3 placement(s) are already confirmed here; seats cannot go below that',
      details: { reason: 'WOULD_STRAND_PLACEMENTS', seats: 2, committed: 3 },
    });
    expect(() => assertSeatsKeepCommitted(3, 3)).not.toThrow();
    expect(() => assertSeatsKeepCommitted(0, 0)).not.toThrow();
  });

  it('a swap that overfills a department and block names them and both counts', () => {
    expect(refusalOf(() => assertSeatsFit({ seats: 1, held: 2, committed: 0, departmentId: 'cardio', blockId: 'b2' }))).toEqual({
      code: 'CONFLICT',
      message: 'The swap would put more students in a department and block than it has seats',
      details: { reason: 'OVER_CAPACITY', seats: 1, held: 2, departmentId: 'cardio', blockId: 'b2' },
    });
    expect(() => assertSeatsFit({ seats: 1, held: 1, committed: 1, departmentId: 'cardio', blockId: 'b2' })).not.toThrow();
  });
});
