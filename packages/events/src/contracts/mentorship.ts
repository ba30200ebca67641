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

/**
 * A mentor is to be told something about one of their mentees (one event per mentor). Mentorship
 * decides who is told and why; notifications is the one inbox that tells them (inbox, email per
 * their preferences, the school's webhooks) and names every person, hospital and department from
 * its own projections. `noticeKey` identifies what the notice is about (a placement, a
 * submission): notifications tells each mentor once per key, whatever the redeliveries or
 * amendments. Aggregate: the notice (a fresh id per event).
 */
export const MentorNoticeRaised = defineEvent(
  'MentorNoticeRaised',
  1,
  'MentorNotice',
  z.object({
    noticeId: z.uuid(),
    /** PLACEMENT_STARTED: a mentee's placement started. SUMMATIVE_BELOW_EXPECTED: a summative assessment came back below the expected level. */
    kind: z.enum(['PLACEMENT_STARTED', 'SUMMATIVE_BELOW_EXPECTED']),
    /** `placement:<id>` or `submission:<id>`: the mentor is told once per key. */
    noticeKey: z.string().min(1).max(200),
    mentorId: z.uuid(),
    mentorshipId: z.uuid(),
    studentId: z.uuid(),
    /** The mentee's school (its webhooks hear of the notice). */
    schoolId: z.uuid().nullable(),
    /** The placement (PLACEMENT_STARTED; the task's placement, if any, for an assessment). */
    placementId: z.uuid().nullable(),
    hospitalId: z.uuid().nullable(),
    departmentId: z.uuid().nullable(),
    startsOn: isoDate.nullable(),
    endsOn: isoDate.nullable(),
    /** SUMMATIVE_BELOW_EXPECTED: the submission, its version, its task and instrument kind, and the competencies below level. */
    submissionId: z.uuid().nullable(),
    submissionVersion: z.number().int().min(1).nullable(),
    taskId: z.uuid().nullable(),
    instrumentKind: z.string().nullable(),
    competencyIds: z.array(z.uuid()),
    raisedAt: instant,
  }),
);
