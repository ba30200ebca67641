import { ConflictError } from '@medcollab/kit';
import { type DataSource, type EntityManager } from 'typeorm';

const UNIQUE_VIOLATION = '23505';

/** The unique indexes a racing writer could still hit after our own checks, as the refusal a client reads. */
const UNIQUE_MESSAGES: Record<string, string> = {
  submission_task_id_key: 'This task was just answered by another request; reload it',
  submission_amendment_pkey: 'This submission was just amended by another request; reload it',
  placement_instrument_unique: 'The placement instrument was just set by someone else; try again',
};

/**
 * Runs one command in one transaction: the change, its observations and its outbox event commit
 * together or not at all. A unique index that catches a race becomes a CONFLICT, not a server error.
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
