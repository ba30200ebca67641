import { runCommand as runKitCommand, type UniqueRefusals } from '@medcollab/kit';
import { type DataSource, type EntityManager } from 'typeorm';

/** Messages for the unique indexes a racing writer could still hit after our own checks. */
const UNIQUE_MESSAGES: UniqueRefusals = {
  mentor_profile_staff_id_key: 'This staff member already has a mentor profile',
  mentorship_mentee_pkey: 'The student is already a mentee of this mentorship',
};

/** One command, one transaction; a unique index caught by a race becomes the refusal above (kit runCommand). */
export function runCommand<T>(dataSource: DataSource, work: (em: EntityManager) => Promise<T>): Promise<T> {
  return runKitCommand(dataSource, work, UNIQUE_MESSAGES);
}
