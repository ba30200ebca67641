import { ensure, NotFoundError, ref, type IdArgs, guarded } from '@medcollab/kit';
import { type MentorshipContext } from '../context';
import { acceptMatchingRun, cohortSchool, rejectMatchingRun, startMatchingRun } from '../data/matching';
import { canReadMatchingRun, canRunMatching } from '../domain/access-policy';
import { acceptMatchingRunSchema, rejectMatchingRunSchema, startMatchingRunSchema } from '../domain/validation';
import { type MatchingProposal, type MatchingRun } from '../entities';

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
    startMatchingRun: guarded(
      { roles: ['COORDINATOR', 'INSTITUTION_ADMIN'], action: 'run mentor matching', input: startMatchingRunSchema },
      async (cohort, ctx: MentorshipContext) => {
        const schoolId = await cohortSchool(ctx.dataSource.manager, cohort);
        ensure(canRunMatching(ctx.actor, schoolId), DENIED);
        return ctx.command((em) => startMatchingRun(em, cohort, schoolId, ctx.actor.personId));
      },
    ),
    acceptMatchingRun: guarded(
      { roles: ['COORDINATOR', 'INSTITUTION_ADMIN'], action: 'accept mentor matching', input: acceptMatchingRunSchema },
      async ({ runId }, ctx: MentorshipContext) => {
        await runToDecide(ctx, runId);
        return ctx.command(async (em) => {
          const run = await acceptMatchingRun(em, runId, ctx.actor.personId, ctx.eventMeta);
          // Each mentorship the run created is its mentees' record (ADR 0008), recorded with the creation (one statement).
          const mentees = (await em.query(
            `SELECT m.id, m.school_id, mm.student_id FROM mentorship m JOIN mentorship_mentee mm ON mm.mentorship_id = m.id
              WHERE m.matching_run_id = $1`,
            [runId],
          )) as { id: string; school_id: string; student_id: string }[];
          for (const r of mentees)
            ctx.audit.change('Mentorship', r.id, { studentId: r.student_id, schoolId: r.school_id, change: 'acceptMatchingRun' });
          return run;
        });
      },
    ),
    rejectMatchingRun: guarded(
      { roles: ['COORDINATOR', 'INSTITUTION_ADMIN'], action: 'reject mentor matching', input: rejectMatchingRunSchema },
      async ({ runId, reason }, ctx: MentorshipContext) => {
        await runToDecide(ctx, runId);
        return ctx.command((em) => rejectMatchingRun(em, runId, ctx.actor.personId, reason));
      },
    ),
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
