import { readWithPolicy } from '@medcollab/kit';
import { type AssessmentContext } from '../context';
import { canReadSubmission, canReadTask, isEvaluationRole, mayHoldMentorGrant, type PlacementFacts } from '../domain/access-policy';
import { type AssessmentTask, type Submission } from '../entities';

/** The placement a task is tied to, as assessment knows it (batched). */
async function placementOf(ctx: AssessmentContext, task: AssessmentTask): Promise<PlacementFacts | null> {
  return task.placementId ? ctx.loaders.knownPlacement.load(task.placementId) : null;
}

/**
 * The mentors holding a live grant for the student (batched: one statement for every student
 * of the request). Callers load them only once the other rules have refused, and only for
 * staff, who alone can hold a grant.
 */
export async function mentorsOf(ctx: AssessmentContext, studentId: string): Promise<readonly string[]> {
  return mayHoldMentorGrant(ctx.actor) ? ctx.loaders.mentorsOfStudent.load(studentId) : [];
}

export async function mayReadTask(ctx: AssessmentContext, task: AssessmentTask): Promise<boolean> {
  const placement = await placementOf(ctx, task);
  if (canReadTask(ctx.actor, task, placement, ctx.now)) return true;
  // A mentor never reads an evaluation task: its student is the evaluator, not the one assessed.
  return !isEvaluationRole(task.role) && canReadTask(ctx.actor, task, placement, ctx.now, await mentorsOf(ctx, task.studentId));
}

export async function mayReadSubmission(
  ctx: AssessmentContext,
  task: AssessmentTask,
  submission: Pick<Submission, 'status'>,
): Promise<boolean> {
  const placement = await placementOf(ctx, task);
  const submitted = submission.status === 'SUBMITTED';
  if (canReadSubmission(ctx.actor, task, placement, ctx.now, submitted)) return true;
  // Evaluations' answers stay their author's, drafts too: no grant is loaded for them.
  return (
    submitted &&
    !isEvaluationRole(task.role) &&
    canReadSubmission(ctx.actor, task, placement, ctx.now, submitted, await mentorsOf(ctx, task.studentId))
  );
}

/** The tasks among `tasks` the caller may see (their placements loaded in one batch). */
export async function visibleTasks(ctx: AssessmentContext, tasks: readonly AssessmentTask[]): Promise<AssessmentTask[]> {
  const allowed = await Promise.all(tasks.map((t) => mayReadTask(ctx, t)));
  return tasks.filter((_, i) => allowed[i]);
}

/** Root field and `__resolveReference` alike: null when missing, FORBIDDEN when not the caller's to see. */
export const readTask = (ctx: AssessmentContext, id: string): Promise<AssessmentTask | null> =>
  readWithPolicy(ctx.loaders.task, id, (t) => mayReadTask(ctx, t), 'You may not see this task');
