import { ConflictError } from '@medcollab/kit';
import { type EntityManager } from 'typeorm';

/**
 * A person's sourcedId names one person of the institution, student or staff (OneRoster's
 * users.csv keeps both in one id space). Each table has its own unique index; across the two,
 * the check runs under a transaction lock on (institution, sourcedId), like emails.
 */
export async function claimPersonSourcedId(
  em: EntityManager,
  institutionId: string,
  sourcedId: string,
  self: string | null = null,
): Promise<void> {
  await em.query(`SELECT pg_advisory_xact_lock(hashtext('network.person-sourced-id'), hashtext($1 || '/' || $2))`, [
    institutionId,
    sourcedId,
  ]);
  const [holder]: { given_name: string; family_name: string; kind: string }[] = await em.query(
    `SELECT given_name, family_name, 'student' AS kind FROM student WHERE school_id = $1 AND sourced_id = $2 AND id IS DISTINCT FROM $3
     UNION ALL
     SELECT given_name, family_name, 'staff member' AS kind FROM staff_member WHERE institution_id = $1 AND sourced_id = $2 AND id IS DISTINCT FROM $3
     LIMIT 1`,
    [institutionId, sourcedId, self],
  );
  if (holder)
    throw new ConflictError(
      `sourcedId "${sourcedId}" already names ${holder.given_name} ${holder.family_name} (${holder.kind}) at this institution`,
      {
        field: 'sourcedId',
      },
    );
}
