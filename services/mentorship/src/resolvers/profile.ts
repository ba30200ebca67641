import { ensure, NotFoundError, parseInput, requireRole } from '@medcollab/kit';
import { type MentorshipContext } from '../context';
import { runCommand } from '../data/transaction';
import { upsertMentorProfile } from '../data/profiles';
import { canEditMentorProfile } from '../domain/access-policy';
import { upsertMentorProfileSchema } from '../domain/validation';
import { type MentorProfile } from '../entities';
import { type IdArgs, type InputArgs, mayReadProfile, ref } from './common';

async function readProfile(ctx: MentorshipContext, id: string): Promise<MentorProfile | null> {
  const profile = await ctx.loaders.profile.load(id);
  if (!profile) return null;
  ensure(await mayReadProfile(ctx, profile), 'You may not see this mentor profile');
  return profile;
}

export const profileResolvers = {
  Query: {
    mentorProfile: (_: unknown, { id }: IdArgs, ctx: MentorshipContext) => readProfile(ctx, id),
  },
  Mutation: {
    upsertMentorProfile: async (_: unknown, { input }: InputArgs, ctx: MentorshipContext) => {
      requireRole(ctx.actor, ['MENTOR', 'INSTITUTION_ADMIN', 'COORDINATOR'], 'edit mentor profiles');
      const data = parseInput(upsertMentorProfileSchema, input);
      const staff = await ctx.loaders.knownStaff.load(data.staffId);
      if (!staff) throw new NotFoundError('Staff member', data.staffId);
      ensure(
        canEditMentorProfile(ctx.actor, staff),
        "Only the mentor and their institution's admins and coordinators may edit this profile",
      );
      return runCommand(ctx.dataSource, (em) => upsertMentorProfile(em, staff, data));
    },
  },
  MentorProfile: {
    __resolveReference: (r: IdArgs, ctx: MentorshipContext) => readProfile(ctx, r.id),
    mentor: (p: MentorProfile) => ref(p.staffId),
    institution: (p: MentorProfile) => ref(p.institutionId),
    menteeCount: (p: MentorProfile, _: unknown, ctx: MentorshipContext) => ctx.loaders.menteeCount.load(p.staffId),
    capacityLeft: async (p: MentorProfile, _: unknown, ctx: MentorshipContext) =>
      Math.max(0, p.capacity - (await ctx.loaders.menteeCount.load(p.staffId))),
  },
};
