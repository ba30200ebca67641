import { ensure, ref, type IdArgs, guarded } from '@medcollab/kit';
import { type AssessmentContext } from '../context';
import { amendSubmission, saveDraft, type SubmissionOptions, submitAssessment } from '../data/submissions';
import { canWorkOnTask } from '../domain/access-policy';
import { amendSubmissionSchema, saveDraftSchema, submitAssessmentSchema } from '../domain/validation';
import { type EntityManager } from 'typeorm';
import { type AssessmentTask, type Submission, type SubmissionAmendment } from '../entities';

import { mayReadSubmission } from './read';
import { NOT_YOURS } from './task';

const options = (ctx: AssessmentContext, onTask: (task: AssessmentTask) => void = () => undefined): SubmissionOptions => ({
  now: ctx.now,
  meta: ctx.eventMeta,
  authorize: (task) => {
    ensure(canWorkOnTask(ctx.actor, task), NOT_YOURS);
    onTask(task);
  },
});

type SubmissionCommand = (em: EntityManager, opts: SubmissionOptions) => Promise<Submission>;

/**
 * Runs a change of a submission in one transaction with its audit entry (ADR 0008): the answers
 * are the record of the student the task names (assessed, or the author of an evaluation).
 */
function recordedCommand(ctx: AssessmentContext, change: string, fields: string[], reason: string | null, run: SubmissionCommand) {
  return ctx.command(async (em) => {
    let task: AssessmentTask | null = null;
    const submission = await run(
      em,
      options(ctx, (t) => {
        task = t;
      }),
    );
    const t = task as AssessmentTask | null;
    if (t) ctx.audit.change('Submission', submission.id, { studentId: t.studentId, schoolId: t.schoolId, change, fields, reason });
    return submission;
  });
}

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
    saveDraft: guarded({ input: saveDraftSchema }, (data, ctx: AssessmentContext) =>
      recordedCommand(ctx, 'saveDraft', ['comment', 'responses'], null, (em, opts) => saveDraft(em, data, opts)),
    ),
    submitAssessment: guarded({ input: submitAssessmentSchema }, (data, ctx: AssessmentContext) =>
      recordedCommand(ctx, 'submitAssessment', ['comment', 'responses', 'status'], null, (em, opts) => submitAssessment(em, data, opts)),
    ),
    amendSubmission: guarded({ input: amendSubmissionSchema }, (data, ctx: AssessmentContext) =>
      recordedCommand(ctx, 'amendSubmission', ['responses'], data.reason, (em, opts) => amendSubmission(em, data, opts)),
    ),
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
