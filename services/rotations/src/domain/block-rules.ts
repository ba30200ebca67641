import { rangesOverlap, type DateRange } from '@medcollab/kit';
import { refusal } from './refusals';

export interface BlockTerms extends DateRange {
  id: string;
  name: string;
}

/**
 * One school's calendar has no overlapping blocks (both days included), whatever their
 * academic year: a student can only be in one place on a day. Names the first clash.
 */
export function assertNoBlockOverlap(candidate: DateRange, existing: readonly BlockTerms[]): void {
  const clash = existing.filter((b) => rangesOverlap(candidate, b)).sort((a, b) => a.startsOn.localeCompare(b.startsOn))[0];
  if (clash) {
    throw refusal('BLOCK_OVERLAP', `The block overlaps "${clash.name}" (${clash.startsOn} to ${clash.endsOn})`, {
      overlappingBlockId: clash.id,
      overlappingBlockName: clash.name,
    });
  }
}

/** "2026-2027": the academic year's two calendar years, the second the next. */
export const ACADEMIC_YEAR = /^(\d{4})-(\d{4})$/;

export function isAcademicYear(value: string): boolean {
  const match = ACADEMIC_YEAR.exec(value);
  return Boolean(match && Number(match[2]) === Number(match[1]) + 1);
}
