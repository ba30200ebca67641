import { type UniqueRefusals } from '@medcollab/kit';

/** Messages for the unique indexes a racing writer could still hit after our own checks. */
export const uniqueRefusals: UniqueRefusals = {
  institution_name_unique: 'An institution with this name already exists',
  department_name_unique: 'This institution already has a department with this name',
  student_email_unique: 'A person with this email is already registered',
  staff_member_email_unique: 'A person with this email is already registered',
  institution_sourced_id_unique: 'Another institution already has this sourcedId',
  department_sourced_id_unique: 'Another department of this institution already has this sourcedId',
  student_sourced_id_unique: 'Another person of this institution already has this sourcedId',
  staff_member_sourced_id_unique: 'Another person of this institution already has this sourcedId',
};
