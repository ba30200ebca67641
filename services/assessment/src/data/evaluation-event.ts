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
 * Where an evaluation belongs in its school's curriculum (ADR 0031): the evaluating student's
 * program (their active enrolment) and the program's module the placement belongs to — the
 * first module in the program's order that integrates the department's specialty. One module at
 * most, so a program's evaluations split into its modules (and "no module") without overlap,
 * which is what lets quality protect modules as the children of their program.
 */
export async function moduleOfEvaluation(
  em: EntityManager,
  studentId: string,
  departmentId: string | null,
): Promise<{ programId: string | null; moduleId: string | null }> {
  const [row] = (await em.query(
    `SELECT e.program_id,
            (SELECT m.module_id FROM known_program_module m JOIN known_department_specialty d ON d.department_id = $2
              WHERE m.program_id = e.program_id AND d.specialty = ANY(m.disciplines) ORDER BY m.position LIMIT 1) AS module_id
       FROM known_enrollment e WHERE e.student_id = $1 AND e.status = 'ACTIVE' ORDER BY e.changed_at DESC, e.id LIMIT 1`,
    [studentId, departmentId],
  )) as { program_id: string; module_id: string | null }[];
  return { programId: row?.program_id ?? null, moduleId: row?.module_id ?? null };
}

/**
 * Publishes a learner's evaluation of a site or a teacher for the quality rollups, in the
 * submission's transaction: the rated answers with their scales and where and when they apply,
 * the evaluator only as a pseudonym (no student, task, assessor or placement id: quality holds the
 * placements' students, ADR 0047); the student's program and
 * the module the placement belongs to (coarse facts, shown only behind k evaluators).
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
  const departmentId = task.subjectDepartmentId ?? placement?.department_id ?? null;
  const { programId, moduleId } = await moduleOfEvaluation(em, task.assessorId, departmentId);
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
      departmentId,
      teacherId: task.role === 'TEACHER_EVALUATION' ? task.subjectStaffId : null,
      blockId: task.blockId,
      programId,
      moduleId,
      academicYear: task.academicYear,
      submittedAt: (submission.submittedAt as Date).toISOString(),
      itemScores,
    },
    // Not the request's actor (the evaluator) nor its request id: nothing that leads back to them.
    {},
  );
}
