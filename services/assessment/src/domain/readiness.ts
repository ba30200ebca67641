import { childrenOf, subtree, subtreeOf } from '@medcollab/kit';
import { type Observation, type Progress, progressOf } from './levels';

/**
 * A student's readiness for a post profile (a job and the competency levels it requires).
 *
 * - A requirement on a competency is met by evidence on that competency or on any competency
 *   beneath it in its framework (a profile requiring NOTSS "Situation awareness" is served by
 *   ratings of its three elements), pooled and levelled as in levels.ts.
 * - The headline level is mapped linearly from its own scale onto the profile's scale
 *   (`min + normalized × (max − min)`). Entrustment evidence, when there is any, is the
 *   headline (profiles are usually stated in entrustment levels).
 * - A requirement is met when the current level reaches the required one. Its attainment is 1
 *   when met, 0 without evidence, else the share of the way from the scale's bottom to the
 *   required level. The score is the mean attainment (1 for a profile without requirements).
 * - Gaps are the requirements not met, in the profile's order.
 */
export interface Requirement {
  competencyId: string;
  level: number;
}

export interface ProfileScale {
  min: number;
  max: number;
}

export interface RequirementStatus {
  competencyId: string;
  requiredLevel: number;
  /** On the profile's scale; null without evidence. */
  currentLevel: number | null;
  evidenceCount: number;
  met: boolean;
  attainment: number;
  progress: Progress;
}

export interface ReadinessResult {
  score: number;
  requirements: RequirementStatus[];
  gaps: RequirementStatus[];
}

const round = (n: number, digits: number): number => Math.round(n * 10 ** digits) / 10 ** digits;

/** Every competency id at or beneath a root (the kit's, shared with quality's curriculum coverage). */
export { subtree };

export function assessRequirement(req: Requirement, scale: ProfileScale, observations: readonly Observation[]): RequirementStatus {
  const progress = progressOf(observations);
  const span = scale.max - scale.min;
  const currentLevel = progress.headline ? round(scale.min + progress.headline.normalized * span, 2) : null;
  const met = currentLevel !== null && currentLevel >= req.level - 1e-9;
  let attainment = 0;
  if (met) attainment = 1;
  else if (currentLevel !== null)
    attainment = req.level <= scale.min ? 1 : Math.min(1, Math.max(0, (currentLevel - scale.min) / (req.level - scale.min)));
  return {
    competencyId: req.competencyId,
    requiredLevel: req.level,
    currentLevel,
    evidenceCount: progress.evidenceCount,
    met,
    attainment: round(attainment, 4),
    progress,
  };
}

/**
 * Readiness from the profile's requirements, the competency hierarchy (child → parent) and the
 * student's observations.
 */
export function readinessOf(
  requirements: readonly Requirement[],
  scale: ProfileScale,
  parentOf: ReadonlyMap<string, string | null>,
  observations: readonly Observation[],
): ReadinessResult {
  // The hierarchy is indexed once for every requirement, not rebuilt for each.
  const children = childrenOf(parentOf);
  const statuses = requirements.map((req) => {
    const ids = subtreeOf(req.competencyId, children);
    return assessRequirement(
      req,
      scale,
      observations.filter((o) => ids.has(o.competencyId)),
    );
  });
  const score = statuses.length ? round(statuses.reduce((s, r) => s + r.attainment, 0) / statuses.length, 3) : 1;
  return { score, requirements: statuses, gaps: statuses.filter((r) => !r.met) };
}
