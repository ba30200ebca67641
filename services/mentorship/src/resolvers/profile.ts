import { ensure, NotFoundError, ref, type IdArgs, guarded } from '@medcollab/kit';
import { type MentorshipContext } from '../context';
import { upsertMentorProfile } from '../data/profiles';
import { canEditMentorProfile } from '../domain/access-policy';
import { upsertMentorProfileSchema } from '../domain/validation';
import { type MentorProfile } from '../entities';
import { mayReadProfile } from './common';

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
    upsertMentorProfile: guarded(
      { roles: ['MENTOR', 'INSTITUTION_ADMIN', 'COORDINATOR'], action: 'edit mentor profiles', input: upsertMentorProfileSchema },
      async (data, ctx: MentorshipContext) => {
        const staff = await ctx.loaders.knownStaff.load(data.staffId);
        if (!staff) throw new NotFoundError('Staff member', data.staffId);
        ensure(
          canEditMentorProfile(ctx.actor, staff),
          "Only the mentor and their institution's admins and coordinators may edit this profile",
        );
        return ctx.command((em) => upsertMentorProfile(em, staff, data));
      },
    ),
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
