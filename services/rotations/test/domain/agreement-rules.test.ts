import { coveringAgreement, type KnownAgreementTerms } from '../../src/domain/agreement-rules';

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

const a = (over: Partial<KnownAgreementTerms>): KnownAgreementTerms => ({
  id: 'a1',
  schoolId: 'S',
  hospitalId: 'H',
  status: 'ACTIVE',
  departmentIds: ['d0', 'd1'],
  startsOn: '2026-01-01',
  endsOn: '2026-12-31',
  ...over,
});
const hosting = { schoolId: 'S', departmentId: 'd1', startsOn: '2026-09-07', endsOn: '2026-10-30' };

describe('coveringAgreement', () => {
  it('returns the agreement covering every day, both ends included, skipping ones that do not', () => {
    expect(coveringAgreement([a({ startsOn: '2026-09-07', endsOn: '2026-10-30' })], hosting).id).toBe('a1');
    const wrong = [
      a({ id: 'ended', status: 'ENDED' }),
      a({ id: 'other-school', schoolId: 'T' }),
      a({ id: 'other-department', departmentIds: ['d2'] }),
      a({ id: 'too-short', startsOn: '2026-09-08' }),
    ];
    expect(coveringAgreement([...wrong, a({ id: 'right' })], hosting).id).toBe('right');
  });

  it('refuses NO_AGREEMENT, naming the school and department, when no active agreement of the school has the department', () => {
    const expected = {
      code: 'CONFLICT',
      message: 'No active agreement lets this school place students in this department',
      details: { reason: 'NO_AGREEMENT', schoolId: 'S', departmentId: 'd1' },
    };
    expect(refusalOf(() => coveringAgreement([], hosting))).toEqual(expected);
    expect(refusalOf(() => coveringAgreement([a({ status: 'ENDED' })], hosting))).toEqual(expected);
    expect(refusalOf(() => coveringAgreement([a({ schoolId: 'T' })], hosting))).toEqual(expected);
    expect(refusalOf(() => coveringAgreement([a({ departmentIds: ['d2'] })], hosting))).toEqual(expected);
  });

  it('refuses AGREEMENT_DOES_NOT_COVER_DATES naming the dates, the overlapping agreements and every range of the department', () => {
    const before = a({ id: 'before', startsOn: '2026-01-01', endsOn: '2026-09-06' });
    const partial = a({ id: 'partial', startsOn: '2026-09-08', endsOn: '2026-12-31' });
    const otherSchool = a({ id: 'other', schoolId: 'T' });
    expect(refusalOf(() => coveringAgreement([before, partial, otherSchool], hosting))).toEqual({
      code: 'CONFLICT',
      message: 'The active agreement(s) for this department do not cover 2026-09-07 to 2026-10-30',
      details: {
        reason: 'AGREEMENT_DOES_NOT_COVER_DATES',
        agreementIds: ['partial'],
        agreementRanges: [
          { startsOn: '2026-01-01', endsOn: '2026-09-06' },
          { startsOn: '2026-09-08', endsOn: '2026-12-31' },
        ],
      },
    });
  });

  it('names every agreement of the department when none shares a day with the range', () => {
    const before = a({ id: 'before', startsOn: '2026-01-01', endsOn: '2026-09-06' });
    const after = a({ id: 'after', startsOn: '2026-10-31', endsOn: '2026-12-31' });
    expect(refusalOf(() => coveringAgreement([before, after], hosting))).toMatchObject({
      details: { agreementIds: ['before', 'after'] },
    });
    // One day of the range at either end counts as overlapping.
    const lastDay = a({ id: 'last-day', startsOn: '2026-10-30', endsOn: '2026-12-31' });
    const firstDay = a({ id: 'first-day', startsOn: '2026-01-01', endsOn: '2026-09-07' });
    expect(refusalOf(() => coveringAgreement([before, lastDay, after, firstDay], hosting))).toMatchObject({
      details: { agreementIds: ['last-day', 'first-day'] },
    });
  });
});
