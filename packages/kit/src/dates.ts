import { z } from 'zod';

/**
 * Calendar dates travel as `YYYY-MM-DD` strings inside the service: they compare correctly
 * as strings and never shift with the server's time zone.
 */
export type IsoDate = string;

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;

/** True for a real calendar day written YYYY-MM-DD (2025-02-30 is refused). */
export function isIsoDate(value: string): boolean {
  const match = ISO_DATE.exec(value);
  if (!match) return false;
  const [, y, m, d] = match.map(Number) as [number, number, number, number];
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

/** The UTC calendar day of an instant; the Date scalar parses `YYYY-MM-DD` to UTC midnight. */
export const toIsoDate = (date: Date): IsoDate => date.toISOString().slice(0, 10);

/** `date` moved by `days` calendar days. */
export const addDays = (date: IsoDate, days: number): IsoDate => toIsoDate(new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS));

/** An instant moved by `days` days. */
export const addDaysToInstant = (at: Date, days: number): Date => new Date(at.getTime() + days * DAY_MS);

export const earlier = (a: IsoDate, b: IsoDate): IsoDate => (a <= b ? a : b);

/** The calendar day it is in `timeZone` at `now` (an agreement ends on the hospital's "today"). */
export function todayIn(timeZone: string, now: Date = new Date()): IsoDate {
  // en-CA formats as YYYY-MM-DD.
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}

/** A date argument as the GraphQL `Date` scalar hands it over (UTC midnight) or as a string (seed, tests). */
export const isoDateInput = z.union([z.date(), z.string()]).transform((value, ctx): IsoDate => {
  if (value instanceof Date) {
    if (!Number.isNaN(value.getTime())) return toIsoDate(value);
  } else if (isIsoDate(value)) {
    return value;
  }
  ctx.addIssue({ code: 'custom', message: 'must be a date written YYYY-MM-DD' });
  return z.NEVER;
});

/** An instant argument: the DateTime scalar gives a Date; seed and tests may pass ISO strings. */
export const instantInput = z.union([z.date(), z.iso.datetime({ offset: true })]).transform((value, ctx): Date => {
  const date = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(date.getTime())) {
    ctx.addIssue({ code: 'custom', message: 'must be an ISO 8601 instant' });
    return z.NEVER;
  }
  return date;
});

/** Both days included on both ranges. */
export interface DateRange {
  startsOn: IsoDate;
  endsOn: IsoDate;
}

export const rangesOverlap = (a: DateRange, b: DateRange): boolean => a.startsOn <= b.endsOn && b.startsOn <= a.endsOn;

/** `inner` lies entirely within `outer`. */
export const rangeWithin = (inner: DateRange, outer: DateRange): boolean =>
  outer.startsOn <= inner.startsOn && inner.endsOn <= outer.endsOn;
