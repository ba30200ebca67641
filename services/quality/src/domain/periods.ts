/**
 * The fixed periods figures are kept for: a rotation block, a term (half an academic year) and
 * an academic year. Fixed periods, never arbitrary date ranges, so figures cannot be
 * differenced across overlapping windows (docs/architecture.md §4).
 */
export const PERIOD_KINDS = ['BLOCK', 'TERM', 'YEAR'] as const;
export type PeriodKind = (typeof PERIOD_KINDS)[number];

export interface PeriodRef {
  kind: PeriodKind;
  id: string;
}

/** The academic year a date (YYYY-MM-DD) falls in, e.g. 2026-2027 when years start in September. */
export function academicYearOf(date: string, startMonth: number): string {
  const year = Number(date.slice(0, 4));
  const month = Number(date.slice(5, 7));
  const first = month >= startMonth ? year : year - 1;
  return `${first}-${first + 1}`;
}

/** The term of a date: T1 is the first six months of its academic year, T2 the rest. */
export function termOf(date: string, startMonth: number): string {
  const month = Number(date.slice(5, 7));
  const monthsIn = (month - startMonth + 12) % 12;
  return `${academicYearOf(date, startMonth)}/${monthsIn < 6 ? 'T1' : 'T2'}`;
}

/** Every period a fact dated `date` (in block `blockId`, if any) counts in. */
export function periodsOf(date: string, blockId: string | null, startMonth: number): PeriodRef[] {
  const periods: PeriodRef[] = [
    { kind: 'TERM', id: termOf(date, startMonth) },
    { kind: 'YEAR', id: academicYearOf(date, startMonth) },
  ];
  return blockId ? [{ kind: 'BLOCK', id: blockId }, ...periods] : periods;
}

const YEAR = /^(\d{4})-(\d{4})$/;

/** A well-formed period id of its kind (blocks are ids, terms `2026-2027/T1`, years `2026-2027`). */
export function isPeriodId(kind: PeriodKind, id: string): boolean {
  if (kind === 'BLOCK') return /^[0-9a-f-]{36}$/i.test(id);
  const [year, term] = kind === 'TERM' ? id.split('/') : [id, undefined];
  const m = YEAR.exec(year ?? '');
  if (!m || Number(m[2]) !== Number(m[1]) + 1) return false;
  return kind === 'YEAR' || term === 'T1' || term === 'T2';
}

/** The terms of a year, in order (trends of a year by term). */
export const termsOfYear = (year: string): string[] => [`${year}/T1`, `${year}/T2`];
