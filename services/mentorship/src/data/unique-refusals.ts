import { type UniqueRefusals } from '@medcollab/kit';

/** Messages for the unique indexes a racing writer could still hit after our own checks. */
export const uniqueRefusals: UniqueRefusals = {
  mentor_profile_staff_id_key: 'This staff member already has a mentor profile',
  mentorship_mentee_pkey: 'The student is already a mentee of this mentorship',
};
