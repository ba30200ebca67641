import { type Observation, type Progress, progressOf } from '../domain/levels';
import { type CompetencyDomain } from '../domain/model';
import { type CompetencyObservation, type KnownCompetency } from '../entities';

/** One competency's progress for one student, as the schema shows it. */
export interface CompetencyProgressView extends Progress {
  id: string;
  studentId: string;
  competencyId: string;
  domain: CompetencyDomain | null;
}

export const progressId = (studentId: string, competencyId: string): string => `${studentId}/${competencyId}`;

export function parseProgressId(id: string): { studentId: string; competencyId: string } | null {
  const [studentId, competencyId, ...rest] = id.split('/');
  return studentId && competencyId && !rest.length ? { studentId, competencyId } : null;
}

export const toObservation = (o: CompetencyObservation): Observation => ({
  competencyId: o.competencyId,
  submissionId: o.submissionId,
  observedAt: o.observedAt,
  scaleType: o.scaleType,
  entrustmentMode: o.entrustmentMode,
  min: o.scaleMin,
  max: o.scaleMax,
  value: o.value,
});

/**
 * A student's progress on every competency they have evidence of, technical and non-technical
 * alike, by domain then code (competencies the curriculum has not published yet last, by id).
 */
export function studentProgress(
  studentId: string,
  rows: readonly CompetencyObservation[],
  competencies: ReadonlyMap<string, KnownCompetency>,
): CompetencyProgressView[] {
  const byCompetency = new Map<string, Observation[]>();
  for (const row of rows) byCompetency.set(row.competencyId, [...(byCompetency.get(row.competencyId) ?? []), toObservation(row)]);
  const views = [...byCompetency.entries()].map(([competencyId, observations]) => ({
    id: progressId(studentId, competencyId),
    studentId,
    competencyId,
    domain: competencies.get(competencyId)?.domain ?? null,
    ...progressOf(observations),
  }));
  const sortKey = (v: CompetencyProgressView) => {
    const c = competencies.get(v.competencyId);
    return c ? `0|${c.domain}|${c.code}|${v.competencyId}` : `1|${v.competencyId}`;
  };
  return views.sort((a, b) => sortKey(a).localeCompare(sortKey(b)));
}
