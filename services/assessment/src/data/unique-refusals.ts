import { type UniqueRefusals } from '@medcollab/kit';

/** The unique indexes a racing writer could still hit after our own checks, as the refusal a client reads. */
export const uniqueRefusals: UniqueRefusals = {
  submission_task_id_key: 'This task was just answered by another request; reload it',
  submission_amendment_pkey: 'This submission was just amended by another request; reload it',
  placement_instrument_unique: 'The placement instrument was just set by someone else; try again',
};
