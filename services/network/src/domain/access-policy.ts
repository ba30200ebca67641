import {
  type Actor,
  ForbiddenError,
  hasRole,
  isNetworkAdmin,
  isStaffOf,
  canManageInstitution,
  type Role,
  STAFF_ROLES,
} from '@medcollab/kit';
import { type InstitutionKind } from './model';

/**
 * Who may read and change what in the network (docs/architecture.md §4). Pure decisions on the
 * actor and the ids of the records involved; resolvers load the records and ask here.
 */

export interface StudentRef {
  id: string;
  schoolId: string;
}
export interface StaffRef {
  id: string;
  institutionId: string;
}
export interface AgreementParties {
  schoolId: string;
  hospitalId: string;
}

const isSelf = (actor: Actor, personId: string): boolean => actor.personId === personId;

/** A live placement grant as network stores it (from the rotations service's Placement* events). */
export interface HospitalGrant {
  hospitalId: string;
  departmentId: string | null;
  supervisorId: string | null;
}

/** Hospital staff who read every student placed at their hospital (they run the hospital's side of placements). */
const HOSPITAL_WIDE_ROLES: readonly Role[] = ['COORDINATOR', 'INSTITUTION_ADMIN', 'INTEGRATION'];

/**
 * Hospital staff may see a student while the student has a confirmed, running or recently
 * completed placement at their hospital (table hospital_access_grant, from the rotations
 * service's placement events), on least privilege: the hospital's coordinators, admins and
 * system account for any placement there; a clinical instructor or teacher only for a
 * placement in their own department (`actorDepartmentId`, from their staff record) or one they
 * supervise; other hospital roles not at all. The caller loads the grants, batched per request.
 */
export function hospitalPlacementGrantAllowsStudent(
  actor: Actor,
  grants: readonly HospitalGrant[],
  actorDepartmentId: string | null = null,
): boolean {
  // Stryker disable next-line ConditionalExpression: a shortcut, not the rule: an actor of no institution matches no grant and the role checks below refuse every non-staff actor.
  if (!mayHoldPlacementGrant(actor)) return false;
  const here = grants.filter((g) => g.hospitalId === actor.institutionId);
  if (here.length === 0) return false;
  if (hasRole(actor, ...HOSPITAL_WIDE_ROLES)) return true;
  if (!hasRole(actor, 'CLINICAL_INSTRUCTOR', 'TEACHER')) return false;
  return here.some((g) => g.supervisorId === actor.personId || (actorDepartmentId !== null && g.departmentId === actorDepartmentId));
}

/** True when the actor's department matters for the decision (worth loading their staff record). */
export const departmentDecides = (actor: Actor): boolean =>
  !hasRole(actor, ...HOSPITAL_WIDE_ROLES) && hasRole(actor, 'CLINICAL_INSTRUCTOR', 'TEACHER');

/** Only an institution's staff can hold a placement or mentor grant: worth loading grants for them alone. */
export function mayHoldPlacementGrant(actor: Actor): boolean {
  return actor.institutionId !== null && hasRole(actor, ...STAFF_ROLES);
}

/**
 * Mentors see their mentees (at the student's school, or at a partner hospital) while the
 * mentorship has not ended. The grants come from the mentorship service's MentorshipChanged
 * events (table mentor_access_grant); the caller loads, batched per request, the mentors that
 * hold a live grant for the student and passes them here. Only staff hold one.
 */
export function mentorGrantAllowsStudent(actor: Actor, grantedMentorIds: readonly string[]): boolean {
  return mayHoldPlacementGrant(actor) && grantedMentorIds.includes(actor.personId);
}

/**
 * Network admins; the student themself; their school's staff; a hospital's staff as a live
 * placement grant allows (`hospitalGrants`, see hospitalPlacementGrantAllowsStudent); their
 * mentor (`grantedMentorIds`: mentors holding a live mentor grant for this student). Leave the
 * grants out when the other rules already decide.
 */
export function canReadStudent(
  actor: Actor,
  student: StudentRef,
  // Stryker disable next-line ArrayDeclaration: a default list holding a non-grant matches no hospital, just as the empty one.
  hospitalGrants: readonly HospitalGrant[] = [],
  // Stryker disable next-line ArrayDeclaration: a default list holding a made-up id names no real person's mentor grant, just as the empty one.
  grantedMentorIds: readonly string[] = [],
  actorDepartmentId: string | null = null,
): boolean {
  return (
    isNetworkAdmin(actor) ||
    isSelf(actor, student.id) ||
    isStaffOf(actor, student.schoolId) ||
    hospitalPlacementGrantAllowsStudent(actor, hospitalGrants, actorDepartmentId) ||
    mentorGrantAllowsStudent(actor, grantedMentorIds)
  );
}

/**
 * Network admins, the person themself, and anyone of the same institution: staff see their
 * colleagues, students see their own school's teachers and mentors (a staff directory).
 */
export function canReadStaffMember(actor: Actor, staff: StaffRef): boolean {
  // A staff record always has an institution, so an actor of none is never of the same institution.
  return isNetworkAdmin(actor) || isSelf(actor, staff.id) || actor.institutionId === staff.institutionId;
}

/** Staff of either party, and network admins. */
export function canReadAgreement(actor: Actor, agreement: AgreementParties): boolean {
  return isStaffOf(actor, agreement.schoolId) || isStaffOf(actor, agreement.hospitalId);
}

/** Admins and coordinators of either party may propose, activate and end; network admins too. */
export function canManageAgreement(actor: Actor, agreement: AgreementParties): boolean {
  if (isNetworkAdmin(actor)) return true;
  const isParty = actor.institutionId === agreement.schoolId || actor.institutionId === agreement.hospitalId;
  return isParty && hasRole(actor, 'INSTITUTION_ADMIN', 'COORDINATOR');
}

/** New institutions join the network only through a network admin. */
export function canCreateInstitution(actor: Actor): boolean {
  return isNetworkAdmin(actor);
}

/** An institution's admins manage its departments and register its people. */
export function canManageInstitutionRecords(actor: Actor, institutionId: string): boolean {
  return canManageInstitution(actor, institutionId);
}

/** Only a network admin may make someone a network admin. */
export function canGrantRoles(actor: Actor, roles: readonly Role[]): boolean {
  return !roles.includes('NETWORK_ADMIN') || isNetworkAdmin(actor);
}

/** What a list query may return, before the caller's own filters narrow it further. */
export type ListScope =
  { kind: 'all' } | { kind: 'institution'; institutionId: string } | { kind: 'self'; personId: string } | { kind: 'nothing' };

const forbidOtherInstitution = (actor: Actor, requested: string | null | undefined): void => {
  if (requested && requested !== actor.institutionId) {
    throw new ForbiddenError('You may not list the records of another institution');
  }
};

const isStaff = (actor: Actor): boolean => actor.institutionId !== null && hasRole(actor, ...STAFF_ROLES);

/**
 * Students a caller may list: everything for network admins, their institution's students
 * for its staff, themself for a student. Naming another institution is FORBIDDEN.
 */
export function studentListScope(actor: Actor, requestedInstitutionId?: string | null): ListScope {
  if (isNetworkAdmin(actor)) return { kind: 'all' };
  forbidOtherInstitution(actor, requestedInstitutionId);
  if (isStaff(actor)) return { kind: 'institution', institutionId: actor.institutionId as string };
  if (hasRole(actor, 'STUDENT')) return { kind: 'self', personId: actor.personId };
  return { kind: 'nothing' };
}

/** Staff a caller may list: everything for network admins, their own institution's staff otherwise. */
export function staffListScope(actor: Actor, requestedInstitutionId?: string | null): ListScope {
  if (isNetworkAdmin(actor)) return { kind: 'all' };
  forbidOtherInstitution(actor, requestedInstitutionId);
  if (actor.institutionId !== null) return { kind: 'institution', institutionId: actor.institutionId };
  return { kind: 'nothing' };
}

/** Agreements a caller may list: all, or those where the caller's institution is a party. */
export type AgreementScope = { kind: 'all' } | { kind: 'party'; institutionId: string } | { kind: 'nothing' };

/**
 * Staff see their institution's agreements. A school filtering by another school (or a
 * hospital by another hospital) asks for agreements it is no party to: FORBIDDEN. Filtering
 * by a partner of the other kind just narrows the list.
 */
export function agreementListScope(
  actor: Actor,
  actorInstitution: { id: string; kind: InstitutionKind } | null,
  filter: { schoolId?: string | null; hospitalId?: string | null },
): AgreementScope {
  if (isNetworkAdmin(actor)) return { kind: 'all' };
  if (!actorInstitution || !isStaff(actor)) return { kind: 'nothing' };
  const ownSide = actorInstitution.kind === 'SCHOOL' ? filter.schoolId : filter.hospitalId;
  if (ownSide && ownSide !== actorInstitution.id) {
    throw new ForbiddenError('You may only list agreements your institution is party to');
  }
  return { kind: 'party', institutionId: actorInstitution.id };
}
