import { type UniqueRefusals } from '@medcollab/kit';

/** Messages for the unique indexes a racing writer could still hit after our own checks. */
export const uniqueRefusals: UniqueRefusals = {
  institution_name_unique: 'An institution with this name already exists',
  department_name_unique: 'This institution already has a department with this name',
  student_email_unique: 'A person with this email is already registered',
  staff_member_email_unique: 'A person with this email is already registered',
};
