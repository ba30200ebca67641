import {
  assertAgreementParties,
  assertDepartmentsOfHospital,
  assertNoOverlap,
  type AgreementTerms,
  nextStatus,
  overlappingAgreements,
  rangesOverlap,
  resolveEndDate,
} from '../../src/domain/agreement-rules';

const terms = (over: Partial<AgreementTerms> = {}): AgreementTerms => ({
  id: 'a1',
  schoolId: 's1',
  hospitalId: 'h1',
  departmentIds: ['d1', 'd2'],
  startsOn: '2025-01-01',
  endsOn: '2025-12-31',
  ...over,
});

const codeOf = (fn: () => unknown): string | undefined => {
  try {
    fn();
  } catch (error) {
    return (error as { code?: string }).code;
  }
  return undefined;
};

describe('agreement state machine', () => {
  it('goes PROPOSED -> ACTIVE -> ENDED', () => {
    expect(nextStatus('PROPOSED', 'activate')).toBe('ACTIVE');
    expect(nextStatus('ACTIVE', 'end')).toBe('ENDED');
  });

  it.each([
    ['ACTIVE', 'activate'],
    ['ENDED', 'activate'],
    ['PROPOSED', 'end'],
    ['ENDED', 'end'],
  ] as const)('refuses %s -> %s with CONFLICT', (status, action) => {
    expect(codeOf(() => nextStatus(status, action))).toBe('CONFLICT');
  });
});

describe('agreement overlap', () => {
  it('treats both ends of a range as included', () => {
    const a = { startsOn: '2025-01-01', endsOn: '2025-06-30' };
    expect(rangesOverlap(a, { startsOn: '2025-06-30', endsOn: '2025-12-31' })).toBe(true);
    expect(rangesOverlap(a, { startsOn: '2025-07-01', endsOn: '2025-12-31' })).toBe(false);
    expect(rangesOverlap(a, { startsOn: '2024-01-01', endsOn: '2024-12-31' })).toBe(false);
    expect(rangesOverlap(a, { startsOn: '2024-01-01', endsOn: '2026-01-01' })).toBe(true);
  });

  it('finds an active agreement of the same pair sharing a department on a shared day', () => {
    const clash = terms({ id: 'a2', departmentIds: ['d2', 'd9'], startsOn: '2025-12-31', endsOn: '2026-06-30' });
    expect(overlappingAgreements(terms(), [clash]).map((a) => a.id)).toEqual(['a2']);
    expect(codeOf(() => assertNoOverlap(terms(), [clash]))).toBe('CONFLICT');
  });

  it('allows different departments, other dates, another pair, or the agreement itself', () => {
    const others = [
      terms({ id: 'a2', departmentIds: ['d3'] }),
      terms({ id: 'a3', startsOn: '2026-01-01', endsOn: '2026-12-31' }),
      terms({ id: 'a4', schoolId: 's2' }),
      terms({ id: 'a5', hospitalId: 'h2' }),
      terms(),
    ];
    expect(overlappingAgreements(terms(), others)).toEqual([]);
    expect(() => assertNoOverlap(terms(), others)).not.toThrow();
  });
});

describe('agreement parties and departments', () => {
  it('needs a SCHOOL and a HOSPITAL, in that order', () => {
    expect(() => assertAgreementParties({ kind: 'SCHOOL' }, { kind: 'HOSPITAL' })).not.toThrow();
    expect(codeOf(() => assertAgreementParties({ kind: 'HOSPITAL' }, { kind: 'HOSPITAL' }))).toBe('BAD_USER_INPUT');
    expect(codeOf(() => assertAgreementParties({ kind: 'SCHOOL' }, { kind: 'SCHOOL' }))).toBe('BAD_USER_INPUT');
  });

  it("needs every department to be the hospital's own", () => {
    const found = [
      { id: 'd1', institutionId: 'h1' },
      { id: 'd2', institutionId: 'other' },
    ];
    expect(() => assertDepartmentsOfHospital('h1', ['d1'], found)).not.toThrow();
    expect(codeOf(() => assertDepartmentsOfHospital('h1', ['d1', 'd2'], found))).toBe('BAD_USER_INPUT');
    expect(codeOf(() => assertDepartmentsOfHospital('h1', ['missing'], found))).toBe('BAD_USER_INPUT');
  });
});

describe('end date', () => {
  const agreement = { startsOn: '2025-01-01', endsOn: '2025-12-31' };
  it('defaults to today, but never after the planned end', () => {
    expect(resolveEndDate(agreement, null, '2025-05-05')).toBe('2025-05-05');
    expect(resolveEndDate(agreement, null, '2026-02-01')).toBe('2025-12-31');
  });
  it('accepts a day up to endsOn, even before the start (called off early), and refuses a later one', () => {
    expect(resolveEndDate(agreement, '2025-12-31', '2025-05-05')).toBe('2025-12-31');
    expect(resolveEndDate(agreement, '2024-12-01', '2024-11-01')).toBe('2024-12-01');
    expect(codeOf(() => resolveEndDate(agreement, '2026-01-01', '2025-05-05'))).toBe('BAD_USER_INPUT');
  });
});
