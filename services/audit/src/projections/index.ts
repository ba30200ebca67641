import { type EVENT_CONTRACTS, type Handlers } from '@medcollab/events';
import { appendBatch } from '../data/append';

/** The consumer's handlers (src/worker.ts): every service's AuditRecorded batches, chained per institution. */
export function auditEventHandlers(): Handlers<typeof EVENT_CONTRACTS> {
  return { AuditRecorded: (em, envelope) => appendBatch(em, envelope) };
}
