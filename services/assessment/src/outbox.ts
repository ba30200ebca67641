import { createOutbox } from '@medcollab/events';

/** The assessment service's outbox: events are appended in the same transaction as the change. */
export const outbox = createOutbox('assessment');

export type { EventMeta } from '@medcollab/kit';
