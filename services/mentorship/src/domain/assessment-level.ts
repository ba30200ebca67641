/**
 * When a mentee's assessment counts as "below the expected level", so their mentors are told.
 *
 * Only SUMMATIVE submissions count: formative ones are practice and never notify. A summative
 * submission is below the expected level when any rated competency result sits in the lower
 * half of its scale: normalised (value - min) / (max - min) < 0.5, i.e. value below the scale's
 * midpoint. This holds for LIKERT and NOTSS ratings and for ENTRUSTMENT levels alike (on a 1..5
 * entrustment scale, levels 1 and 2 are below; the midpoint 3 is not), whichever the
 * entrustment mode. CHECKLIST answers are ignored: the event does not say which items are
 * required, and one 'not done' of an optional item is no evidence of a level. A degenerate
 * scale (max <= min) says nothing and is ignored too.
 */

export type ScaleType = 'LIKERT' | 'NOTSS' | 'ENTRUSTMENT' | 'CHECKLIST';

export interface CompetencyResult {
  competencyId: string;
  scaleType: ScaleType;
  value: number;
  min: number;
  max: number;
}

/** The share of its scale a result reaches below which it is below the expected level. */
export const EXPECTED_LEVEL_THRESHOLD = 0.5;

/** True when one result is below the expected level of its scale (see the module comment). */
export function isResultBelowExpected(r: CompetencyResult): boolean {
  if (r.scaleType === 'CHECKLIST') return false;
  if (!(r.max > r.min)) return false;
  return (r.value - r.min) / (r.max - r.min) < EXPECTED_LEVEL_THRESHOLD;
}

/**
 * The competencies (distinct ids, sorted) of a submission that are below the expected level;
 * empty when the submission is formative or nothing is below, i.e. when nobody is told.
 */
export function competenciesBelowExpected(submission: {
  purpose: 'FORMATIVE' | 'SUMMATIVE';
  competencyResults: readonly CompetencyResult[];
}): string[] {
  if (submission.purpose !== 'SUMMATIVE') return [];
  const below = new Set(submission.competencyResults.filter(isResultBelowExpected).map((r) => r.competencyId));
  return [...below].sort();
}
