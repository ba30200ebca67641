import { type AuditedTypes, type AuditOwners } from '@medcollab/kit';
import { type AssessmentContext } from './context';
import { type CompetencyProgressView } from './data/progress';
import { type ReadinessView } from './data/readiness';
import { type AssessmentTask, type Submission } from './entities';

/**
 * The student records of assessment (ADR 0008): every field of these types a caller resolves is
 * recorded, by whatever path. A task and its answers are the record of the student it names
 * (assessed, or the author of an evaluation: their answers are theirs); progress and readiness
 * are the student's. Evaluation aggregates name no student and are not recorded.
 */
const ofTask = (t: AssessmentTask): AuditOwners => ({ id: t.id, studentId: t.studentId, schoolId: t.schoolId });

/** The student's school as assessment knows it (batched); null: not known yet, nothing to record against. */
async function ofStudent(ctx: AssessmentContext, id: string, studentId: string): Promise<AuditOwners> {
  const known = await ctx.loaders.knownStudent.load(studentId);
  return known ? { id, studentId, schoolId: known.schoolId } : null;
}

export const auditedTypes: AuditedTypes = {
  AssessmentTask: ofTask,
  Submission: async (s: Submission, ctx: AssessmentContext) => {
    const task = await ctx.loaders.task.load(s.taskId);
    return task ? { id: s.id, studentId: task.studentId, schoolId: task.schoolId } : null;
  },
  CompetencyProgress: (p: CompetencyProgressView, ctx: AssessmentContext) => ofStudent(ctx, p.id, p.studentId),
  // A readiness has no id of its own: the student and the post profile name it.
  Readiness: (r: ReadinessView, ctx: AssessmentContext) => ofStudent(ctx, `${r.studentId}/${r.postProfileId}`, r.studentId),
};
