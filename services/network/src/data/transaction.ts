import { ConflictError } from '@medcollab/kit';
import { type DataSource, type EntityManager } from 'typeorm';

const UNIQUE_VIOLATION = '23505';

/** Messages for the unique indexes a racing writer could still hit after our own checks. */
const UNIQUE_MESSAGES: Record<string, string> = {
  institution_name_unique: 'An institution with this name already exists',
  department_name_unique: 'This institution already has a department with this name',
  student_email_unique: 'A person with this email is already registered',
  staff_member_email_unique: 'A person with this email is already registered',
};

/**
 * Runs one command in one transaction: the change and its outbox event commit together or
 * not at all. A unique index that catches a race becomes a CONFLICT, not a server error.
 */
export async function runCommand<T>(dataSource: DataSource, work: (em: EntityManager) => Promise<T>): Promise<T> {
  try {
    return await dataSource.transaction(work);
  } catch (error) {
    const { code, constraint } = error as { code?: string; constraint?: string };
    if (code === UNIQUE_VIOLATION) {
      throw new ConflictError(UNIQUE_MESSAGES[constraint ?? ''] ?? 'This record already exists');
    }
    throw error;
  }
}
