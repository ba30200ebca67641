import { type Actor } from '@medcollab/kit';

/**
 * Who may read an institution's audit trail: its own institution admins and quality officers.
 * Nobody else, network admins included: the trail says who looked at students, and only the
 * students' school answers for that (ADR 0008).
 */
export const mayReadInstitutionTrail = (actor: Actor, institutionId: string): boolean =>
  actor.institutionId === institutionId && actor.roles.some((r) => r === 'INSTITUTION_ADMIN' || r === 'QUALITY_OFFICER');

/** Only the institution's admins set how long its trail is kept. */
export const mayManageRetention = (actor: Actor, institutionId: string): boolean =>
  actor.institutionId === institutionId && actor.roles.includes('INSTITUTION_ADMIN');

/** A student's own access history: the student themself only. */
export const mayReadAccessHistory = (actor: Actor, studentId: string): boolean =>
  actor.personId === studentId && actor.roles.includes('STUDENT');
