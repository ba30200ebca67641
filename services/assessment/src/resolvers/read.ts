import { readWithPolicy } from '@medcollab/kit';
import { type AssessmentContext } from '../context';
import {
  canReadSubmission,
  canReadTask,
  departmentDecides,
  isEvaluationRole,
  mayHoldMentorGrant,
  type PlacementFacts,
} from '../domain/access-policy';
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

/**
 * The caller's department at their own institution, for the instructors' least-privilege rule at
 * hospitals; null for every other caller (their department never decides). Batched and cached.
 */
async function actorDepartment(ctx: AssessmentContext): Promise<string | null> {
  if (!departmentDecides(ctx.actor)) return null;
  const self = await ctx.loaders.knownStaff.load(ctx.actor.personId);
  return self !== null && self.institutionId === ctx.actor.institutionId ? self.departmentId : null;
}

/** What the slower rules need: the student's mentors and the caller's department (each loaded only for whom it can decide). */
async function grantsFor(ctx: AssessmentContext, task: AssessmentTask): Promise<[readonly string[], string | null]> {
  return Promise.all([mentorsOf(ctx, task.studentId), actorDepartment(ctx)]);
}

export async function mayReadTask(ctx: AssessmentContext, task: AssessmentTask): Promise<boolean> {
  const placement = await placementOf(ctx, task);
  if (canReadTask(ctx.actor, task, placement, ctx.now)) return true;
  // A mentor never reads an evaluation task: its student is the evaluator, not the one assessed.
  if (isEvaluationRole(task.role)) return false;
  const [mentors, department] = await grantsFor(ctx, task);
  return canReadTask(ctx.actor, task, placement, ctx.now, mentors, department);
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
  if (!submitted || isEvaluationRole(task.role)) return false;
  const [mentors, department] = await grantsFor(ctx, task);
  return canReadSubmission(ctx.actor, task, placement, ctx.now, submitted, mentors, department);
}

/** The tasks among `tasks` the caller may see (their placements loaded in one batch). */
export async function visibleTasks(ctx: AssessmentContext, tasks: readonly AssessmentTask[]): Promise<AssessmentTask[]> {
  const allowed = await Promise.all(tasks.map((t) => mayReadTask(ctx, t)));
  const visible = tasks.filter((_, i) => allowed[i]);
  // Their submissions find them by id (policy, audit trail): no second statement for tasks a list already loaded.
  for (const t of visible) ctx.loaders.task.prime(t.id, t);
  return visible;
}

/** Root field and `__resolveReference` alike: null when missing, FORBIDDEN when not the caller's to see. */
export const readTask = (ctx: AssessmentContext, id: string): Promise<AssessmentTask | null> =>
  readWithPolicy(ctx.loaders.task, id, (t) => mayReadTask(ctx, t), 'You may not see this task');
