import { type Actor, hasRole, isNetworkAdmin, isStaffOf } from '@medcollab/kit';

/**
 * Who may read and change what in mentorship (docs/architecture.md §4). Pure decisions on the actor
 * and facts the resolvers load (batched) from mentorship's own tables and projections.
 */

export interface StudentRef {
  id: string;
  /** Null while mentorship has not heard of the student (StudentRegistered not applied yet). */
  schoolId: string | null;
}

export interface MentorshipRef {
  mentorId: string;
  schoolId: string;
  menteeIds: readonly string[];
}

const isSelf = (actor: Actor, personId: string) => actor.personId === personId;

/** A school's people who organise mentoring: its admins and coordinators. */
export function isSchoolCoordinator(actor: Actor, schoolId: string | null): boolean {
  return schoolId !== null && actor.institutionId === schoolId && hasRole(actor, 'INSTITUTION_ADMIN', 'COORDINATOR');
}

/**
 * A student's mentoring records (mentorships, goals, preferences): network admins, the
 * student, their school's staff, and their mentors (`mentorIds`: mentors of their open
 * mentorships).
 */
export function canReadStudentRecords(actor: Actor, student: StudentRef, mentorIds: readonly string[]): boolean {
  return (
    isNetworkAdmin(actor) ||
    isSelf(actor, student.id) ||
    (student.schoolId !== null && isStaffOf(actor, student.schoolId)) ||
    mentorIds.includes(actor.personId)
  );
}

/** The student themself, their school's admins and coordinators, and network admins. */
export function canManageStudentPreferences(actor: Actor, student: StudentRef): boolean {
  return isNetworkAdmin(actor) || (isSelf(actor, student.id) && hasRole(actor, 'STUDENT')) || isSchoolCoordinator(actor, student.schoolId);
}

/** mentorSuggestions: the student, their school's admins and coordinators, network admins. */
export const canSeeSuggestions = canManageStudentPreferences;

/** Network admins, the mentor, the mentees, the staff of the mentees' school. */
export function canReadMentorship(actor: Actor, m: MentorshipRef): boolean {
  return isNetworkAdmin(actor) || isSelf(actor, m.mentorId) || m.menteeIds.includes(actor.personId) || isStaffOf(actor, m.schoolId);
}

/** Meeting notes are private to the mentor and the mentees: nobody else, not even admins. */
export function canReadMeetingNotes(actor: Actor, m: MentorshipRef): boolean {
  return isSelf(actor, m.mentorId) || m.menteeIds.includes(actor.personId);
}

/** Meetings are logged by the people who met. */
export const canLogMeeting = canReadMeetingNotes;

/** Pause, resume, end, add mentees: the mentor, the school's admins and coordinators, network admins. */
export function canManageMentorship(actor: Actor, m: Pick<MentorshipRef, 'mentorId' | 'schoolId'>): boolean {
  return isNetworkAdmin(actor) || (isSelf(actor, m.mentorId) && hasRole(actor, 'MENTOR')) || isSchoolCoordinator(actor, m.schoolId);
}

/**
 * Who may make a student someone's mentee (create a mentorship, add a mentee): network admins,
 * the student's school's admins and coordinators, and the mentor themself only at their own
 * school. A mentor at a partner hospital reads the mentee's email, progress and tasks, so the
 * school approves each such relationship by making it itself (its coordinators create the
 * mentorship, add the mentee, or accept a matching run).
 */
export function canStartMentoring(actor: Actor, m: Pick<MentorshipRef, 'mentorId' | 'schoolId'>): boolean {
  return (
    isNetworkAdmin(actor) ||
    isSchoolCoordinator(actor, m.schoolId) ||
    (isSelf(actor, m.mentorId) && hasRole(actor, 'MENTOR') && actor.institutionId === m.schoolId)
  );
}

export interface StaffRef {
  id: string;
  institutionId: string;
}

/** The mentor themself, their institution's admins and coordinators, network admins. */
export function canEditMentorProfile(actor: Actor, staff: StaffRef): boolean {
  if (isNetworkAdmin(actor)) return true;
  if (isSelf(actor, staff.id)) return hasRole(actor, 'MENTOR');
  return actor.institutionId === staff.institutionId && hasRole(actor, 'INSTITUTION_ADMIN', 'COORDINATOR');
}

/**
 * Mentor profiles are a directory for the people who may be matched with the mentor:
 * network admins, the mentor, anyone of their institution, and the people of schools
 * partnered with it under an active agreement (`partnerSchoolIds`).
 */
export function canReadMentorProfile(
  actor: Actor,
  profile: { staffId: string; institutionId: string },
  partnerSchoolIds: readonly string[],
): boolean {
  if (isNetworkAdmin(actor) || isSelf(actor, profile.staffId)) return true;
  // Stryker disable next-line ConditionalExpression: narrows the type only: null is neither an institution's id nor a partner school's.
  if (actor.institutionId === null) return false;
  return actor.institutionId === profile.institutionId || partnerSchoolIds.includes(actor.institutionId);
}

/** Matching runs are started, read and decided by the school's admins and coordinators (and network admins). */
export function canRunMatching(actor: Actor, schoolId: string): boolean {
  return isNetworkAdmin(actor) || isSchoolCoordinator(actor, schoolId);
}

/** Any staff of the school may read its runs. */
export function canReadMatchingRun(actor: Actor, schoolId: string): boolean {
  return isStaffOf(actor, schoolId);
}

/** Creating a goal: the student for themself ('own'), a mentor of theirs as a proposal, nobody else. */
export function goalAuthorship(actor: Actor, studentId: string, mentorIds: readonly string[]): 'own' | 'proposal' | null {
  if (isSelf(actor, studentId) && hasRole(actor, 'STUDENT')) return 'own';
  if (mentorIds.includes(actor.personId) && hasRole(actor, 'MENTOR')) return 'proposal';
  return null;
}

/** Changing a goal: the student; the proposing mentor while the proposal is still pending. */
export function canUpdateGoal(actor: Actor, goal: { studentId: string; proposedById: string | null; pendingAcceptance: boolean }): boolean {
  if (isSelf(actor, goal.studentId) && hasRole(actor, 'STUDENT')) return true;
  return goal.pendingAcceptance && goal.proposedById === actor.personId;
}

/**
 * Referencing a staff member from mentorship: network admins, the person, anyone of their
 * institution, people of a partner school, and their mentees (`actorMentorIds`: the mentors
 * of the caller's open mentorships). Their fields filter further.
 */
export function canReferenceStaff(
  actor: Actor,
  staff: StaffRef | null,
  partnerSchoolIds: readonly string[],
  actorMentorIds: readonly string[],
): boolean {
  if (isNetworkAdmin(actor) || (staff && isSelf(actor, staff.id))) return true;
  if (!staff) return false;
  if (actorMentorIds.includes(staff.id)) return true;
  // Stryker disable next-line ConditionalExpression: narrows the type only: null is neither an institution's id nor a partner school's.
  if (actor.institutionId === null) return false;
  return actor.institutionId === staff.institutionId || partnerSchoolIds.includes(actor.institutionId);
}
