import { createOutbox } from '@medcollab/events';

/** The mentorship service's outbox: events are appended in the same transaction as the change. */
export const outbox = createOutbox('mentorship');

export type { EventMeta } from '@medcollab/kit';
