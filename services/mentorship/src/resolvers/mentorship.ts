import {
  BadUserInputError,
  ensure,
  NotFoundError,
  pageRequest,
  parseInput,
  requireRole,
  type ConnectionArgs,
  ref,
  type IdArgs,
  type InputArgs,
  guarded,
} from '@medcollab/kit';
import { recordMentorshipChange } from '../audited';
import { type MentorshipContext } from '../context';
import { meetingsPage } from '../data/meetings';
import { addMentee, changeMentorshipStatus, createMentorship } from '../data/mentorships';
import { canManageMentorship, canReadMatchingRun, canStartMentoring } from '../domain/access-policy';
import { type MentorshipTransition } from '../domain/mentorship-rules';
import { addMenteeSchema, changeMentorshipSchema, createMentorshipSchema, resumeMentorshipSchema } from '../domain/validation';
import { type KnownStudent, type Mentorship } from '../entities';
import { readMentorship } from './common';

const MANAGE_DENIED = "Only the mentor and the school's admins and coordinators may change this mentorship";
const MANAGERS = ['MENTOR', 'COORDINATOR', 'INSTITUTION_ADMIN'] as const;
const START_DENIED =
  "Only the mentees' school's admins and coordinators, or a mentor of that school, may make a student a mentee: a mentor at another institution needs the school to do it";

/** The students named as mentees, all known and of one school; returns that school. */
async function menteesSchool(
  ctx: MentorshipContext,
  ids: readonly string[],
  field: string,
): Promise<{ schoolId: string; students: KnownStudent[] }> {
  const found = await ctx.loaders.knownStudent.loadMany(ids);
  const unknown = ids.filter((_, i) => !found[i] || found[i] instanceof Error);
  if (unknown.length)
    throw new BadUserInputError('Unknown students (not registered, or not yet known to mentorship)', { field, studentIds: unknown });
  const students = found as KnownStudent[];
  const schools = new Set(students.map((s) => s.schoolId));
  if (schools.size > 1) throw new BadUserInputError('All mentees of a mentorship must be students of one school', { field });
  return { schoolId: students[0]!.schoolId, students };
}

/** Loads the mentorship a command names and checks the caller may change it. */
async function mentorshipToChange(ctx: MentorshipContext, id: string): Promise<Mentorship> {
  requireRole(ctx.actor, [...MANAGERS], 'change mentorships');
  const m = await ctx.loaders.mentorship.load(id);
  if (!m) throw new NotFoundError('Mentorship', id);
  ensure(canManageMentorship(ctx.actor, m), MANAGE_DENIED);
  return m;
}

function transition(kind: MentorshipTransition) {
  return async (_: unknown, { input }: InputArgs, ctx: MentorshipContext) => {
    const { mentorshipId, reason } =
      kind === 'RESUME' ? { ...parseInput(resumeMentorshipSchema, input), reason: null } : parseInput(changeMentorshipSchema, input);
    const m = await mentorshipToChange(ctx, mentorshipId);
    return ctx.command(async (em) => {
      const changed = await changeMentorshipStatus(em, mentorshipId, kind, reason, ctx.eventMeta);
      await recordMentorshipChange(ctx, em, { type: 'Mentorship', id: m.id }, m, `${kind.toLowerCase()}Mentorship`, {
        fields: ['status'],
        reason,
      });
      return changed;
    });
  };
}

export const mentorshipResolvers = {
  Query: {
    mentorship: (_: unknown, { id }: IdArgs, ctx: MentorshipContext) => readMentorship(ctx, id),
  },
  Mutation: {
    createMentorship: guarded(
      { roles: [...MANAGERS], action: 'create mentorships', input: createMentorshipSchema },
      async (data, ctx: MentorshipContext) => {
        const { schoolId } = await menteesSchool(ctx, data.menteeIds, 'menteeIds');
        ensure(canStartMentoring(ctx.actor, { mentorId: data.mentorId, schoolId }), START_DENIED);
        return ctx.command(async (em) => {
          const m = await createMentorship(em, data, schoolId, ctx.eventMeta);
          await recordMentorshipChange(ctx, em, { type: 'Mentorship', id: m.id }, m, 'createMentorship');
          return m;
        });
      },
    ),
    addMentee: guarded({ input: addMenteeSchema }, async ({ mentorshipId, studentId }, ctx: MentorshipContext) => {
      const m = await mentorshipToChange(ctx, mentorshipId);
      ensure(canStartMentoring(ctx.actor, m), START_DENIED);
      const { students } = await menteesSchool(ctx, [studentId], 'studentId');
      return ctx.command(async (em) => {
        const changed = await addMentee(em, mentorshipId, students[0]!, ctx.eventMeta);
        await recordMentorshipChange(ctx, em, { type: 'Mentorship', id: m.id }, m, 'addMentee', { fields: ['mentees'] });
        return changed;
      });
    }),
    pauseMentorship: transition('PAUSE'),
    resumeMentorship: transition('RESUME'),
    endMentorship: transition('END'),
  },
  Mentorship: {
    __resolveReference: (r: IdArgs, ctx: MentorshipContext) => readMentorship(ctx, r.id),
    mentor: (m: Mentorship) => ref(m.mentorId),
    mentees: async (m: Mentorship, _: unknown, ctx: MentorshipContext) => (await ctx.loaders.menteesByMentorship.load(m.id)).map(ref),
    school: (m: Mentorship) => ref(m.schoolId),
    /** Only the school's staff read runs; for everyone else the link is null. */
    matchingRun: (m: Mentorship, _: unknown, ctx: MentorshipContext) =>
      m.matchingRunId && canReadMatchingRun(ctx.actor, m.schoolId) ? ctx.loaders.run.load(m.matchingRunId) : null,
    meetingCount: async (m: Mentorship, _: unknown, ctx: MentorshipContext) => (await ctx.loaders.meetingStats.load(m.id)).count,
    lastMeetingOn: async (m: Mentorship, _: unknown, ctx: MentorshipContext) => (await ctx.loaders.meetingStats.load(m.id)).lastOn,
    meetings: (m: Mentorship, args: ConnectionArgs, ctx: MentorshipContext) => meetingsPage(ctx.dataSource, m.id, pageRequest(args)),
  },
};
