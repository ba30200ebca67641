import { instantAtLocal } from './local-time';
import { nextAllowed, type SendingWindow } from './quiet-hours';

/** The local hour a placement-starting reminder goes out on the day before (and never in quiet hours). */
export const PLACEMENT_REMINDER_HOUR = 9;

const isWeekend = (weekday: number) => weekday === 0 || weekday === 6;

/**
 * When a person is told their placement starts: 09:00 local on the day before `startsOn`
 * (YYYY-MM-DD), or on the last weekday before it when that day is a weekend the policy skips (a
 * Monday start is announced on Friday). Null when even a late reminder would come after the
 * start: a placement confirmed that late needs no reminder. Otherwise never earlier than `from`
 * (moved to the next allowed time): a placement confirmed the afternoon before is still announced;
 * one confirmed so late that quiet hours would push the reminder into the start day gets none.
 */
export function placementReminderAt(startsOn: string, w: SendingWindow, from: Date): Date | null {
  const [y, m, d] = startsOn.split('-').map(Number) as [number, number, number];
  const hour = Math.max(PLACEMENT_REMINDER_HOUR, w.quietUntilHour);
  const startOfStart = instantAtLocal(w.timeZone, y, m, d, 0);
  let day = new Date(Date.UTC(y, m - 1, d - 1));
  for (let guard = 0; guard < 3 && w.skipWeekends && isWeekend(day.getUTCDay()); guard++) day = new Date(day.getTime() - 86_400_000);
  let at = instantAtLocal(w.timeZone, day.getUTCFullYear(), day.getUTCMonth() + 1, day.getUTCDate(), hour);
  if (at.getTime() < from.getTime()) at = from;
  at = nextAllowed(at, w);
  return at.getTime() < startOfStart.getTime() ? at : null;
}
