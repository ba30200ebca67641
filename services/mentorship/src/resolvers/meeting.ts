import { ensure, NotFoundError, ref, type IdArgs, guarded } from '@medcollab/kit';
import { type MentorshipContext } from '../context';
import { logMeeting } from '../data/mentorships';
import { canLogMeeting, canReadMentorship, canReadMeetingNotes } from '../domain/access-policy';
import { logMeetingSchema } from '../domain/validation';
import { type MentorMeeting } from '../entities';
import { recordMentorshipChange, recordNotesRead } from '../audited';
import { mentorshipRef } from './common';

/** The access facts of a meeting's mentorship (both loads batched and cached per request). */
async function meetingRef(ctx: MentorshipContext, meeting: MentorMeeting) {
  const m = await ctx.loaders.mentorship.load(meeting.mentorshipId);
  if (!m) throw new NotFoundError('Mentorship', meeting.mentorshipId);
  return { mentorship: m, access: await mentorshipRef(ctx, m) };
}

export const meetingResolvers = {
  Mutation: {
    logMeeting: guarded({ input: logMeetingSchema }, async (data, ctx: MentorshipContext) => {
      const m = await ctx.loaders.mentorship.load(data.mentorshipId);
      if (!m) throw new NotFoundError('Mentorship', data.mentorshipId);
      ensure(
        canLogMeeting(ctx.actor, await mentorshipRef(ctx, m)),
        'Only the mentor and the mentees of this mentorship may log its meetings',
      );
      return ctx.command(async (em) => {
        const meeting = await logMeeting(em, data, ctx.actor.personId, ctx.eventMeta);
        await recordMentorshipChange(ctx, em, { type: 'MentorMeeting', id: meeting.id }, m, 'logMeeting', {
          fields: meeting.notes === null ? ['date'] : ['date', 'notes'],
        });
        return meeting;
      });
    }),
  },
  MentorMeeting: {
    __resolveReference: async (r: IdArgs, ctx: MentorshipContext) => {
      const meeting = await ctx.loaders.meeting.load(r.id);
      if (!meeting) return null;
      ensure(canReadMentorship(ctx.actor, (await meetingRef(ctx, meeting)).access), 'You may not see this meeting');
      return meeting;
    },
    mentorship: async (meeting: MentorMeeting, _: unknown, ctx: MentorshipContext) => (await meetingRef(ctx, meeting)).mentorship,
    date: (meeting: MentorMeeting) => meeting.metOn,
    mentorAttended: async (meeting: MentorMeeting, _: unknown, ctx: MentorshipContext) =>
      meeting.attendeeIds.includes((await meetingRef(ctx, meeting)).mentorship.mentorId),
    attendingMentees: async (meeting: MentorMeeting, _: unknown, ctx: MentorshipContext) => {
      const { mentorship } = await meetingRef(ctx, meeting);
      return meeting.attendeeIds.filter((id) => id !== mentorship.mentorId).map(ref);
    },
    /** Private to the mentorship's members: null for everyone else, never an error (see SDL). */
    notes: async (meeting: MentorMeeting, _: unknown, ctx: MentorshipContext) => {
      if (!canReadMeetingNotes(ctx.actor, (await meetingRef(ctx, meeting)).access)) return null;
      // Audited here, not by the kit's wrapper: only a caller shown the notes has read them.
      await recordNotesRead(ctx, meeting);
      return meeting.notes;
    },
  },
};
