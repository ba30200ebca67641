import { ensure, parseInput } from '@medcollab/kit';
import { type AssessmentContext } from '../context';
import { amendSubmission, saveDraft, type SubmissionOptions, submitAssessment } from '../data/submissions';
import { runCommand } from '../data/transaction';
import { canWorkOnTask } from '../domain/access-policy';
import { amendSubmissionSchema, saveDraftSchema, submitAssessmentSchema } from '../domain/validation';
import { type Submission, type SubmissionAmendment } from '../entities';
import { type IdArgs, type InputArgs, ref } from './common';
import { mayReadSubmission } from './read';
import { NOT_YOURS } from './task';

const options = (ctx: AssessmentContext): SubmissionOptions => ({
  now: ctx.now,
  meta: ctx.eventMeta,
  authorize: (task) => ensure(canWorkOnTask(ctx.actor, task), NOT_YOURS),
});

/** A submission is read with its task; an evaluation's answers only by their author. */
async function readSubmission(ctx: AssessmentContext, id: string): Promise<Submission | null> {
  const submission = await ctx.loaders.submission.load(id);
  if (!submission) return null;
  const task = await ctx.loaders.task.load(submission.taskId);
  ensure(task !== null && (await mayReadSubmission(ctx, task, submission)), 'You may not see this submission');
  return submission;
}

const latest = async (s: Submission, ctx: AssessmentContext): Promise<SubmissionAmendment | undefined> =>
  (await ctx.loaders.amendmentsBySubmission.load(s.id)).at(-1);

export const submissionResolvers = {
  Mutation: {
    saveDraft: (_: unknown, { input }: InputArgs, ctx: AssessmentContext) => {
      const data = parseInput(saveDraftSchema, input);
      return runCommand(ctx.dataSource, (em) => saveDraft(em, data, options(ctx)));
    },
    submitAssessment: (_: unknown, { input }: InputArgs, ctx: AssessmentContext) => {
      const data = parseInput(submitAssessmentSchema, input);
      return runCommand(ctx.dataSource, (em) => submitAssessment(em, data, options(ctx)));
    },
    amendSubmission: (_: unknown, { input }: InputArgs, ctx: AssessmentContext) => {
      const data = parseInput(amendSubmissionSchema, input);
      return runCommand(ctx.dataSource, (em) => amendSubmission(em, data, options(ctx)));
    },
  },
  Submission: {
    __resolveReference: (r: IdArgs, ctx: AssessmentContext) => readSubmission(ctx, r.id),
    task: (s: Submission, _: unknown, ctx: AssessmentContext) => ctx.loaders.task.load(s.taskId),
    responses: async (s: Submission, _: unknown, ctx: AssessmentContext) => (await latest(s, ctx))?.responses ?? s.responses,
    originalResponses: (s: Submission) => s.responses,
    version: async (s: Submission, _: unknown, ctx: AssessmentContext) => (await latest(s, ctx))?.version ?? 1,
    amendments: (s: Submission, _: unknown, ctx: AssessmentContext) => ctx.loaders.amendmentsBySubmission.load(s.id),
  },
  Amendment: {
    amendedBy: (a: SubmissionAmendment) => ref(a.amendedBy),
  },
};
