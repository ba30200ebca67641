import { z } from 'zod';
import { defineEvent } from '../contract';
import { isoDate, instant } from './scalars';

/**
 * A mentorship's mentees or status changed (created, mentee added, matching run accepted,
 * paused, resumed, ended). The payload is the mentorship's whole current state, so consumers
 * simply replace what they hold for `mentorshipId` with it: a redelivery changes nothing.
 * The network derives mentors' read access to their mentees from it (docs/architecture.md §4).
 */
export const MentorshipChanged = defineEvent(
  'MentorshipChanged',
  1,
  'Mentorship',
  z.object({
    mentorshipId: z.uuid(),
    mentorId: z.uuid(),
    /**
     * The school of the mentees (quality counts a school's mentees, met or not). Optional: events
     * written before it was added lack it.
     */
    schoolId: z.uuid().optional(),
    /** The current mentees, in the order they joined. */
    menteeIds: z.array(z.uuid()),
    status: z.enum(['ACTIVE', 'PAUSED', 'ENDED']),
  }),
);

/**
 * A meeting of a mentorship was logged. Notes never travel: they are private to the
 * mentorship's members. Consumers count meetings (quality: meetings per mentee per term) and
 * know when each mentee last met their mentor (notifications: a mentee without a meeting for
 * N weeks). Aggregate: the meeting; a redelivery changes nothing.
 */
export const MentorshipMeetingLogged = defineEvent(
  'MentorshipMeetingLogged',
  1,
  'MentorMeeting',
  z.object({
    meetingId: z.uuid(),
    mentorshipId: z.uuid(),
    mentorId: z.uuid(),
    /** The school of the mentorship's mentees. */
    schoolId: z.uuid(),
    metOn: isoDate,
    mentorAttended: z.boolean(),
    /** The mentees who attended; the other mentees of the mentorship did not. */
    attendingMenteeIds: z.array(z.uuid()),
  }),
);

/**
 * A development goal was set, proposed, accepted, edited or changed status. The payload is the
 * goal's whole current state (no title or description: those are the student's), so consumers
 * replace what they hold for `goalId`; the latest `updatedAt` wins when events arrive out of order.
 */
export const DevelopmentGoalChanged = defineEvent(
  'DevelopmentGoalChanged',
  1,
  'DevelopmentGoal',
  z.object({
    goalId: z.uuid(),
    studentId: z.uuid(),
    /** The student's school, as mentorship knows it (null if the student is not yet known there). */
    schoolId: z.uuid().nullable(),
    status: z.enum(['OPEN', 'IN_PROGRESS', 'ACHIEVED', 'DROPPED']),
    /** A mentor's proposal the student has not accepted yet. */
    pendingAcceptance: z.boolean(),
    proposedByMentor: z.boolean(),
    competencyId: z.uuid().nullable(),
    setOn: isoDate,
    updatedAt: instant,
  }),
);
