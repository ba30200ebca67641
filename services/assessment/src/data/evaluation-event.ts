import { createHmac } from 'node:crypto';
import { EvaluationSubmitted } from '@medcollab/events';
import { type EntityManager } from 'typeorm';
import { evaluationItemScores } from '../domain/evaluation-scores';
import { type InstrumentItemDef } from '../domain/scales';
import { type AssessmentTask, type Submission } from '../entities';
import { type EventMeta, outbox } from '../outbox';
import { assessmentSettings } from '../settings';

/**
 * The evaluator as quality sees them: a keyed hash of their id. The key never leaves
 * assessment, so the pseudonym cannot be reversed by trying every student id; it is stable, so
 * quality can count distinct evaluators behind a cell.
 */
export const evaluatorPseudonym = (evaluatorId: string, key: string = assessmentSettings().evaluatorPseudonymKey as string): string =>
  createHmac('sha256', key).update(evaluatorId).digest('hex');

/**
 * Publishes a learner's evaluation of a site or a teacher for the quality rollups, in the
 * submission's transaction: the rated answers with their scales and where and when they apply,
 * the evaluator only as a pseudonym (no student, task or assessor id).
 */
export async function publishEvaluation(
  em: EntityManager,
  task: AssessmentTask,
  submission: Submission,
  items: readonly InstrumentItemDef[],
  _meta: EventMeta,
): Promise<void> {
  if (task.role !== 'SITE_EVALUATION' && task.role !== 'TEACHER_EVALUATION') return;
  // A teacher evaluation names the teacher; the department is where the placement ran.
  const [placement] = task.placementId
    ? ((await em.query('SELECT department_id FROM known_placement WHERE id = $1', [task.placementId])) as { department_id: string }[])
    : [];
  const itemScores = evaluationItemScores(items, submission.responses);
  await outbox.append(
    em,
    EvaluationSubmitted,
    submission.id,
    {
      submissionId: submission.id,
      kind: task.role,
      evaluatorPseudonym: evaluatorPseudonym(task.assessorId),
      schoolId: task.schoolId,
      hospitalId: task.hospitalId,
      departmentId: task.subjectDepartmentId ?? placement?.department_id ?? null,
      teacherId: task.role === 'TEACHER_EVALUATION' ? task.subjectStaffId : null,
      blockId: task.blockId,
      placementId: task.placementId,
      academicYear: task.academicYear,
      submittedAt: (submission.submittedAt as Date).toISOString(),
      itemScores,
    },
    // Not the request's actor (the evaluator) nor its request id: nothing that leads back to them.
    {},
  );
}
