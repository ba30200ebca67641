import { type AppendOptions, createOutbox } from '@medcollab/events';

/** Assessment's outbox: AssessmentSubmitted is appended in the same transaction as the submission. */
export const outbox = createOutbox('assessment');

/** Who caused an event and in which request; recorded with every event. */
export type EventMeta = AppendOptions;
