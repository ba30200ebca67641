import { type Actor, hasRole, isNetworkAdmin, type Role } from '@medcollab/kit';

/**
 * People's lifecycle: who may update, re-role, deactivate and reactivate an institution's
 * people, and what counts as a real change. Pure; the data layer loads and saves.
 */

/**
 * Roles an institution's system (INTEGRATION) and roster imports may give or take away. The
 * others (INSTITUTION_ADMIN, INTEGRATION, NETWORK_ADMIN) grant rights over the institution
 * itself and are given by a person, so a leaked integration credential cannot mint an admin.
 */
export const SYNCABLE_ROLES: readonly Role[] = ['COORDINATOR', 'QUALITY_OFFICER', 'TEACHER', 'CLINICAL_INSTRUCTOR', 'MENTOR'];

const isSyncable = (roles: readonly Role[]) => roles.every((r) => SYNCABLE_ROLES.includes(r));

/** The institution's admins and its integration accounts, and network admins. */
export function canManagePeople(actor: Actor, institutionId: string): boolean {
  if (isNetworkAdmin(actor)) return true;
  return actor.institutionId === institutionId && hasRole(actor, 'INSTITUTION_ADMIN', 'INTEGRATION');
}

/** An integration account acting without an admin role of its own: limited to syncable roles. */
export function actsAsIntegrationOnly(actor: Actor): boolean {
  return !isNetworkAdmin(actor) && !hasRole(actor, 'INSTITUTION_ADMIN') && hasRole(actor, 'INTEGRATION');
}

/**
 * May change this staff member's record or status: the people managers of their institution,
 * but an integration account only for people whose roles are all syncable (not the admins).
 */
export function canManageStaffMember(actor: Actor, staff: { institutionId: string; roles: readonly Role[] }): boolean {
  return canManagePeople(actor, staff.institutionId) && (!actsAsIntegrationOnly(actor) || isSyncable(staff.roles));
}

/** Why the caller may not give `next` roles to someone holding `current`, or null when they may. */
export function roleChangeRefusal(actor: Actor, current: readonly Role[], next: readonly Role[]): string | null {
  if ((current.includes('NETWORK_ADMIN') || next.includes('NETWORK_ADMIN')) && !isNetworkAdmin(actor))
    return 'Only a network admin may grant or remove the NETWORK_ADMIN role';
  if (actsAsIntegrationOnly(actor) && !(isSyncable(current) && isSyncable(next)))
    return `An integration account may only grant or remove ${SYNCABLE_ROLES.join(', ')}`;
  return null;
}

/**
 * The fields of `patch` whose value differs from `current` (undefined in the patch: left as
 * is). Arrays are compared as sets, so re-sending the same roles in another order is no change.
 */
export function changedFields<T extends object>(current: T, patch: Partial<T>): (keyof T & string)[] {
  const changed: (keyof T & string)[] = [];
  for (const key of Object.keys(patch) as (keyof T & string)[]) {
    const next = patch[key];
    if (next === undefined) continue;
    const now = current[key];
    const same =
      Array.isArray(now) && Array.isArray(next)
        ? now.length === next.length && [...now].sort().join('\u0000') === [...next].sort().join('\u0000')
        : now === next;
    if (!same) changed.push(key);
  }
  return changed;
}
