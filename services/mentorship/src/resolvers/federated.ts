import { ensure, hasRole, type IdArgs, guarded } from '@medcollab/kit';
import { type MentorshipContext } from '../context';
import { setMenteePreferences } from '../data/profiles';
import { canManageStudentPreferences, canReadMentorship, canReferenceStaff } from '../domain/access-policy';
import { type GoalStatus, type MentorshipStatus } from '../domain/model';
import { setMenteePreferencesSchema } from '../domain/validation';
import { isOpen, mayReadProfile, mentorshipRef, requireStudentRecords, studentAccessFacts } from './common';

/**
 * The fields mentorship contributes to the network's Student and StaffMember. Every
 * reference and field applies the policy with mentorship's own projections, batched.
 */

/** FORBIDDEN unless the caller may reference this staff member from mentorship. */
async function requireStaffReference(ctx: MentorshipContext, staffId: string): Promise<void> {
  const staff = await ctx.loaders.knownStaff.load(staffId);
  // A student may reference their own mentors, wherever those work.
  const [partners, own] = await Promise.all([
    staff ? ctx.loaders.partnerSchools.load(staff.institutionId) : Promise.resolve([]),
    hasRole(ctx.actor, 'STUDENT') ? ctx.loaders.mentorshipsByStudent.load(ctx.actor.personId) : Promise.resolve([]),
  ]);
  const actorMentorIds = own.filter(isOpen).map((m) => m.mentorId);
  ensure(canReferenceStaff(ctx.actor, staff, partners, actorMentorIds), 'You may not see this staff member');
}

export const federatedResolvers = {
  Mutation: {
    setMenteePreferences: guarded(
      {
        roles: ['STUDENT', 'COORDINATOR', 'INSTITUTION_ADMIN'],
        action: "set students' mentee preferences",
        input: setMenteePreferencesSchema,
      },
      async (data, ctx: MentorshipContext) => {
        const { student } = await studentAccessFacts(ctx, data.studentId);
        ensure(
          canManageStudentPreferences(ctx.actor, student),
          "Only the student and their school's admins and coordinators may set these preferences",
        );
        // Whose school: mentorship's view of the student, or the student's own token before that view arrives.
        const schoolId = student.schoolId ?? (ctx.actor.personId === data.studentId ? ctx.actor.institutionId : null);
        return ctx.command(async (em) => {
          const { preferences, changed } = await setMenteePreferences(em, data);
          if (schoolId && changed.length)
            ctx.audit.change('MenteePreferences', data.studentId, {
              studentId: data.studentId,
              schoolId,
              change: 'setMenteePreferences',
              fields: changed,
            });
          return preferences;
        });
      },
    ),
  },
  Student: {
    __resolveReference: async (r: IdArgs, ctx: MentorshipContext) => {
      await requireStudentRecords(ctx, r.id);
      return { id: r.id };
    },
    /** Filtered with the student as a known mentee: a mentor who is not school staff sees only their own. */
    mentorships: async (s: IdArgs, _: unknown, ctx: MentorshipContext) => {
      const { mentorships } = await requireStudentRecords(ctx, s.id);
      return mentorships.filter((m) => canReadMentorship(ctx.actor, { mentorId: m.mentorId, schoolId: m.schoolId, menteeIds: [s.id] }));
    },
    developmentGoals: async (s: IdArgs, { status }: { status?: GoalStatus | null }, ctx: MentorshipContext) => {
      await requireStudentRecords(ctx, s.id);
      const goals = await ctx.loaders.goalsByStudent.load(s.id);
      return status ? goals.filter((g) => g.status === status) : goals;
    },
    menteePreferences: async (s: IdArgs, _: unknown, ctx: MentorshipContext) => {
      await requireStudentRecords(ctx, s.id);
      return ctx.loaders.preferences.load(s.id);
    },
  },
  StaffMember: {
    __resolveReference: async (r: IdArgs, ctx: MentorshipContext) => {
      await requireStaffReference(ctx, r.id);
      return { id: r.id };
    },
    /** Null when there is none or the caller may not see it. */
    mentorProfile: async (m: IdArgs, _: unknown, ctx: MentorshipContext) => {
      const profile = await ctx.loaders.profileByStaff.load(m.id);
      return profile && (await mayReadProfile(ctx, profile)) ? profile : null;
    },
    mentorships: async (m: IdArgs, { status }: { status?: MentorshipStatus | null }, ctx: MentorshipContext) => {
      const all = (await ctx.loaders.mentorshipsByMentor.load(m.id)).filter((x) => !status || x.status === status);
      const refs = await Promise.all(all.map((x) => mentorshipRef(ctx, x)));
      return all.filter((_, i) => canReadMentorship(ctx.actor, refs[i]!));
    },
  },
};
