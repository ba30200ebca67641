import { type UniqueRefusals } from '@medcollab/kit';

/** Messages for the unique indexes a racing writer could still hit after our own checks. */
export const uniqueRefusals: UniqueRefusals = {
  reminder_policy_pkey: 'The policy of this institution was changed at the same time; try again',
};
