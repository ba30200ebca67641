import { type AppendOptions, createOutbox } from '@medcollab/events';

/** Rotations' outbox: placement events are appended in the same transaction as the change. */
export const outbox = createOutbox('rotations');

/** Who caused an event and in which request; recorded with every event. */
export type EventMeta = AppendOptions;
