import { type Observation, type Progress, progressOf } from '../domain/levels';
import { type CompetencyDomain } from '../domain/model';
import { type KnownCompetency } from '../entities';

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

/**
 * A student's progress on every competency they have evidence of, technical and non-technical
 * alike, by domain then code (competencies the curriculum has not published yet last, by id).
 */
export function studentProgress(
  studentId: string,
  observations: readonly Observation[],
  competencies: ReadonlyMap<string, KnownCompetency>,
): CompetencyProgressView[] {
  const byCompetency = new Map<string, Observation[]>();
  for (const o of observations) {
    const group = byCompetency.get(o.competencyId);
    if (group) group.push(o);
    else byCompetency.set(o.competencyId, [o]);
  }
  const keyed = [...byCompetency.entries()].map(([competencyId, own]) => {
    const c = competencies.get(competencyId);
    const view: CompetencyProgressView = {
      id: progressId(studentId, competencyId),
      studentId,
      competencyId,
      domain: c?.domain ?? null,
      ...progressOf(own),
    };
    // The sort key is built once a view, not twice a comparison.
    return { view, key: c ? `0|${c.domain}|${c.code}|${competencyId}` : `1|${competencyId}` };
  });
  return keyed.sort((a, b) => a.key.localeCompare(b.key)).map((k) => k.view);
}
