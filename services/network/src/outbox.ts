import { createOutbox } from '@medcollab/events';

/** The network service's outbox: events are appended in the same transaction as the change. */
export const outbox = createOutbox('network');

export type { EventMeta } from '@medcollab/kit';
