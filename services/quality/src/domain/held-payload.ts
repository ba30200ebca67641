/**
 * What quality keeps of an event in its history (ADR 0047): everything its folds read, less what
 * would lead from an evaluation to the student who wrote it. The tasks of evaluations
 * (SITE_EVALUATION, TEACHER_EVALUATION: the student evaluates) name the student as their assessor
 * and the instant they submitted, which the evaluation's own event repeats; older evaluation
 * events name their placement, whose events name its student. The folds read none of these (an
 * evaluation task counts at its department and hospital, never under its assessor), so they are
 * dropped before the event is kept: the evaluator's identity is not held next to the evaluation.
 */
const EVALUATION_ROLES: ReadonlySet<unknown> = new Set(['SITE_EVALUATION', 'TEACHER_EVALUATION']);
const EVALUATOR_LINKS: readonly string[] = ['assessorId', 'studentId', 'placementId'];

export const isEvaluationTaskEvent = (type: string, payload: Record<string, unknown>): boolean =>
  type.startsWith('AssessmentTask') && EVALUATION_ROLES.has(payload.role);

export function heldPayload(type: string, payload: unknown): unknown {
  if (!payload || typeof payload !== 'object') return payload;
  const p = payload as Record<string, unknown>;
  const dropped: readonly string[] =
    type === 'EvaluationSubmitted' ? ['placementId'] : isEvaluationTaskEvent(type, p) ? EVALUATOR_LINKS : [];
  if (!dropped.some((k) => k in p)) return payload;
  return Object.fromEntries(Object.entries(p).filter(([k]) => !dropped.includes(k)));
}
