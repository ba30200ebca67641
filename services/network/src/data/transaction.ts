import { runCommand as runKitCommand, type UniqueRefusals } from '@medcollab/kit';
import { type DataSource, type EntityManager } from 'typeorm';

/** Messages for the unique indexes a racing writer could still hit after our own checks. */
const UNIQUE_MESSAGES: UniqueRefusals = {
  institution_name_unique: 'An institution with this name already exists',
  department_name_unique: 'This institution already has a department with this name',
  student_email_unique: 'A person with this email is already registered',
  staff_member_email_unique: 'A person with this email is already registered',
  institution_sourced_id_unique: 'Another institution already has this sourcedId',
  department_sourced_id_unique: 'Another department of this institution already has this sourcedId',
  student_sourced_id_unique: 'Another person of this institution already has this sourcedId',
  staff_member_sourced_id_unique: 'Another person of this institution already has this sourcedId',
};

/** One command, one transaction; a unique index caught by a race becomes the refusal above (kit runCommand). */
export function runCommand<T>(dataSource: DataSource, work: (em: EntityManager) => Promise<T>): Promise<T> {
  return runKitCommand(dataSource, work, UNIQUE_MESSAGES);
}
