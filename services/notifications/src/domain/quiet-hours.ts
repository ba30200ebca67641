import { instantAtLocal, localParts } from './local-time';

/** When a recipient may be told something: not at night, and (by default) not at weekends. */
export interface SendingWindow {
  timeZone: string;
  /** Local hour quiet time starts (inclusive), e.g. 21. */
  quietFromHour: number;
  /** Local hour quiet time ends (exclusive), e.g. 7: the first allowed hour of a day. */
  quietUntilHour: number;
  skipWeekends: boolean;
}

const isWeekend = (weekday: number) => weekday === 0 || weekday === 6;

function inQuiet(hour: number, w: SendingWindow): boolean {
  return w.quietFromHour > w.quietUntilHour
    ? hour >= w.quietFromHour || hour < w.quietUntilHour
    : hour >= w.quietFromHour && hour < w.quietUntilHour;
}

/**
 * The first allowed instant at or after `at`: an instant in quiet hours or on a weekend moves to
 * the next allowed day's `quietUntilHour` local time.
 */
export function nextAllowed(at: Date, w: SendingWindow): Date {
  let candidate = at;
  for (let guard = 0; guard < 10; guard++) {
    const p = localParts(candidate, w.timeZone);
    const quiet = inQuiet(p.hour, w);
    const weekend = w.skipWeekends && isWeekend(p.weekday);
    if (!quiet && !weekend) return candidate;
    // Before the morning end of quiet time: today's morning; otherwise tomorrow's.
    const sameDay = quiet && p.hour < w.quietUntilHour && !weekend;
    const base = new Date(Date.UTC(p.year, p.month - 1, p.day + (sameDay ? 0 : 1)));
    candidate = instantAtLocal(w.timeZone, base.getUTCFullYear(), base.getUTCMonth() + 1, base.getUTCDate(), w.quietUntilHour);
  }
  return candidate;
}
