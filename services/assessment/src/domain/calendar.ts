/**
 * Calendar arithmetic the rules need, in UTC: ISO weeks (the burden cap counts tasks per ISO
 * week) and academic years (the decline limit and the quality reports are per academic year).
 */

/** ISO 8601 week of an instant, e.g. "2026-W48" (weeks start on Monday; week 1 holds the year's first Thursday). */
export function isoWeek(at: Date): string {
  const day = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate()));
  const weekday = day.getUTCDay() || 7;
  // The Thursday of this week decides the ISO year.
  day.setUTCDate(day.getUTCDate() + 4 - weekday);
  const year = day.getUTCFullYear();
  const week = Math.ceil(((day.getTime() - Date.UTC(year, 0, 1)) / 86_400_000 + 1) / 7);
  return `${year}-W${String(week).padStart(2, '0')}`;
}

/**
 * The academic year an instant or date falls in, e.g. "2026-2027" for 2026-11-26 when years
 * start in September (`startMonth` 9). Dates are YYYY-MM-DD or Date.
 */
export function academicYear(at: Date | string, startMonth: number): string {
  const d = typeof at === 'string' ? new Date(`${at.slice(0, 10)}T00:00:00Z`) : at;
  const year = d.getUTCFullYear();
  const first = d.getUTCMonth() + 1 >= startMonth ? year : year - 1;
  return `${first}-${first + 1}`;
}

/** The first instant of an academic year and of the next one: [from, to). */
export function academicYearBounds(label: string, startMonth: number): { from: Date; to: Date } {
  const first = Number(label.slice(0, 4));
  return { from: new Date(Date.UTC(first, startMonth - 1, 1)), to: new Date(Date.UTC(first + 1, startMonth - 1, 1)) };
}

export const ACADEMIC_YEAR_PATTERN = /^(\d{4})-(\d{4})$/;

export function isAcademicYear(label: string): boolean {
  const m = ACADEMIC_YEAR_PATTERN.exec(label);
  return m !== null && Number(m[2]) === Number(m[1]) + 1;
}

export const addDays = (at: Date, days: number): Date => new Date(at.getTime() + days * 86_400_000);
