import { type Actor, hasRole, isNetworkAdmin } from '@medcollab/kit';

/** Who manages a school's reminder policy (and, later, its webhooks): its admins and quality officers. */
export function canManageNotifications(actor: Actor, institutionId: string): boolean {
  return isNetworkAdmin(actor) || (actor.institutionId === institutionId && hasRole(actor, 'INSTITUTION_ADMIN', 'QUALITY_OFFICER'));
}

/** The facts of a task the reminder view is decided on. */
export interface TaskAccessFacts {
  assessorId: string;
  schoolId: string;
  hospitalId: string | null;
}

/**
 * Who sees a task's reminder plan: the assessor (their own reminders), and the coordinators,
 * admins and quality officers of the school or of the hospital where the placement ran (the
 * people the ladder escalates to).
 */
export function canSeeReminders(actor: Actor, task: TaskAccessFacts): boolean {
  if (isNetworkAdmin(actor) || actor.personId === task.assessorId) return true;
  const ofInstitution = actor.institutionId !== null && (actor.institutionId === task.schoolId || actor.institutionId === task.hospitalId);
  return ofInstitution && hasRole(actor, 'COORDINATOR', 'INSTITUTION_ADMIN', 'QUALITY_OFFICER');
}

/** Staff who oversee an institution's reminders: its coordinators, admins and quality officers. */
const oversees = (actor: Actor, institutionId: string): boolean =>
  actor.institutionId === institutionId && hasRole(actor, 'COORDINATOR', 'INSTITUTION_ADMIN', 'QUALITY_OFFICER');

/** The facts of a placement the reminder view is decided on. */
export interface PlacementAccessFacts {
  studentId: string;
  supervisorId: string | null;
  schoolId: string;
  hospitalId: string;
}

/**
 * Who sees a placement's reminder plan: the people it tells (the student, the supervisor), and
 * the coordinators, admins and quality officers of the school and of the hosting hospital (as
 * for a task's plan). Nobody of another institution.
 */
export function canSeePlacementReminders(actor: Actor, p: PlacementAccessFacts): boolean {
  if (isNetworkAdmin(actor) || actor.personId === p.studentId || actor.personId === p.supervisorId) return true;
  return oversees(actor, p.schoolId) || oversees(actor, p.hospitalId);
}

/** The facts of a swap request the reminder view is decided on. */
export interface SwapAccessFacts {
  studentId: string;
  withStudentId: string | null;
  schoolId: string;
}

/**
 * Who sees a swap request's reminder plan: the two students (the asker and the one asked), and
 * the school's coordinators, admins and quality officers (the coordinators decide the request).
 */
export function canSeeSwapReminders(actor: Actor, s: SwapAccessFacts): boolean {
  if (isNetworkAdmin(actor) || actor.personId === s.studentId || actor.personId === s.withStudentId) return true;
  return oversees(actor, s.schoolId);
}

/**
 * What of a preference window's plan a caller sees: ALL for the school's coordinators, admins and
 * quality officers (and network admins); OWN for a student of the school (only the steps that
 * tell them: other students' reminders say who has not ranked yet); NONE for anybody else.
 */
export function windowRemindersScope(actor: Actor, w: { schoolId: string }): 'ALL' | 'OWN' | 'NONE' {
  if (isNetworkAdmin(actor) || oversees(actor, w.schoolId)) return 'ALL';
  return actor.institutionId === w.schoolId && hasRole(actor, 'STUDENT') ? 'OWN' : 'NONE';
}

/** The facts of a mentorship the reminder view is decided on (schoolId: the mentees' school, null until known). */
export interface MentorshipAccessFacts {
  mentorId: string;
  schoolId: string | null;
}

/**
 * Who sees a mentorship's mentee-without-a-meeting plan: the mentor (the rung that tells them),
 * and the coordinators, admins and quality officers of the mentees' school (the escalation tells
 * its coordinators). Not the mentees: the plan says which of them has gone without a meeting.
 */
export function canSeeMenteeReminders(actor: Actor, m: MentorshipAccessFacts): boolean {
  if (isNetworkAdmin(actor) || actor.personId === m.mentorId) return true;
  return m.schoolId !== null && oversees(actor, m.schoolId);
}
