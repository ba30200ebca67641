import { randomUUID } from 'node:crypto';
import { type AuditBatch, type AuditSink } from '@medcollab/kit';
import { type DataSource, type EntityManager } from 'typeorm';
import { parsePayload, type PayloadOf } from './contract';
import { AuditRecorded, isAuditBatchHeader, isAuditEntry } from './contracts/audit';
import { consumersOf, ROUTES, type Routes } from './routes';
import { currentTraceCarrier } from './trace-context';

/**
 * The event and its deliveries in ONE statement: a batch is its own aggregate (a fresh id, so
 * sequence 1 and no predecessor), which lets a read-only request pay exactly one INSERT and no
 * transaction for its audit trail (ADR 0008 §2). A single statement is atomic on its own.
 */
const INSERT_BATCH = `
  WITH e AS (
    INSERT INTO outbox (id, event_type, event_version, aggregate_type, aggregate_id, sequence, payload, metadata)
    VALUES ($1::uuid, $2, $3, $4, $8::text, 1, $5, $6)
    RETURNING id)
  INSERT INTO outbox_delivery (event_id, consumer, previous_event_id)
  SELECT e.id, c.consumer, NULL FROM e CROSS JOIN unnest($7::text[]) AS c(consumer)`;

/**
 * The batch as the contract requires it, checked without zod on every request's path
 * (`isAuditBatchHeader`, `isAuditEntry`: the schema's rules, ADR 0028); a batch that fails is
 * parsed by zod in full, whose error names what is wrong.
 */
function checkedPayload(batch: AuditBatch): PayloadOf<typeof AuditRecorded> {
  const head = {
    requestId: batch.requestId,
    operation: batch.operation,
    actor: { personId: batch.actor.personId, institutionId: batch.actor.institutionId, roles: batch.actor.roles },
    at: batch.at,
  };
  if (batch.entries.length > 0 && isAuditBatchHeader(head) && batch.entries.every(isAuditEntry))
    return { ...head, entries: batch.entries } as PayloadOf<typeof AuditRecorded>;
  return parsePayload(AuditRecorded, batch);
}

async function insertBatch(run: (sql: string, params: unknown[]) => Promise<unknown>, batch: AuditBatch, routes: Routes): Promise<void> {
  const payload = checkedPayload(batch);
  const id = randomUUID();
  await run(INSERT_BATCH, [
    id,
    AuditRecorded.name,
    AuditRecorded.version,
    AuditRecorded.aggregateType,
    JSON.stringify(payload),
    JSON.stringify({ requestId: batch.requestId, actorId: batch.actor.personId, ...currentTraceCarrier() }),
    [...consumersOf(routes, AuditRecorded.name)],
    id,
  ]);
}

/** The audit sink of a producing service: its batches become AuditRecorded events in its own outbox. */
export function auditSink(routes: Routes = ROUTES): AuditSink {
  return {
    writeReads: (ds: DataSource, batch) => insertBatch((sql, params) => ds.query(sql, params), batch, routes),
    appendChanges: (em: EntityManager, batch) => {
      if (!em.queryRunner?.isTransactionActive) throw new Error('Audited changes must be written inside the command transaction');
      return insertBatch((sql, params) => em.query(sql, params), batch, routes);
    },
  };
}
