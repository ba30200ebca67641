import { competenciesBelowExpected, type CompetencyResult, isResultBelowExpected } from '../../src/domain/assessment-level';

const r = (over: Partial<CompetencyResult>): CompetencyResult => ({
  competencyId: 'c1',
  scaleType: 'LIKERT',
  value: 3,
  min: 1,
  max: 5,
  ...over,
});

describe('isResultBelowExpected', () => {
  it('puts LIKERT and NOTSS ratings in the lower half of their scale below, the midpoint not', () => {
    for (const scaleType of ['LIKERT', 'NOTSS'] as const) {
      expect([1, 2, 2.99, 3, 4, 5].map((value) => isResultBelowExpected(r({ scaleType, value })))).toEqual([
        true,
        true,
        true,
        false,
        false,
        false,
      ]);
    }
    // NOTSS 1..4: midpoint 2.5, so 1 and 2 are below.
    expect([1, 2, 3, 4].map((value) => isResultBelowExpected(r({ scaleType: 'NOTSS', value, min: 1, max: 4 })))).toEqual([
      true,
      true,
      false,
      false,
    ]);
    // A 0-based scale normalises the same way.
    expect([0, 4, 5, 10].map((value) => isResultBelowExpected(r({ value, min: 0, max: 10 })))).toEqual([true, true, false, false]);
  });

  it('puts ENTRUSTMENT levels below the middle of the scale below, whatever the mode', () => {
    expect([1, 2, 3, 4, 5].map((value) => isResultBelowExpected(r({ scaleType: 'ENTRUSTMENT', value })))).toEqual([
      true,
      true,
      false,
      false,
      false,
    ]);
    expect([1, 2, 3, 4].map((value) => isResultBelowExpected(r({ scaleType: 'ENTRUSTMENT', value, min: 1, max: 4 })))).toEqual([
      true,
      true,
      false,
      false,
    ]);
  });

  it('ignores CHECKLIST answers (the event cannot tell required items) and degenerate scales', () => {
    expect(isResultBelowExpected(r({ scaleType: 'CHECKLIST', value: 0, min: 0, max: 1 }))).toBe(false);
    expect(isResultBelowExpected(r({ value: 1, min: 3, max: 3 }))).toBe(false);
    expect(isResultBelowExpected(r({ value: 1, min: 5, max: 1 }))).toBe(false);
  });
});

describe('competenciesBelowExpected', () => {
  const results = [
    r({ competencyId: 'b', value: 2 }),
    r({ competencyId: 'a', scaleType: 'ENTRUSTMENT', value: 1 }),
    r({ competencyId: 'b', itemKey: 'x', value: 1 } as Partial<CompetencyResult>),
    r({ competencyId: 'c', value: 5 }),
    r({ competencyId: 'd', scaleType: 'CHECKLIST', value: 0, min: 0, max: 1 }),
  ];

  it('names each competency below level once, sorted, for a summative submission', () => {
    expect(competenciesBelowExpected({ purpose: 'SUMMATIVE', competencyResults: results })).toEqual(['a', 'b']);
  });

  it('never names any for a formative submission, nor when everything is at or above level', () => {
    expect(competenciesBelowExpected({ purpose: 'FORMATIVE', competencyResults: results })).toEqual([]);
    expect(competenciesBelowExpected({ purpose: 'SUMMATIVE', competencyResults: [r({ value: 3 }), r({ value: 5 })] })).toEqual([]);
    expect(competenciesBelowExpected({ purpose: 'SUMMATIVE', competencyResults: [] })).toEqual([]);
  });
});
