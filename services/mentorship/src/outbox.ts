import { type AppendOptions, createOutbox } from '@medcollab/events';

/** Mentorship's outbox: events are appended in the same transaction as the change. */
export const outbox = createOutbox('mentorship');

/** Who caused an event and in which request; recorded with every event. */
export type EventMeta = AppendOptions;
