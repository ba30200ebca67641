import { ConflictError } from '@medcollab/kit';
import { type DataSource, type EntityManager } from 'typeorm';

const UNIQUE_VIOLATION = '23505';

/** Messages for the unique indexes a racing writer could still hit after our own checks. */
const UNIQUE_MESSAGES: Record<string, string> = {
  mentor_profile_staff_id_key: 'This staff member already has a mentor profile',
  mentorship_mentee_pkey: 'The student is already a mentee of this mentorship',
};

/**
 * Runs one command in one transaction: every row it writes commits or rolls back together.
 * A unique index that catches a race becomes a CONFLICT, not a server error.
 */
export async function runCommand<T>(dataSource: DataSource, work: (em: EntityManager) => Promise<T>): Promise<T> {
  try {
    return await dataSource.transaction(work);
  } catch (error) {
    const { code, constraint } = error as { code?: string; constraint?: string };
    if (code === UNIQUE_VIOLATION) throw new ConflictError(UNIQUE_MESSAGES[constraint ?? ''] ?? 'This record already exists');
    throw error;
  }
}
