import { readinessOf, type RequirementStatus } from '../domain/readiness';
import { type CompetencyDomain } from '../domain/model';
import { type Observation } from '../domain/levels';
import { type KnownCompetency, type KnownPostProfile } from '../entities';

/** A gap as the schema shows it. */
export interface GapView {
  competencyId: string;
  domain: CompetencyDomain | null;
  requiredLevel: number;
  currentLevel: number | null;
  evidenceCount: number;
}

export interface ReadinessView {
  studentId: string;
  postProfileId: string;
  score: number;
  requirementCount: number;
  metCount: number;
  gaps: GapView[];
}

const toGap = (r: RequirementStatus, competencies: ReadonlyMap<string, KnownCompetency>): GapView => ({
  competencyId: r.competencyId,
  domain: competencies.get(r.competencyId)?.domain ?? null,
  requiredLevel: r.requiredLevel,
  currentLevel: r.currentLevel,
  evidenceCount: r.evidenceCount,
});

/** A student's readiness for a post profile, from their observations and the competency hierarchy (see domain/readiness). */
export function readiness(
  studentId: string,
  profile: KnownPostProfile,
  observations: readonly Observation[],
  competencies: ReadonlyMap<string, KnownCompetency>,
): ReadinessView {
  const parentOf = new Map([...competencies.values()].map((c) => [c.id, c.parentId]));
  const result = readinessOf(profile.requirements, { min: profile.scaleMin, max: profile.scaleMax }, parentOf, observations);
  return {
    studentId,
    postProfileId: profile.id,
    score: result.score,
    requirementCount: result.requirements.length,
    metCount: result.requirements.filter((r) => r.met).length,
    gaps: result.gaps.map((g) => toGap(g, competencies)),
  };
}
