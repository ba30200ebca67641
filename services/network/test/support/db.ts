import { type DataSource } from 'typeorm';

const TABLES = [
  'institution',
  'department',
  'student',
  'staff_member',
  'collaboration_agreement',
  'agreement_department',
  'outbox',
] as const;
export type RowCounts = Record<(typeof TABLES)[number], number>;

/**
 * Rows per table: "nothing was written" means these did not change. The outbox counts domain
 * events only: every request also records its reads of student records (AuditRecorded, ADR 0008),
 * and every roster upload queues its import (RosterImportQueued, ADR 0026).
 */
export async function rowCounts(ds: DataSource): Promise<RowCounts> {
  const count = (t: string) =>
    t === 'outbox'
      ? `(SELECT count(*)::int FROM outbox WHERE event_type NOT IN ('AuditRecorded', 'RosterImportQueued'))`
      : `(SELECT count(*)::int FROM ${t})`;
  const [row] = await ds.query(`SELECT ${TABLES.map((t) => `${count(t)} AS ${t}`).join(', ')}`);
  return row as RowCounts;
}

export interface OutboxRow {
  event_type: string;
  aggregate_id: string;
  payload: Record<string, unknown>;
  metadata: { requestId?: string; actorId?: string };
}

export async function outboxEvents(ds: DataSource, eventType?: string): Promise<OutboxRow[]> {
  return ds.query(
    `SELECT event_type, aggregate_id, payload, metadata FROM outbox ${eventType ? 'WHERE event_type = $1' : ''} ORDER BY position`,
    eventType ? [eventType] : [],
  );
}
