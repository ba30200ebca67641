import { runCommand as runKitCommand, type UniqueRefusals } from '@medcollab/kit';
import { type DataSource, type EntityManager } from 'typeorm';

/** Messages (and the field to name) for the unique indexes a racing writer could still hit after our own checks. */
const UNIQUE_MESSAGES: UniqueRefusals = {
  competency_framework_name_version_unique: { message: 'A framework with this name and version already exists', field: 'version' },
  competency_code_unique: { message: 'This framework already has a competency with this code', field: 'code' },
  program_title_unique: { message: 'This school already has a program with this title', field: 'title' },
  track_title_unique: { message: 'This program already has a track with this title', field: 'title' },
  curriculum_module_code_unique: { message: 'This program already has a module with this code', field: 'code' },
  enrollment_active_unique: { message: 'The student is already enrolled in this program', field: 'studentId' },
};

/** One command, one transaction; a unique index caught by a race becomes the refusal above (kit runCommand). */
export function runCommand<T>(dataSource: DataSource, work: (em: EntityManager) => Promise<T>): Promise<T> {
  return runKitCommand(dataSource, work, UNIQUE_MESSAGES);
}

/** Options the seed uses to make ids deterministic; the API always lets the service pick. */
export interface CreateOptions {
  id?: string;
}

/** Serialises writers of one parent (positions, uniqueness checks) for the rest of the transaction. */
export async function lockKey(em: EntityManager, scope: string, key: string): Promise<void> {
  await em.query(`SELECT pg_advisory_xact_lock(hashtext($1), hashtext($2))`, [`curriculum.${scope}`, key]);
}
