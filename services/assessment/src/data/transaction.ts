import { runCommand as runKitCommand, type UniqueRefusals } from '@medcollab/kit';
import { type DataSource, type EntityManager } from 'typeorm';

/** The unique indexes a racing writer could still hit after our own checks, as the refusal a client reads. */
const UNIQUE_MESSAGES: UniqueRefusals = {
  submission_task_id_key: 'This task was just answered by another request; reload it',
  submission_amendment_pkey: 'This submission was just amended by another request; reload it',
  placement_instrument_unique: 'The placement instrument was just set by someone else; try again',
};

/** One command, one transaction; a unique index caught by a race becomes the refusal above (kit runCommand). */
export function runCommand<T>(dataSource: DataSource, work: (em: EntityManager) => Promise<T>): Promise<T> {
  return runKitCommand(dataSource, work, UNIQUE_MESSAGES);
}
