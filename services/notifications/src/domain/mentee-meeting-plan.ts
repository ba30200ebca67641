import { instantAtLocal, localDay } from './local-time';
import { type Recipient } from './plan';
import { type ReminderPolicy } from './policy';
import { nextAllowed } from './quiet-hours';

/** The rung that reminds the mentor, and the one that tells the school's coordinators later. */
export const MENTEE_STEP_KEY = 'MENTEE_WITHOUT_MEETING';
export const MENTEE_ESCALATION_KEY = 'MENTEE_MEETING_ESCALATION';

/** A meeting logged after its day counts from this local hour (a date has no time; the reminder then comes at a sensible hour). */
export const MEETING_DAY_HOUR = 9;

const WEEK_MS = 7 * 86_400_000;

/**
 * A week's length: 7 days, or 7 × `secondsPerDay` seconds under the demo switch
 * (REMINDERS_DEMO_SECONDS_PER_DAY, src/domain/demo-ladder.ts), so a newcomer sees the mentor
 * reminded a few minutes after a mentorship starts instead of weeks later.
 */
export const weekMs = (secondsPerDay: number | null = null): number => (secondsPerDay ? 7 * secondsPerDay * 1000 : WEEK_MS);

/** What notifications knows of one mentee of an ACTIVE mentorship. */
export interface MenteeMeetingState {
  /** Since when the mentee is in the mentorship while it is ACTIVE. */
  activeSince: Date;
  /** Their last meeting with the mentor (YYYY-MM-DD), if any. */
  lastMetOn: string | null;
  /** When that meeting counts from, when known (see meetingCountsFrom); else 09:00 of its day. */
  lastMetAt?: Date | null;
}

/**
 * When a meeting logged at `loggedAt` counts from: the moment it was logged when that is on the
 * meeting's own day in the school's zone (it took place by then, and a meeting logged in the
 * afternoon must not count from the morning); null otherwise (logged on a later day: 09:00 of its day).
 */
export function meetingCountsFrom(metOn: string, loggedAt: Date, schoolZone: string): Date | null {
  return localDay(loggedAt, schoolZone) === metOn ? loggedAt : null;
}

/**
 * Since when the mentee has gone without a meeting: the later of joining the ACTIVE mentorship
 * and the last meeting (when it was logged, if on its own day; else 09:00 of its day in the
 * school's zone). A meeting logged late for a day before the mentee joined (or before a pause
 * ended) does not move it back.
 */
export function withoutMeetingSince(s: MenteeMeetingState, schoolZone: string): Date {
  if (!s.lastMetOn) return s.activeSince;
  const [y, m, d] = s.lastMetOn.split('-').map(Number) as [number, number, number];
  const met = s.lastMetAt ?? instantAtLocal(schoolZone, y, m, d, MEETING_DAY_HOUR);
  return met.getTime() > s.activeSince.getTime() ? met : s.activeSince;
}

export interface MenteeStep {
  stepKey: typeof MENTEE_STEP_KEY | typeof MENTEE_ESCALATION_KEY;
  audience: 'MENTOR' | 'COORDINATORS';
  recipientId: string;
  /** Exactly `gap` (then `gap + escalation`) weeks after `withoutMeetingSince`: identifies this stretch without a meeting. */
  nominalAt: Date;
  /** Moved out of the recipient's quiet hours and weekends. */
  fireAt: Date;
}

/**
 * The plan of one mentee without a meeting: the mentor is reminded `menteeMeetingGapWeeks` after
 * the last meeting (or joining), the school's coordinators `menteeMeetingEscalationWeeks` later.
 * A new meeting gives a new `since`, hence new nominal times: the caller re-plans.
 */
export function planMenteeMeeting(
  s: MenteeMeetingState,
  policy: Pick<
    ReminderPolicy,
    'menteeMeetingGapWeeks' | 'menteeMeetingEscalationWeeks' | 'quietFromHour' | 'quietUntilHour' | 'skipWeekends'
  >,
  mentor: Recipient,
  coordinators: Recipient[],
  schoolZone: string,
  demoSecondsPerDay: number | null = null,
): MenteeStep[] {
  const since = withoutMeetingSince(s, schoolZone).getTime();
  const week = weekMs(demoSecondsPerDay);
  // In demo time quiet hours and weekends are off, as for the other ladders (equal bounds: no quiet window).
  const rules = demoSecondsPerDay ? { ...policy, quietFromHour: 0, quietUntilHour: 0, skipWeekends: false } : policy;
  const window = (r: Recipient) => ({ timeZone: r.timeZone, ...rules });
  const reminderAt = new Date(since + policy.menteeMeetingGapWeeks * week);
  const escalationAt = new Date(since + (policy.menteeMeetingGapWeeks + policy.menteeMeetingEscalationWeeks) * week);
  return [
    {
      stepKey: MENTEE_STEP_KEY,
      audience: 'MENTOR',
      recipientId: mentor.personId,
      nominalAt: reminderAt,
      fireAt: nextAllowed(reminderAt, window(mentor)),
    },
    ...coordinators.map((c): MenteeStep => ({
      stepKey: MENTEE_ESCALATION_KEY,
      audience: 'COORDINATORS',
      recipientId: c.personId,
      nominalAt: escalationAt,
      fireAt: nextAllowed(escalationAt, window(c)),
    })),
  ];
}

/** Whole weeks between two instants (what a message says: "for 6 weeks"); demo weeks under the demo switch. */
export const weeksBetween = (from: Date, to: Date, demoSecondsPerDay: number | null = null): number =>
  Math.max(0, Math.floor((to.getTime() - from.getTime()) / weekMs(demoSecondsPerDay)));
