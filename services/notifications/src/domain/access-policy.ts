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
