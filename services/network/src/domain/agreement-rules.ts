import { BadUserInputError, ConflictError, earlier, type IsoDate } from '@medcollab/kit';
import { type AgreementStatus, type InstitutionKind } from './model';

/**
 * Rules of school-hospital collaboration agreements. Date ranges are inclusive on both
 * ends: an agreement ending 2025-06-30 and another starting that day share a day.
 */

export interface DateRange {
  startsOn: IsoDate;
  endsOn: IsoDate;
}

export interface AgreementTerms extends DateRange {
  id: string;
  schoolId: string;
  hospitalId: string;
  departmentIds: readonly string[];
}

/** The only moves an agreement can make: PROPOSED -> ACTIVE -> ENDED. */
export type AgreementAction = 'activate' | 'end';

const TRANSITIONS: Record<AgreementAction, { from: AgreementStatus; to: AgreementStatus; verb: string }> = {
  activate: { from: 'PROPOSED', to: 'ACTIVE', verb: 'activated' },
  end: { from: 'ACTIVE', to: 'ENDED', verb: 'ended' },
};

/** The status after `action`, or CONFLICT when the agreement is not in the state it needs. */
export function nextStatus(current: AgreementStatus, action: AgreementAction): AgreementStatus {
  const step = TRANSITIONS[action];
  if (current !== step.from) {
    throw new ConflictError(`Only a ${step.from} agreement can be ${step.verb}; this one is ${current}`, { status: current });
  }
  return step.to;
}

export function rangesOverlap(a: DateRange, b: DateRange): boolean {
  return a.startsOn <= b.endsOn && b.startsOn <= a.endsOn;
}

/** The active agreements that would double-book a department with `candidate`. */
export function overlappingAgreements(candidate: AgreementTerms, active: readonly AgreementTerms[]): AgreementTerms[] {
  const departments = new Set(candidate.departmentIds);
  return active.filter(
    (other) =>
      other.id !== candidate.id &&
      other.schoolId === candidate.schoolId &&
      other.hospitalId === candidate.hospitalId &&
      rangesOverlap(candidate, other) &&
      other.departmentIds.some((d) => departments.has(d)),
  );
}

/** CONFLICT when another active agreement of the same pair covers a shared department on a shared day. */
export function assertNoOverlap(candidate: AgreementTerms, active: readonly AgreementTerms[]): void {
  const clashes = overlappingAgreements(candidate, active);
  if (clashes.length) {
    throw new ConflictError(
      'An active agreement between this school and hospital already covers one of these departments during these dates',
      { conflictingAgreementIds: clashes.map((c) => c.id) },
    );
  }
}

/** An agreement always joins one SCHOOL (first) and one HOSPITAL (second). */
export function assertAgreementParties(school: { kind: InstitutionKind }, hospital: { kind: InstitutionKind }): void {
  if (school.kind !== 'SCHOOL') throw new BadUserInputError('schoolId must name a SCHOOL', { field: 'schoolId' });
  if (hospital.kind !== 'HOSPITAL') throw new BadUserInputError('hospitalId must name a HOSPITAL', { field: 'hospitalId' });
}

/** Every listed department must exist and belong to the agreement's hospital. */
export function assertDepartmentsOfHospital(
  hospitalId: string,
  departmentIds: readonly string[],
  found: readonly { id: string; institutionId: string }[],
): void {
  const byId = new Map(found.map((d) => [d.id, d]));
  const foreign = departmentIds.filter((id) => byId.get(id)?.institutionId !== hospitalId);
  if (foreign.length) {
    throw new BadUserInputError("Every department must belong to the agreement's hospital", {
      field: 'departmentIds',
      invalidDepartmentIds: foreign,
    });
  }
}

/**
 * The day an agreement ends: the given day, or today (never later than its planned end).
 * An end after the planned `endsOn` is refused; an end before `startsOn` is allowed (an
 * agreement called off before it began).
 */
export function resolveEndDate(agreement: DateRange, endedOn: IsoDate | null, today: IsoDate): IsoDate {
  if (endedOn === null) return earlier(today, agreement.endsOn);
  if (endedOn > agreement.endsOn) {
    throw new BadUserInputError(`endedOn must be on or before the agreement's endsOn (${agreement.endsOn})`, { field: 'endedOn' });
  }
  return endedOn;
}
