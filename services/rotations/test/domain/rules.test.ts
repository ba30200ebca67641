import { coveringAgreement, type KnownAgreementTerms } from '../../src/domain/agreement-rules';
import { assertNoBlockOverlap, isAcademicYear } from '../../src/domain/block-rules';
import {
  assertSeatForConfirmation,
  assertSeatForProposal,
  assertSeatsFit,
  assertSeatsKeepCommitted,
} from '../../src/domain/capacity-rules';
import { REFUSAL_CODES, refusal } from '../../src/domain/refusals';

const reasonOf = (fn: () => unknown): string | undefined => {
  try {
    fn();
  } catch (error) {
    return `${(error as { code?: string }).code}/${(error as { details?: { reason?: string } }).details?.reason}`;
  }
  return undefined;
};

describe('refusals', () => {
  it('carry their reason and the code the table gives it', () => {
    for (const [reason, code] of Object.entries(REFUSAL_CODES)) {
      const error = refusal(reason as keyof typeof REFUSAL_CODES, 'x', { extra: 1 });
      expect(error.code).toBe(code);
      expect(error.details).toEqual({ reason, extra: 1 });
    }
  });
});

describe('blocks', () => {
  const existing = [
    { id: 'b1', name: 'Block 1', startsOn: '2026-09-07', endsOn: '2026-10-30' },
    { id: 'b2', name: 'Block 2', startsOn: '2026-11-02', endsOn: '2026-12-18' },
  ];
  it('accepts a block in a gap, refuses one sharing a day, naming the earliest clash', () => {
    expect(() => assertNoBlockOverlap({ startsOn: '2026-10-31', endsOn: '2026-11-01' }, existing)).not.toThrow();
    expect(reasonOf(() => assertNoBlockOverlap({ startsOn: '2026-10-30', endsOn: '2026-10-30' }, existing))).toBe('CONFLICT/BLOCK_OVERLAP');
    // toThrow with an object matches the error's own properties: this fails when nothing is thrown.
    expect(() => assertNoBlockOverlap({ startsOn: '2026-08-01', endsOn: '2026-12-31' }, existing)).toThrow(
      expect.objectContaining({
        details: { reason: 'BLOCK_OVERLAP', overlappingBlockId: 'b1', overlappingBlockName: 'Block 1' },
      }),
    );
  });
  it('knows an academic year when it sees one', () => {
    expect(isAcademicYear('2026-2027')).toBe(true);
    expect(isAcademicYear('2026-2026')).toBe(false);
    expect(isAcademicYear('2026/2027')).toBe(false);
  });
});

describe('seats', () => {
  it('needs a seat not yet held for a proposal, and one not yet committed for a confirmation', () => {
    expect(() => assertSeatForProposal({ seats: 2, held: 1, committed: 1 })).not.toThrow();
    expect(reasonOf(() => assertSeatForProposal({ seats: 2, held: 2, committed: 0 }))).toBe('CONFLICT/OVER_CAPACITY');
    expect(reasonOf(() => assertSeatForProposal(null))).toBe('CONFLICT/OVER_CAPACITY');
    expect(() => assertSeatForConfirmation({ seats: 2, held: 5, committed: 1 })).not.toThrow();
    expect(reasonOf(() => assertSeatForConfirmation({ seats: 2, held: 2, committed: 2 }))).toBe('CONFLICT/OVER_CAPACITY');
  });
  it('never lowers seats below committed placements, and checks a swap leaves no row over its seats', () => {
    expect(() => assertSeatsKeepCommitted(2, 2)).not.toThrow();
    expect(reasonOf(() => assertSeatsKeepCommitted(1, 2))).toBe('CONFLICT/WOULD_STRAND_PLACEMENTS');
    expect(() => assertSeatsFit({ seats: 2, held: 2, committed: 0, departmentId: 'd', blockId: 'b' })).not.toThrow();
    expect(reasonOf(() => assertSeatsFit({ seats: 2, held: 3, committed: 0, departmentId: 'd', blockId: 'b' }))).toBe(
      'CONFLICT/OVER_CAPACITY',
    );
  });
});

describe('agreement coverage', () => {
  const a = (over: Partial<KnownAgreementTerms>): KnownAgreementTerms => ({
    id: 'a1',
    schoolId: 'S',
    hospitalId: 'H',
    status: 'ACTIVE',
    departmentIds: ['d1'],
    startsOn: '2026-01-01',
    endsOn: '2026-12-31',
    ...over,
  });
  const hosting = { schoolId: 'S', departmentId: 'd1', startsOn: '2026-09-07', endsOn: '2026-10-30' };

  it('finds the active agreement covering every day, both ends included', () => {
    expect(coveringAgreement([a({})], hosting).id).toBe('a1');
    expect(coveringAgreement([a({ endsOn: '2026-10-30' })], hosting).id).toBe('a1');
    expect(coveringAgreement([a({ id: 'a0', endsOn: '2026-06-30' }), a({ id: 'a2', startsOn: '2026-07-01' })], hosting).id).toBe('a2');
  });
  it('refuses NO_AGREEMENT for another school, department, or an ended agreement', () => {
    expect(reasonOf(() => coveringAgreement([a({ schoolId: 'T' })], hosting))).toBe('CONFLICT/NO_AGREEMENT');
    expect(reasonOf(() => coveringAgreement([a({ departmentIds: ['d2'] })], hosting))).toBe('CONFLICT/NO_AGREEMENT');
    expect(reasonOf(() => coveringAgreement([a({ status: 'ENDED' })], hosting))).toBe('CONFLICT/NO_AGREEMENT');
    expect(reasonOf(() => coveringAgreement([], hosting))).toBe('CONFLICT/NO_AGREEMENT');
  });
  it('refuses AGREEMENT_DOES_NOT_COVER_DATES when the department is covered but not every day', () => {
    expect(reasonOf(() => coveringAgreement([a({ endsOn: '2026-10-29' })], hosting))).toBe('CONFLICT/AGREEMENT_DOES_NOT_COVER_DATES');
    // Two agreements that only together span the block do not cover it: one agreement must.
    expect(reasonOf(() => coveringAgreement([a({ endsOn: '2026-09-30' }), a({ id: 'a2', startsOn: '2026-10-01' })], hosting))).toBe(
      'CONFLICT/AGREEMENT_DOES_NOT_COVER_DATES',
    );
  });
});
