import { ConflictError } from '@medcollab/kit';
import { type DataSource, type EntityManager } from 'typeorm';
import { refusal } from '../domain/refusals';

const UNIQUE_VIOLATION = '23505';

/** The unique indexes a racing writer could still hit after our own checks, as the refusal a client reads. */
const UNIQUE_REFUSALS: Record<string, () => Error> = {
  placement_student_block_live: () => refusal('ALREADY_PLACED_IN_BLOCK', 'The student already has a placement in this block'),
  rotation_block_name_unique: () => new ConflictError('The school already has a block with this name in this academic year'),
  rotation_requirement_unique: () => new ConflictError('This requirement was just set by someone else; try again'),
};

/**
 * Runs one command in one transaction: the change, its audit rows and its outbox event commit
 * together or not at all. A unique index that catches a race becomes the refusal the checks
 * would have given, not a server error.
 */
export async function runCommand<T>(dataSource: DataSource, work: (em: EntityManager) => Promise<T>): Promise<T> {
  try {
    return await dataSource.transaction(work);
  } catch (error) {
    const { code, constraint } = error as { code?: string; constraint?: string };
    if (code === UNIQUE_VIOLATION) throw (UNIQUE_REFUSALS[constraint ?? ''] ?? (() => new ConflictError('This record already exists')))();
    throw error;
  }
}
