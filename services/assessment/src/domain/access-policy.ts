import { type Actor, hasRole, isNetworkAdmin, isStaffOf, type Role, STAFF_ROLES } from '@medcollab/kit';
import { type TaskRole } from './model';

/**
 * Who may read and change what in assessment (docs/architecture.md §4). Pure decisions on the actor and
 * the records involved; resolvers load the records and projections and ask here.
 */

/** What assessment knows of a staff member (StaffRegistered). */
export interface StaffFacts {
  id: string;
  institutionId: string;
  departmentId: string | null;
  roles: readonly string[];
}

/** What assessment knows of a placement (Placement* events from rotations). */
export interface PlacementFacts {
  id: string;
  studentId: string;
  schoolId: string;
  hospitalId: string;
  departmentId: string;
  supervisorId: string | null;
  status: string;
  /** Null while the placement runs; the end of the hospital's access once it completed or was cancelled. */
  accessUntil: Date | null;
}

export interface TaskFacts {
  role: TaskRole;
  assessorId: string;
  /** The assessed student, or the evaluating student for evaluations. */
  studentId: string;
  schoolId: string;
  placementId: string | null;
}

export const isEvaluationRole = (role: TaskRole): boolean => role === 'SITE_EVALUATION' || role === 'TEACHER_EVALUATION';

const isSelf = (actor: Actor, personId: string): boolean => actor.personId === personId;
const isStaff = (actor: Actor): boolean => actor.institutionId !== null && hasRole(actor, ...STAFF_ROLES);
const holds = (actor: Actor, institutionId: string, ...roles: Role[]): boolean =>
  actor.institutionId === institutionId && hasRole(actor, ...roles);

/** The hospital may see the student through this placement now (same rule as rotations and the network). */
export function grantActive(p: Pick<PlacementFacts, 'status' | 'accessUntil'>, now: Date): boolean {
  return p.accessUntil === null ? p.status === 'CONFIRMED' || p.status === 'IN_PROGRESS' : p.accessUntil.getTime() > now.getTime();
}

/** Hospital staff who read what every placement at their hospital grants (they run the hospital's side of placements). */
const HOSPITAL_WIDE_ROLES: readonly Role[] = ['COORDINATOR', 'INSTITUTION_ADMIN', 'INTEGRATION'];
/** Hospital staff who read what their own department's placements, and those they supervise, grant. */
const WARD_ROLES: readonly Role[] = ['CLINICAL_INSTRUCTOR', 'TEACHER'];

/**
 * Staff of the placement's hospital while the placement grants it access, on least privilege
 * (the network's and rotations' rule): the hospital's coordinators, admins and system account
 * for any placement there; a clinical instructor or teacher only for a placement in their own
 * department (`actorDepartmentId`, from their staff record) or one they supervise; other
 * hospital roles not at all.
 */
export function hospitalHolds(actor: Actor, p: PlacementFacts | null, now: Date, actorDepartmentId: string | null = null): boolean {
  if (p === null || !isStaff(actor) || actor.institutionId !== p.hospitalId || !grantActive(p, now)) return false;
  if (hasRole(actor, ...HOSPITAL_WIDE_ROLES)) return true;
  if (!hasRole(actor, ...WARD_ROLES)) return false;
  // A placement always names its department, so an actor of none (null) matches no department.
  return p.supervisorId === actor.personId || p.departmentId === actorDepartmentId;
}

/** True when the actor's department matters for the decision (worth loading their staff record). */
export const departmentDecides = (actor: Actor): boolean => !hasRole(actor, ...HOSPITAL_WIDE_ROLES) && hasRole(actor, ...WARD_ROLES);

/** Only an institution's staff can hold a mentor grant: worth loading grants for them alone. */
export const mayHoldMentorGrant = (actor: Actor): boolean => isStaff(actor);

/**
 * A mentor sees their mentee's record (progress, readiness, assessment tasks) while the
 * mentorship has not ended (docs/architecture.md §4). The grants come from the mentorship service's
 * MentorshipChanged events (table mentor_grant); the caller loads, batched per request, the
 * mentors holding a live grant for the student and passes them here. Only staff hold one.
 */
export const mentorHolds = (actor: Actor, grantedMentorIds: readonly string[]): boolean =>
  mayHoldMentorGrant(actor) && grantedMentorIds.includes(actor.personId);

/** Instruments: a school's admins and teachers for their school, network admins for anyone (or the network). */
export function canCreateInstrument(actor: Actor, ownerInstitutionId: string | null): boolean {
  if (isNetworkAdmin(actor)) return true;
  return ownerInstitutionId !== null && holds(actor, ownerInstitutionId, 'INSTITUTION_ADMIN', 'TEACHER');
}

/** Which assessment a school's placements use: its admins and coordinators. */
export const canConfigureSchool = (actor: Actor, schoolId: string): boolean =>
  isNetworkAdmin(actor) || holds(actor, schoolId, 'INSTITUTION_ADMIN', 'COORDINATOR');

/**
 * A task: network admins; its assessor; for a task about a student, the student, their
 * school's staff, the placement's hospital while it grants access (as far as hospitalHolds
 * lets the caller's role and department reach), and the student's mentor
 * (`mentorIds`: mentors holding a live grant for the student). An evaluation of a site or
 * teacher is seen by its author and by the school's staff (to follow up who has not answered)
 * — never by the hospital, whose site and teachers it is about, nor by the student's mentor.
 */
export function canReadTask(
  actor: Actor,
  t: TaskFacts,
  placement: PlacementFacts | null,
  now: Date,
  // Stryker disable next-line ArrayDeclaration: a default list holding a made-up id names no real mentor, just as the empty one.
  mentorIds: readonly string[] = [],
  actorDepartmentId: string | null = null,
): boolean {
  if (isNetworkAdmin(actor) || isSelf(actor, t.assessorId)) return true;
  if (isEvaluationRole(t.role)) return isStaffOf(actor, t.schoolId);
  return (
    (isSelf(actor, t.studentId) && hasRole(actor, 'STUDENT')) ||
    isStaffOf(actor, t.schoolId) ||
    (t.placementId !== null && hospitalHolds(actor, placement, now, actorDepartmentId)) ||
    mentorHolds(actor, mentorIds)
  );
}

/**
 * What was answered: as the task, except that a draft is its author's until submitted, and an
 * evaluation's answers are its author's alone, always.
 */
export function canReadSubmission(
  actor: Actor,
  t: TaskFacts,
  placement: PlacementFacts | null,
  now: Date,
  submitted: boolean,
  // Stryker disable next-line ArrayDeclaration: a default list holding a made-up id names no real mentor, just as the empty one.
  mentorIds: readonly string[] = [],
  actorDepartmentId: string | null = null,
): boolean {
  if (isEvaluationRole(t.role) || !submitted) return isSelf(actor, t.assessorId);
  return canReadTask(actor, t, placement, now, mentorIds, actorDepartmentId);
}

/** Working on a task (draft, submit, decline, amend): its assessor only, signed in as what the task expects. */
export function canWorkOnTask(actor: Actor, t: TaskFacts): boolean {
  if (!isSelf(actor, t.assessorId)) return false;
  return isEvaluationRole(t.role) ? hasRole(actor, 'STUDENT') : isStaff(actor);
}

/**
 * Assigning by hand: the student's school's coordinators, admins and teachers; the hospital's
 * coordinators and admins for a student placed with them (the task is then tied to the placement).
 */
export function canAssign(actor: Actor, student: { id: string; schoolId: string }, placement: PlacementFacts | null, now: Date): boolean {
  if (isNetworkAdmin(actor) || holds(actor, student.schoolId, 'COORDINATOR', 'INSTITUTION_ADMIN', 'TEACHER')) return true;
  return (
    placement !== null &&
    placement.studentId === student.id &&
    hospitalHolds(actor, placement, now) &&
    hasRole(actor, 'COORDINATOR', 'INSTITUTION_ADMIN')
  );
}

/** An assessor teaches or instructs, at the student's school or at a hospital placing them (the placement's, when named). */
export function assessorEligible(assessor: StaffFacts, student: { schoolId: string }, hospitalIds: readonly string[]): boolean {
  if (!assessor.roles.includes('TEACHER') && !assessor.roles.includes('CLINICAL_INSTRUCTOR')) return false;
  return assessor.institutionId === student.schoolId || hospitalIds.includes(assessor.institutionId);
}

/**
 * A student's assessment record as a whole (competency progress, readiness): network admins,
 * the student, their school's staff, their mentor (`mentorIds`: mentors holding a live grant
 * for the student). A hospital sees only the tasks tied to its placements, never the record
 * built from every site's evidence.
 */
export const canReadStudentRecord = (
  actor: Actor,
  student: { id: string; schoolId: string | null },
  // Stryker disable next-line ArrayDeclaration: a default list holding a made-up id names no real mentor, just as the empty one.
  mentorIds: readonly string[] = [],
): boolean =>
  isNetworkAdmin(actor) ||
  (isSelf(actor, student.id) && hasRole(actor, 'STUDENT')) ||
  (student.schoolId !== null && isStaffOf(actor, student.schoolId)) ||
  mentorHolds(actor, mentorIds);

/** Quality aggregates of a hospital: its quality officers, those of its partner schools, network admins. */
export function canReadQuality(actor: Actor, hospitalId: string, partnerSchoolIds: readonly string[]): boolean {
  if (isNetworkAdmin(actor)) return true;
  if (!hasRole(actor, 'QUALITY_OFFICER')) return false;
  // Stryker disable next-line ConditionalExpression: narrows the type only: an officer of no institution is neither the hospital nor a partner.
  if (actor.institutionId === null) return false;
  return actor.institutionId === hospitalId || partnerSchoolIds.includes(actor.institutionId);
}

/**
 * A teacher's released evaluation aggregate: the teacher, quality officers of their
 * institution and of its partners, network admins. Never anyone's individual evaluation.
 */
export function canReadTeachingEvaluation(
  actor: Actor,
  teacherId: string,
  teacher: StaffFacts | null,
  partnerIds: readonly string[],
): boolean {
  if (isNetworkAdmin(actor) || isSelf(actor, teacherId)) return true;
  if (!teacher || !hasRole(actor, 'QUALITY_OFFICER')) return false;
  // Stryker disable next-line ConditionalExpression: narrows the type only: an officer of no institution is neither the teacher's nor a partner.
  if (actor.institutionId === null) return false;
  return actor.institutionId === teacher.institutionId || partnerIds.includes(actor.institutionId);
}
