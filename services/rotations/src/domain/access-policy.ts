import { type Actor, hasRole, isNetworkAdmin, isStaffOf, type Role, STAFF_ROLES } from '@medcollab/kit';
import { hospitalGrantActive, type GrantState } from './placement-lifecycle';

/**
 * Who may read and change what in rotations (docs/architecture.md §4). Pure decisions on the actor
 * and the records involved; resolvers load the records (and projections) and ask here.
 */

/** What rotations knows about a staff member (from StaffRegistered). */
export interface StaffFacts {
  id: string;
  institutionId: string;
  departmentId: string | null;
  roles: readonly string[];
}

/** The parties of a placement, and its grant state. */
export interface PlacementFacts extends GrantState {
  studentId: string;
  schoolId: string;
  hospitalId: string;
  departmentId: string;
  supervisorId: string | null;
}

const isSelf = (actor: Actor, personId: string): boolean => actor.personId === personId;
/** Staff of some institution (a type guard: what passes has an institution). */
const isStaff = (actor: Actor): actor is Actor & { institutionId: string } =>
  actor.institutionId !== null && hasRole(actor, ...STAFF_ROLES);
const plannerOf = (actor: Actor, institutionId: string): boolean =>
  isNetworkAdmin(actor) || (actor.institutionId === institutionId && hasRole(actor, 'COORDINATOR', 'INSTITUTION_ADMIN'));

/** A school's coordinators and admins plan its rotations: blocks, placements, windows, requirements, swaps. */
export const canPlanSchoolRotations = (actor: Actor, schoolId: string): boolean => plannerOf(actor, schoolId);

/** A hospital's coordinators and admins offer its seats. */
export const canManageHospitalSeats = (actor: Actor, hospitalId: string): boolean => plannerOf(actor, hospitalId);

/**
 * Starting and completing happen on site: the hospital's coordinators and admins, and the
 * clinical instructors of the placement's department.
 */
export function canRunPlacementOnSite(
  actor: Actor,
  p: Pick<PlacementFacts, 'hospitalId' | 'departmentId'>,
  actorStaff: StaffFacts | null,
): boolean {
  if (plannerOf(actor, p.hospitalId)) return true;
  return (
    actor.institutionId === p.hospitalId &&
    hasRole(actor, 'CLINICAL_INSTRUCTOR') &&
    actorStaff !== null &&
    actorStaff.institutionId === p.hospitalId &&
    actorStaff.departmentId === p.departmentId
  );
}

/** Hospital staff who read every placement at their hospital (they run the hospital's side of placements). */
const HOSPITAL_WIDE_ROLES: readonly Role[] = ['COORDINATOR', 'INSTITUTION_ADMIN', 'INTEGRATION'];
/** Hospital staff who read the placements of their own department and those they supervise. */
const WARD_ROLES: readonly Role[] = ['CLINICAL_INSTRUCTOR', 'TEACHER'];

/**
 * Least privilege at a hospital (same rule as the network's): its coordinators, admins and
 * system account see every placement there; a clinical instructor or teacher only those in their
 * own department (`actorDepartmentId`, from their staff record) or supervised by them; other
 * hospital roles none. The grant's time window is checked by the caller.
 */
export function hospitalStaffReach(
  actor: Actor,
  p: Pick<PlacementFacts, 'hospitalId' | 'departmentId' | 'supervisorId'>,
  actorDepartmentId: string | null,
): boolean {
  if (!isStaffOf(actor, p.hospitalId)) return false;
  if (hasRole(actor, ...HOSPITAL_WIDE_ROLES)) return true;
  if (!hasRole(actor, ...WARD_ROLES)) return false;
  // A placement always has a department, so an instructor with none on record (null) matches none.
  return p.supervisorId === actor.personId || p.departmentId === actorDepartmentId;
}

/** True when the actor's department matters for the decision (worth loading their staff record). */
export const departmentDecides = (actor: Actor): boolean => !hasRole(actor, ...HOSPITAL_WIDE_ROLES) && hasRole(actor, ...WARD_ROLES);

/**
 * Naming a placement's supervisor (issue 14) belongs to the hosting department: the hospital's
 * admins, and its coordinators for that department (or for the whole hospital: a coordinator
 * registered without a department). Network admins too. Not the school (it reads the
 * supervisor, never names one), not the instructors themselves, not another hospital.
 */
export function canAssignSupervisors(
  actor: Actor,
  d: { hospitalId: string; departmentId: string },
  actorStaff: StaffFacts | null,
): boolean {
  if (isNetworkAdmin(actor)) return true;
  if (actor.institutionId !== d.hospitalId) return false;
  if (hasRole(actor, 'INSTITUTION_ADMIN')) return true;
  return (
    hasRole(actor, 'COORDINATOR') &&
    actorStaff !== null &&
    actorStaff.institutionId === d.hospitalId &&
    (actorStaff.departmentId === null || actorStaff.departmentId === d.departmentId)
  );
}

/**
 * A placement is visible to network admins, its student, the school's staff, and the
 * hospital's staff its department or supervision reaches (see hospitalStaffReach) while the
 * placement grants access (confirmed, running, or completed within the grace period).
 * Proposals stay internal to the school.
 */
export function canReadPlacement(actor: Actor, p: PlacementFacts, now: Date, actorDepartmentId: string | null = null): boolean {
  return (
    isNetworkAdmin(actor) ||
    isSelf(actor, p.studentId) ||
    isStaffOf(actor, p.schoolId) ||
    (hospitalStaffReach(actor, p, actorDepartmentId) && hospitalGrantActive(p, now))
  );
}

/** True when one of the student's placements grants the actor access now (by hospital, department or supervision). */
export function hospitalHoldsGrant(
  actor: Actor,
  placements: readonly PlacementFacts[],
  now: Date,
  actorDepartmentId: string | null = null,
): boolean {
  return isStaff(actor) && placements.some((p) => hospitalStaffReach(actor, p, actorDepartmentId) && hospitalGrantActive(p, now));
}

/**
 * A student's rotation records (placements, preferences…): network admins, the student, the
 * school's staff, a hospital holding a placement grant. `schoolId` null: the student's
 * registration has not reached rotations yet, so rotations holds nothing about them (no
 * placement or preference can exist without it) and the answer is simply empty: allowed.
 */
export function canReadStudentRecords(actor: Actor, student: { id: string; schoolId: string | null }, hospitalGrant: boolean): boolean {
  if (student.schoolId === null) return true;
  return isNetworkAdmin(actor) || isSelf(actor, student.id) || isStaffOf(actor, student.schoolId) || hospitalGrant;
}

/** Preferences are more private than placements: the student, the school's staff, network admins. */
export const canReadPreferences = (actor: Actor, student: { id: string; schoolId: string }): boolean =>
  isNetworkAdmin(actor) || isSelf(actor, student.id) || isStaffOf(actor, student.schoolId);

/** The student themself, or their school's planners on their behalf. */
export const canActForStudent = (actor: Actor, student: { id: string; schoolId: string }): boolean =>
  (isSelf(actor, student.id) && hasRole(actor, 'STUDENT')) || plannerOf(actor, student.schoolId);

/**
 * A school's block calendar: network admins, anyone of the school, and staff of a hospital
 * with an ACTIVE agreement with the school (they set their seats per block).
 */
export function canReadSchoolCalendar(actor: Actor, schoolId: string, partnerHospitalIds: readonly string[]): boolean {
  if (isNetworkAdmin(actor) || actor.institutionId === schoolId) return true;
  return isStaff(actor) && partnerHospitalIds.includes(actor.institutionId);
}

/** Seats of a school at a department: both parties (the school's students too), network admins. */
export const canReadCapacity = (actor: Actor, c: { schoolId: string; hospitalId: string }): boolean =>
  isNetworkAdmin(actor) || actor.institutionId === c.schoolId || isStaffOf(actor, c.hospitalId);

/** Mirrors the network's rule: admins, the person, anyone of the same institution. */
export const canReadStaffMember = (actor: Actor, staffId: string, staff: StaffFacts | null): boolean =>
  isNetworkAdmin(actor) || isSelf(actor, staffId) || (staff !== null && actor.institutionId === staff.institutionId);

/** A department's calendar feed: the hospital's planners and the department's clinical instructors. */
export const canManageDepartmentFeed = (
  actor: Actor,
  department: { id: string; hospitalId: string },
  actorStaff: StaffFacts | null,
): boolean => canRunPlacementOnSite(actor, { hospitalId: department.hospitalId, departmentId: department.id }, actorStaff);

/**
 * Which of its hospital's placements a staff member's list reaches: all (coordinators, admins),
 * those of a department or supervised by them (instructors, teachers), none (other roles).
 */
export type HospitalReach = { kind: 'all' } | { kind: 'ward'; departmentId: string | null; supervisorId: string } | { kind: 'none' };

/** Placements a list may return before the caller's filters narrow it. */
export type PlacementScope =
  | { kind: 'all' }
  | { kind: 'institution'; institutionId: string; hospital: HospitalReach }
  | { kind: 'student'; studentId: string }
  | { kind: 'nothing' };

function hospitalReachOf(actor: Actor, actorDepartmentId: string | null): HospitalReach {
  if (hasRole(actor, ...HOSPITAL_WIDE_ROLES)) return { kind: 'all' };
  if (hasRole(actor, ...WARD_ROLES)) return { kind: 'ward', departmentId: actorDepartmentId, supervisorId: actor.personId };
  return { kind: 'none' };
}

/**
 * Network admins: all. Staff: their school's placements, and those of their hospital that grant
 * access now and their role reaches (hospitalStaffReach). Students: their own.
 */
export function placementListScope(actor: Actor, actorDepartmentId: string | null = null): PlacementScope {
  if (isNetworkAdmin(actor)) return { kind: 'all' };
  if (isStaff(actor))
    return { kind: 'institution', institutionId: actor.institutionId, hospital: hospitalReachOf(actor, actorDepartmentId) };
  if (hasRole(actor, 'STUDENT')) return { kind: 'student', studentId: actor.personId };
  return { kind: 'nothing' };
}

/** The parts of a placement filter that name whose placements are asked for. */
export interface PlacementAsk {
  schoolId: string | null;
  hospitalId: string | null;
  studentId: string | null;
}

/**
 * Asking for a scope you may not see is FORBIDDEN, never an empty list (the rule blocks and
 * preference status follow). A school: its own people, staff of a hospital in an ACTIVE
 * agreement with it. A hospital: its own people, people of a school in an ACTIVE agreement with
 * it. A student: students ask only for themselves (staff are narrowed by their scope). Network
 * admins: anything. `partners`: the hospitals of the named school's agreements, and those of the
 * caller's own institution's (as a school).
 */
export function mayAskForPlacements(
  actor: Actor,
  ask: PlacementAsk,
  partners: { ofSchool: readonly string[]; ofCallerSchool: readonly string[] },
): boolean {
  if (isNetworkAdmin(actor)) return true;
  if (ask.studentId !== null && !isStaff(actor) && ask.studentId !== actor.personId) return false;
  if (ask.schoolId !== null && !canReadSchoolCalendar(actor, ask.schoolId, partners.ofSchool)) return false;
  if (ask.hospitalId !== null && ask.hospitalId !== actor.institutionId && !partners.ofCallerSchool.includes(ask.hospitalId)) return false;
  return true;
}
