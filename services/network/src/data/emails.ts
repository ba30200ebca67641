import { ConflictError } from '@medcollab/kit';
import { type EntityManager } from 'typeorm';

/**
 * An email is one person's login identity, whether student or staff. Each table has a
 * unique index on lower(email); across the two tables the check runs under a transaction
 * lock on the address, so two registrations of one address cannot both pass.
 */
export async function claimEmail(em: EntityManager, email: string): Promise<void> {
  const normalized = email.toLowerCase();
  await em.query(`SELECT pg_advisory_xact_lock(hashtext('network.person-email'), hashtext($1))`, [normalized]);
  const taken: unknown[] = await em.query(
    `SELECT 1 FROM student WHERE lower(email) = $1
     UNION ALL
     SELECT 1 FROM staff_member WHERE lower(email) = $1
     LIMIT 1`,
    [normalized],
  );
  if (taken.length) throw new ConflictError(`A person with email ${normalized} is already registered`, { field: 'email' });
}
