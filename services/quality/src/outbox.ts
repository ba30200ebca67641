import { createOutbox } from '@medcollab/events';

/** The quality service's outbox: events are appended in the same transaction as the change. */
export const outbox = createOutbox('quality');

export type { EventMeta } from '@medcollab/kit';
