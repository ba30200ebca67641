import { z } from 'zod';

/**
 * Calendar dates travel as `YYYY-MM-DD` strings inside the service: they compare correctly
 * as strings and never shift with the server's time zone (a JS Date at midnight would).
 */
export type IsoDate = string;

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True for a real calendar day written YYYY-MM-DD (2025-02-30 is refused). */
export function isIsoDate(value: string): boolean {
  const match = ISO_DATE.exec(value);
  if (!match) return false;
  const [, y, m, d] = match.map(Number) as [number, number, number, number];
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

/** The UTC calendar day of an instant; the Date scalar parses `YYYY-MM-DD` to UTC midnight. */
export function toIsoDate(date: Date): IsoDate {
  return date.toISOString().slice(0, 10);
}

/**
 * A date argument as the GraphQL `Date` scalar hands it over (a Date at UTC midnight) or as
 * a plain string (seed, tests); always comes out as `YYYY-MM-DD`.
 */
export const isoDateInput = z.union([z.date(), z.string()]).transform((value, ctx): IsoDate => {
  if (value instanceof Date) {
    if (!Number.isNaN(value.getTime())) return toIsoDate(value);
  } else if (isIsoDate(value)) {
    return value;
  }
  ctx.addIssue({ code: 'custom', message: 'must be a date written YYYY-MM-DD' });
  return z.NEVER;
});

export const earlier = (a: IsoDate, b: IsoDate): IsoDate => (a <= b ? a : b);

/** The calendar day it is in `timeZone` at `now` (an agreement ends on the hospital's "today"). */
export function todayIn(timeZone: string, now: Date = new Date()): IsoDate {
  // en-CA formats as YYYY-MM-DD.
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}
