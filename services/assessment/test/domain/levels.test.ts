import fc from 'fast-check';
import { levelOf, type Observation, progressOf, RECENT_WINDOW } from '../../src/domain/levels';
import { readinessOf, subtree } from '../../src/domain/readiness';

/** An observation on day `day` of submission `s` (ids sort like the days). */
const obs = (value: number, day: number, scale: Partial<Observation> = {}, s = `s${String(day).padStart(3, '0')}`): Observation => ({
  competencyId: 'c',
  submissionId: s,
  observedAt: new Date(Date.UTC(2026, 0, day)),
  scaleType: 'LIKERT',
  entrustmentMode: null,
  min: 1,
  max: 9,
  value,
  ...scale,
});
const prospective = { scaleType: 'ENTRUSTMENT' as const, entrustmentMode: 'PROSPECTIVE' as const, min: 1, max: 5 };
const retrospective = { scaleType: 'ENTRUSTMENT' as const, entrustmentMode: 'RETROSPECTIVE' as const, min: 1, max: 5 };
const notss = { scaleType: 'NOTSS' as const, min: 1, max: 4 };
const checklist = { scaleType: 'CHECKLIST' as const, min: 0, max: 1 };

describe('levels per scale', () => {
  it('averages Likert and NOTSS ratings', () => {
    expect(levelOf('MEAN', [obs(4, 1), obs(7, 2), obs(8, 3)])).toBe(6.33);
    expect(levelOf('MEAN', [obs(2, 1, notss), obs(3, 2, notss)])).toBe(2.5);
  });

  it('never averages entrustment: the lower median of the latest five retrospective levels', () => {
    expect(levelOf('MEDIAN_OF_RECENT', [obs(2, 1, retrospective), obs(3, 2, retrospective)])).toBe(2);
    // The oldest (a 1) has left the window of five.
    const six = [1, 4, 4, 2, 5, 3].map((v, i) => obs(v, i + 1, retrospective));
    expect(RECENT_WINDOW).toBe(5);
    expect(levelOf('MEDIAN_OF_RECENT', six)).toBe(4);
  });

  it('takes the latest prospective decision, down as well as up; the highest within one submission', () => {
    expect(levelOf('LATEST_HIGHEST', [obs(4, 1, prospective), obs(2, 2, prospective)])).toBe(2);
    expect(levelOf('LATEST_HIGHEST', [obs(1, 1, prospective), obs(3, 5, prospective, 'x'), obs(4, 5, prospective, 'x')])).toBe(4);
  });

  it('gives the share of checklist items done', () => {
    expect(levelOf('PROPORTION_DONE', [obs(1, 1, checklist), obs(0, 1, checklist), obs(1, 2, checklist), obs(1, 2, checklist)])).toBe(0.75);
  });

  it('an entrustment level is always a level someone gave (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 12 }), fc.boolean(), (values, prospectiveMode) => {
        const scale = prospectiveMode ? prospective : retrospective;
        const level = levelOf(
          prospectiveMode ? 'LATEST_HIGHEST' : 'MEDIAN_OF_RECENT',
          values.map((v, i) => obs(v, i + 1, scale)),
        );
        expect(Number.isInteger(level)).toBe(true);
        expect(values).toContain(level);
      }),
    );
  });
});

describe('progress on a competency', () => {
  it('has one level per scale, the strongest evidence as headline, the evidence count and the last assessment', () => {
    const p = progressOf([obs(6, 1), obs(8, 2), obs(3, 3, prospective, 's003'), obs(3, 3, notss, 's003')]);
    expect(p.levels.map((l) => `${l.type}/${l.entrustmentMode ?? '-'}:${l.level}:${l.rule}`)).toEqual([
      'ENTRUSTMENT/PROSPECTIVE:3:LATEST_HIGHEST',
      'NOTSS/-:3:MEAN',
      'LIKERT/-:7:MEAN',
    ]);
    expect(p.headline).toMatchObject({ type: 'ENTRUSTMENT', level: 3, normalized: 0.5 });
    expect(p.evidenceCount).toBe(3);
    expect(p.lastAssessedAt).toEqual(new Date(Date.UTC(2026, 0, 3)));
  });

  it('moves with the latest submission: improving, stable, declining; one submission is not a trend', () => {
    expect(progressOf([obs(5, 1)]).trend).toBe('INSUFFICIENT_EVIDENCE');
    expect(progressOf([obs(4, 1), obs(8, 2)]).trend).toBe('IMPROVING');
    expect(progressOf([obs(6, 1), obs(6, 2)]).trend).toBe('STABLE');
    expect(progressOf([obs(3, 1, prospective), obs(2, 2, prospective)]).trend).toBe('DECLINING');
    expect(progressOf([]).headline).toBeNull();
  });

  it('does not depend on the order the observations come in; the headline is its group’s level (property)', () => {
    const scales = [{}, notss, prospective, retrospective, checklist];
    const observation = fc
      .record({ day: fc.integer({ min: 1, max: 6 }), scale: fc.integer({ min: 0, max: 4 }), value: fc.integer({ min: 0, max: 5 }) })
      .map(({ day, scale, value }) => obs(scales[scale] === checklist ? Math.min(value, 1) : Math.max(value, 1), day, scales[scale]));
    fc.assert(
      fc.property(
        fc
          .array(observation, { minLength: 1, maxLength: 15 })
          .chain((list) => fc.tuple(fc.constant(list), fc.shuffledSubarray(list, { minLength: list.length }))),
        ([list, shuffled]) => {
          const p = progressOf(list);
          expect(progressOf(shuffled)).toEqual(p);
          expect(p.levels).toContainEqual(p.headline);
        },
      ),
    );
  });
});

describe('readiness', () => {
  const parentOf = new Map<string, string | null>([
    ['SA', null],
    ['SA.1', 'SA'],
    ['SA.2', 'SA'],
    ['EPA1', null],
    ['EPA12', null],
  ]);
  const on = (competencyId: string, o: Observation) => ({ ...o, competencyId });

  it('pools evidence beneath a required competency and maps it onto the profile’s scale', () => {
    expect(subtree('SA', parentOf)).toEqual(new Set(['SA', 'SA.1', 'SA.2']));
    const result = readinessOf(
      [
        { competencyId: 'SA', level: 4 },
        { competencyId: 'EPA1', level: 3 },
        { competencyId: 'EPA12', level: 3 },
      ],
      { min: 1, max: 5 },
      parentOf,
      // NOTSS 4/4 on both elements → the top of the profile's scale; EPA 1 entrusted at 2 of 5.
      [on('SA.1', obs(4, 1, notss)), on('SA.2', obs(4, 2, notss)), on('EPA1', obs(2, 3, prospective))],
    );
    expect(result.requirements.map((r) => [r.competencyId, r.currentLevel, r.met, r.evidenceCount])).toEqual([
      ['SA', 5, true, 2],
      ['EPA1', 2, false, 1],
      ['EPA12', null, false, 0],
    ]);
    expect(result.gaps.map((g) => g.competencyId)).toEqual(['EPA1', 'EPA12']);
    // (1 + 0.5 + 0) / 3
    expect(result.score).toBe(0.5);
    expect(readinessOf([], { min: 1, max: 5 }, parentOf, []).score).toBe(1);
  });
});
