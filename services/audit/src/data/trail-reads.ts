import { randomUUID } from 'node:crypto';
import { type AuditBatch, type AuditSink } from '@medcollab/kit';
import { type DataSource, type EntityManager } from 'typeorm';
import { appendBatch } from './append';

/**
 * Reading the audit trail is itself audited (ADR 0008 §7). The audit service is the store, so
 * its own entries are appended straight to the chains (in one transaction, before the answer
 * goes out) rather than sent through an outbox back to itself.
 */
const append = (em: EntityManager, batch: AuditBatch) => appendBatch(em, { id: randomUUID(), source: 'audit', payload: batch });

/** The kit's sink for the audit subgraph: `ctx.audit` of its resolvers ends up in the chains. */
export const storeSink: AuditSink = {
  writeReads: (ds: DataSource, batch) => ds.transaction((em) => append(em, batch)),
  appendChanges: (em: EntityManager, batch) => append(em, batch),
};

/** The record a read of the trail names: the institution's trail, as far as it concerns one student. */
export const TRAIL_RECORD = 'AuditTrail';

/** Appends, for each student whose entries a CSV export showed, that the caller exported them. */
export async function recordExport(
  ds: DataSource,
  batch: Omit<AuditBatch, 'entries'>,
  institutionId: string,
  studentIds: Iterable<string>,
): Promise<void> {
  const entries = [...new Set(studentIds)].sort().map((studentId) => ({
    action: 'READ' as const,
    recordType: TRAIL_RECORD,
    recordId: institutionId,
    studentId,
    schoolId: institutionId,
    fields: ['csvExport'],
    change: null,
    reason: null,
  }));
  if (entries.length) await ds.transaction((em) => append(em, { ...batch, entries }));
}
