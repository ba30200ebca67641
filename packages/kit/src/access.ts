import { type Actor, type Role } from './actor';
import { ForbiddenError } from './errors';

/** Roles held by an institution's staff (everyone but students). */
export const STAFF_ROLES: readonly Role[] = [
  'INSTITUTION_ADMIN',
  'COORDINATOR',
  'QUALITY_OFFICER',
  'TEACHER',
  'CLINICAL_INSTRUCTOR',
  'MENTOR',
  'INTEGRATION',
];

export function hasRole(actor: Actor, ...roles: Role[]): boolean {
  return actor.roles.some((r) => roles.includes(r));
}

export function isNetworkAdmin(actor: Actor): boolean {
  return hasRole(actor, 'NETWORK_ADMIN');
}

/** Staff of `institutionId` (any staff role), or a network admin. */
export function isStaffOf(actor: Actor, institutionId: string): boolean {
  return isNetworkAdmin(actor) || (actor.institutionId === institutionId && hasRole(actor, ...STAFF_ROLES));
}

/** May change `institutionId`'s own records: its admins, or a network admin. */
export function canManageInstitution(actor: Actor, institutionId: string): boolean {
  return isNetworkAdmin(actor) || (actor.institutionId === institutionId && hasRole(actor, 'INSTITUTION_ADMIN'));
}

/** Throws FORBIDDEN unless the actor holds one of `roles` (network admins always pass). */
export function requireRole(actor: Actor, roles: Role[], action = 'do this'): void {
  if (!isNetworkAdmin(actor) && !hasRole(actor, ...roles)) {
    throw new ForbiddenError(`Your roles do not allow you to ${action}`);
  }
}

/** Throws FORBIDDEN when `allowed` is false; keeps resolvers one line per rule. */
export function ensure(allowed: boolean, message?: string): void {
  if (!allowed) throw new ForbiddenError(message);
}

/**
 * The one read path of a record by id, shared by root fields and `__resolveReference`:
 * batched load, then the service's policy. Missing records are null; records the caller may
 * not see are FORBIDDEN (never another tenant's data).
 */
export async function readWithPolicy<T>(
  loader: { load(id: string): Promise<T | null> },
  id: string,
  allowed: (record: T) => boolean | Promise<boolean>,
  deniedMessage: string,
): Promise<T | null> {
  const record = await loader.load(id);
  if (!record) return null;
  ensure(await allowed(record), deniedMessage);
  return record;
}
