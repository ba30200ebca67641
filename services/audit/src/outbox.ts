import { createOutbox } from '@medcollab/events';

/** The audit service's outbox: chain checkpoints, appended in the same transaction as the checkpoint row. */
export const outbox = createOutbox('audit');
