import { BadUserInputError, ConflictError } from '@medcollab/kit';
import { type MentorshipFocus, type MentorshipFormat, type MentorshipStatus, type TrackKind } from './model';

/**
 * Rules of a mentorship's shape and life. Pure: each throws the error a client should see
 * (BAD_USER_INPUT for input that can never work, CONFLICT for a state that forbids it now).
 */

export const MIN_GROUP_SIZE = 2;
export const MAX_GROUP_SIZE = 12;

export interface MentorshipShape {
  format: MentorshipFormat;
  groupSizeLimit: number | null;
}

/** The most mentees a mentorship of this shape may hold. */
export const sizeLimit = (m: MentorshipShape): number => (m.format === 'ONE_ON_ONE' ? 1 : (m.groupSizeLimit ?? MIN_GROUP_SIZE));

/** Checks the first mentees fit the shape (the input schema checks the limit's range). */
export function checkInitialMentees(shape: MentorshipShape, menteeCount: number): void {
  if (shape.format === 'ONE_ON_ONE' && menteeCount !== 1) {
    throw new BadUserInputError('A ONE_ON_ONE mentorship has exactly one mentee', { field: 'menteeIds' });
  }
  if (menteeCount > sizeLimit(shape)) {
    throw new BadUserInputError(`A group of at most ${sizeLimit(shape)} cannot start with ${menteeCount} mentees`, { field: 'menteeIds' });
  }
}

/** A mentee joins an ACTIVE small group that has room. */
export function checkCanAddMentee(m: MentorshipShape & { status: MentorshipStatus }, currentMentees: number): void {
  if (m.format === 'ONE_ON_ONE') throw new ConflictError('A ONE_ON_ONE mentorship cannot take another mentee; create a new mentorship');
  if (m.status !== 'ACTIVE') throw new ConflictError(`Mentees join only ACTIVE mentorships; this one is ${m.status}`);
  if (currentMentees >= sizeLimit(m)) throw new ConflictError(`The group is full (${sizeLimit(m)} mentees)`);
}

export type MentorshipTransition = 'PAUSE' | 'RESUME' | 'END';

const TRANSITIONS: Record<MentorshipTransition, { from: MentorshipStatus[]; to: MentorshipStatus }> = {
  PAUSE: { from: ['ACTIVE'], to: 'PAUSED' },
  RESUME: { from: ['PAUSED'], to: 'ACTIVE' },
  END: { from: ['ACTIVE', 'PAUSED'], to: 'ENDED' },
};

/** The status after `transition`, or CONFLICT when the current status does not allow it. */
export function nextStatus(current: MentorshipStatus, transition: MentorshipTransition): MentorshipStatus {
  const rule = TRANSITIONS[transition];
  if (!rule.from.includes(current)) {
    throw new ConflictError(`A ${current} mentorship cannot be ${rule.to === 'ACTIVE' ? 'resumed' : rule.to.toLowerCase()}`, {
      status: current,
    });
  }
  return rule.to;
}

/** Attendees must be the mentor or mentees of this mentorship. */
export function checkAttendees(attendeeIds: readonly string[], mentorId: string, menteeIds: readonly string[]): void {
  const members = new Set([mentorId, ...menteeIds]);
  const strangers = attendeeIds.filter((id) => !members.has(id));
  if (strangers.length) {
    throw new BadUserInputError('Attendees must be the mentor or mentees of this mentorship', { field: 'attendeeIds', strangers });
  }
}

/** The focus a matching run gives a student's mentorship, from their track. */
export function focusForTrack(track: TrackKind | null): MentorshipFocus {
  if (track === 'RESEARCH') return 'RESEARCH';
  if (track === 'CLINICAL_PRACTICE') return 'CLINICAL_PRACTICE';
  return 'CAREER';
}

const addDays = (iso: string, days: number): string =>
  new Date(Date.parse(`${iso}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

/**
 * A meeting is logged after it happened, within the mentorship's life. Dates are calendar
 * days of the people who met, so one day of slack each way covers every time zone.
 */
export function checkMeetingDate(date: string, mentorshipCreatedOn: string, todayUtc: string): void {
  if (date > addDays(todayUtc, 1)) throw new BadUserInputError('A meeting cannot be logged before it takes place', { field: 'date' });
  if (date < addDays(mentorshipCreatedOn, -1)) {
    throw new BadUserInputError(`The mentorship began on ${mentorshipCreatedOn}; the meeting cannot be earlier`, { field: 'date' });
  }
}
