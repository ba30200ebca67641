import { createOutbox } from '@medcollab/events';

/** The rotations service's outbox: events are appended in the same transaction as the change. */
export const outbox = createOutbox('rotations');

export type { EventMeta } from '@medcollab/kit';
