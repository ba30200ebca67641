import { randomUUID } from 'node:crypto';
import { type Actor, type Role } from '@medcollab/kit';

/** Callers as the gateway would describe them after verifying their tokens. */
export const networkAdmin = (): Actor => ({ personId: randomUUID(), institutionId: null, roles: ['NETWORK_ADMIN'] });

export const staffOf = (institutionId: string, ...roles: Role[]): Actor => ({ personId: randomUUID(), institutionId, roles });

export const asStudent = (student: { id: string; schoolId: string }): Actor => ({
  personId: student.id,
  institutionId: student.schoolId,
  roles: ['STUDENT'],
});
