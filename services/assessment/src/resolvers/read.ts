import { ensure } from '@medcollab/kit';
import { type AssessmentContext } from '../context';
import { canReadSubmission, canReadTask, type PlacementFacts } from '../domain/access-policy';
import { type AssessmentTask, type Submission } from '../entities';

/** The placement a task is tied to, as assessment knows it (batched). */
async function placementOf(ctx: AssessmentContext, task: AssessmentTask): Promise<PlacementFacts | null> {
  return task.placementId ? ctx.loaders.knownPlacement.load(task.placementId) : null;
}

export async function mayReadTask(ctx: AssessmentContext, task: AssessmentTask): Promise<boolean> {
  return canReadTask(ctx.actor, task, await placementOf(ctx, task), ctx.now);
}

export async function mayReadSubmission(ctx: AssessmentContext, task: AssessmentTask, submission: Pick<Submission, 'status'>): Promise<boolean> {
  return canReadSubmission(ctx.actor, task, await placementOf(ctx, task), ctx.now, submission.status === 'SUBMITTED');
}

/** The tasks among `tasks` the caller may see (their placements loaded in one batch). */
export async function visibleTasks(ctx: AssessmentContext, tasks: readonly AssessmentTask[]): Promise<AssessmentTask[]> {
  const allowed = await Promise.all(tasks.map((t) => mayReadTask(ctx, t)));
  return tasks.filter((_, i) => allowed[i]);
}

/** Root field and `__resolveReference` alike: null when missing, FORBIDDEN when not the caller's to see. */
export async function readTask(ctx: AssessmentContext, id: string): Promise<AssessmentTask | null> {
  const task = await ctx.loaders.task.load(id);
  if (!task) return null;
  ensure(await mayReadTask(ctx, task), 'You may not see this task');
  return task;
}
