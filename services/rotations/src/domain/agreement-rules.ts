import { rangesOverlap, rangeWithin, type DateRange } from '@medcollab/kit';
import { refusal } from './refusals';

/** An agreement as rotations knows it from the network's events. */
export interface KnownAgreementTerms extends DateRange {
  id: string;
  schoolId: string;
  hospitalId: string;
  status: 'ACTIVE' | 'ENDED';
  departmentIds: readonly string[];
}

export interface Hosting extends DateRange {
  schoolId: string;
  departmentId: string;
}

/**
 * The ACTIVE agreement that lets `hosting.schoolId`'s students into the department for every
 * day of the range. Refused NO_AGREEMENT when none covers the department at all, and
 * AGREEMENT_DOES_NOT_COVER_DATES when one does but not on all of the days.
 */
export function coveringAgreement(agreements: readonly KnownAgreementTerms[], hosting: Hosting): KnownAgreementTerms {
  const forDepartment = agreements.filter(
    (a) => a.status === 'ACTIVE' && a.schoolId === hosting.schoolId && a.departmentIds.includes(hosting.departmentId),
  );
  const covering = forDepartment.find((a) => rangeWithin(hosting, a));
  if (covering) return covering;
  if (!forDepartment.length) {
    throw refusal('NO_AGREEMENT', 'No active agreement lets this school place students in this department', {
      schoolId: hosting.schoolId,
      departmentId: hosting.departmentId,
    });
  }
  const partial = forDepartment.filter((a) => rangesOverlap(hosting, a));
  throw refusal(
    'AGREEMENT_DOES_NOT_COVER_DATES',
    `The active agreement(s) for this department do not cover ${hosting.startsOn} to ${hosting.endsOn}`,
    {
      agreementIds: (partial.length ? partial : forDepartment).map((a) => a.id),
      agreementRanges: forDepartment.map((a) => ({ startsOn: a.startsOn, endsOn: a.endsOn })),
    },
  );
}
