import { ensure, NotFoundError, parseInput, requireRole } from '@medcollab/kit';
import { type MentorshipContext } from '../context';
import { acceptMatchingRun, cohortSchool, rejectMatchingRun, startMatchingRun } from '../data/matching';
import { runCommand } from '../data/transaction';
import { canReadMatchingRun, canRunMatching } from '../domain/access-policy';
import { acceptMatchingRunSchema, rejectMatchingRunSchema, startMatchingRunSchema } from '../domain/validation';
import { type MatchingProposal, type MatchingRun } from '../entities';
import { type IdArgs, type InputArgs, ref } from './common';

const DENIED = "Only the school's admins and coordinators may run and decide mentor matching";

async function readRun(ctx: MentorshipContext, id: string): Promise<MatchingRun | null> {
  const run = await ctx.loaders.run.load(id);
  if (!run) return null;
  ensure(canReadMatchingRun(ctx.actor, run.schoolId), "Only the school's staff may see its matching runs");
  return run;
}

/** Loads a run a coordinator wants to decide on and checks they may. */
async function runToDecide(ctx: MentorshipContext, id: string): Promise<MatchingRun> {
  const run = await ctx.loaders.run.load(id);
  if (!run) throw new NotFoundError('Matching run', id);
  ensure(canRunMatching(ctx.actor, run.schoolId), DENIED);
  return run;
}

export const matchingResolvers = {
  Query: {
    matchingRun: (_: unknown, { id }: IdArgs, ctx: MentorshipContext) => readRun(ctx, id),
  },
  Mutation: {
    startMatchingRun: async (_: unknown, { input }: InputArgs, ctx: MentorshipContext) => {
      requireRole(ctx.actor, ['COORDINATOR', 'INSTITUTION_ADMIN'], 'run mentor matching');
      const cohort = parseInput(startMatchingRunSchema, input);
      const schoolId = await cohortSchool(ctx.dataSource.manager, cohort);
      ensure(canRunMatching(ctx.actor, schoolId), DENIED);
      return runCommand(ctx.dataSource, (em) => startMatchingRun(em, cohort, schoolId, ctx.actor.personId));
    },
    acceptMatchingRun: async (_: unknown, { input }: InputArgs, ctx: MentorshipContext) => {
      requireRole(ctx.actor, ['COORDINATOR', 'INSTITUTION_ADMIN'], 'accept mentor matching');
      const { runId } = parseInput(acceptMatchingRunSchema, input);
      await runToDecide(ctx, runId);
      return runCommand(ctx.dataSource, (em) => acceptMatchingRun(em, runId, ctx.actor.personId, ctx.eventMeta));
    },
    rejectMatchingRun: async (_: unknown, { input }: InputArgs, ctx: MentorshipContext) => {
      requireRole(ctx.actor, ['COORDINATOR', 'INSTITUTION_ADMIN'], 'reject mentor matching');
      const { runId, reason } = parseInput(rejectMatchingRunSchema, input);
      await runToDecide(ctx, runId);
      return runCommand(ctx.dataSource, (em) => rejectMatchingRun(em, runId, ctx.actor.personId, reason));
    },
  },
  MatchingRun: {
    __resolveReference: (r: IdArgs, ctx: MentorshipContext) => readRun(ctx, r.id),
    school: (r: MatchingRun) => ref(r.schoolId),
    proposals: (r: MatchingRun, _: unknown, ctx: MentorshipContext) => ctx.loaders.proposalsByRun.load(r.id),
    unmatchedStudents: (r: MatchingRun) => r.unmatchedStudentIds.map(ref),
    mentorships: (r: MatchingRun, _: unknown, ctx: MentorshipContext) => ctx.loaders.mentorshipsByRun.load(r.id),
  },
  MatchProposal: {
    student: (p: MatchingProposal) => ref(p.studentId),
    mentor: (p: MatchingProposal) => ref(p.mentorId),
  },
};
