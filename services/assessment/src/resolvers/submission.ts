import { ensure, ref, type IdArgs, guarded } from '@medcollab/kit';
import { type AssessmentContext } from '../context';
import { amendSubmission, saveDraft, type SubmissionOptions, submitAssessment } from '../data/submissions';
import { canWorkOnTask } from '../domain/access-policy';
import { amendSubmissionSchema, saveDraftSchema, submitAssessmentSchema } from '../domain/validation';
import { type Submission, type SubmissionAmendment } from '../entities';

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
    saveDraft: guarded({ input: saveDraftSchema }, (data, ctx: AssessmentContext) => {
      return ctx.command((em) => saveDraft(em, data, options(ctx)));
    }),
    submitAssessment: guarded({ input: submitAssessmentSchema }, (data, ctx: AssessmentContext) => {
      return ctx.command((em) => submitAssessment(em, data, options(ctx)));
    }),
    amendSubmission: guarded({ input: amendSubmissionSchema }, (data, ctx: AssessmentContext) => {
      return ctx.command((em) => amendSubmission(em, data, options(ctx)));
    }),
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
