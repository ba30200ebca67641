import { type Actor, hasRole, isNetworkAdmin, type Role, STAFF_ROLES } from '@medcollab/kit';

/**
 * Who may read and change what in the curriculum (docs/architecture.md §4). Pure decisions on the
 * actor, the ids of the records involved and the projections the service keeps (partner
 * hospitals with an ACTIVE agreement, a student's school); resolvers load and ask here.
 */

/** The roles that author a school's curriculum and the shared reference data. */
export const CURRICULUM_AUTHORS: Role[] = ['INSTITUTION_ADMIN', 'TEACHER'];
/** The roles that manage a school's enrolments. */
export const ENROLMENT_MANAGERS: Role[] = ['INSTITUTION_ADMIN', 'COORDINATOR'];

/** Staff of some institution (a type guard: what passes has an institution). */
const isStaff = (actor: Actor): actor is Actor & { institutionId: string } =>
  actor.institutionId !== null && hasRole(actor, ...STAFF_ROLES);
const isStaffOfInstitution = (actor: Actor, institutionId: string): boolean => isStaff(actor) && actor.institutionId === institutionId;

/** Frameworks, competencies and post profiles are network-wide reference data: every signed-in caller reads them. */
export function canReadReferenceData(_actor: Actor): boolean {
  return true;
}

/**
 * Reference data is written by network admins (for the network, `ownerId` null, or for any
 * institution) and by an institution's admins and teachers for their own institution.
 */
export function canWriteReferenceData(actor: Actor, ownerId: string | null): boolean {
  if (isNetworkAdmin(actor)) return true;
  return ownerId !== null && actor.institutionId === ownerId && hasRole(actor, ...CURRICULUM_AUTHORS);
}

/**
 * A school's curriculum (programs, modules, sessions, objectives, tracks, maps, exports) is read
 * by network admins, the school's staff and students, and the staff of hospitals that hold an
 * ACTIVE agreement with the school (`activePartnerIds`: the school's partner hospitals).
 */
export function canReadCurriculum(actor: Actor, schoolId: string, activePartnerIds: ReadonlySet<string>): boolean {
  if (isNetworkAdmin(actor)) return true;
  if (actor.institutionId === schoolId) return isStaff(actor) || hasRole(actor, 'STUDENT');
  return isStaff(actor) && activePartnerIds.has(actor.institutionId);
}

/** Does deciding `canReadCurriculum` need the school's partner list? (Saves a query for everyone else.) */
export function needsPartnerCheck(actor: Actor, schoolId: string): boolean {
  return !isNetworkAdmin(actor) && actor.institutionId !== schoolId && isStaff(actor);
}

/** Only the school's admins and teachers change its curriculum (and network admins). */
export function canChangeCurriculum(actor: Actor, schoolId: string): boolean {
  return isNetworkAdmin(actor) || (actor.institutionId === schoolId && hasRole(actor, ...CURRICULUM_AUTHORS));
}

/** A student as the curriculum knows them (StudentRegistered projection). */
export interface KnownStudentRef {
  id: string;
  schoolId: string;
}

/**
 * A student's enrolments, track, results and recommendation follow the student access rules:
 * network admins, the student themself, their school's staff. `student` is null when the
 * StudentRegistered event has not arrived yet: then only the student and network admins pass.
 */
export function canReadStudentRecords(actor: Actor, studentId: string, student: KnownStudentRef | null): boolean {
  if (isNetworkAdmin(actor) || actor.personId === studentId) return true;
  return student !== null && isStaffOfInstitution(actor, student.schoolId);
}

/** Enrolling and withdrawing: the school's admins and coordinators (and network admins). */
export function canManageEnrolments(actor: Actor, schoolId: string): boolean {
  return isNetworkAdmin(actor) || (actor.institutionId === schoolId && hasRole(actor, ...ENROLMENT_MANAGERS));
}

/** A track change: the enrolment managers, or the student choosing their own track. */
export function canChangeOwnTrack(actor: Actor, studentId: string, schoolId: string): boolean {
  if (canManageEnrolments(actor, schoolId)) return true;
  return actor.personId === studentId && actor.institutionId === schoolId && hasRole(actor, 'STUDENT');
}

/** Module completions are recorded by the school's admins and teachers (and network admins). */
export function canRecordResults(actor: Actor, schoolId: string): boolean {
  return canChangeCurriculum(actor, schoolId);
}
