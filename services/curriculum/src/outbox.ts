import { createOutbox } from '@medcollab/events';

/** The curriculum service's outbox: events are appended in the same transaction as the change. */
export const outbox = createOutbox('curriculum');

export type { EventMeta } from '@medcollab/kit';
