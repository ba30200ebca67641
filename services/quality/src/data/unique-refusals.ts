import { type UniqueRefusals } from '@medcollab/kit';

/** Messages for the unique indexes a racing writer could still hit after our own checks (none yet). */
export const uniqueRefusals: UniqueRefusals = {};
