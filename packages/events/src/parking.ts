import { type DataSource, type EntityManager } from 'typeorm';
import { NotFoundError } from '@medcollab/kit';
import { type EventJobData } from './contract';

/** A parked event as the admin view shows it. */
export interface ParkedEventRecord {
  eventId: string;
  source: string;
  eventType: string;
  aggregateType: string;
  aggregateId: string;
  error: string;
  attempts: number;
  parkedAt: Date;
  /** When an admin asked for a replay (null while it is simply parked). */
  replayedAt: Date | null;
  /** When the replay applied it. */
  appliedAt: Date | null;
}

const COLUMNS = `event_id AS "eventId", source, event_type AS "eventType", aggregate_type AS "aggregateType",
  aggregate_id AS "aggregateId", error, attempts, parked_at AS "parkedAt", replayed_at AS "replayedAt", applied_at AS "appliedAt"`;

/** A readable, bounded description of why an event failed (message and top of the stack). */
export function describeError(error: unknown): string {
  const text = error instanceof Error ? (error.stack ?? `${error.name}: ${error.message}`) : String(error);
  return text.slice(0, 4_000);
}

/**
 * Parks an event this service could not apply. Parking again (a redelivered copy failed too)
 * refreshes the error and clears any replay state: it is parked, full stop.
 */
export async function parkEvent(db: DataSource | EntityManager, data: EventJobData, error: unknown, attempts: number): Promise<void> {
  const e = data.envelope;
  await db.query(
    `INSERT INTO parked_event (event_id, source, event_type, aggregate_type, aggregate_id, envelope, previous_event_id, error, attempts)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
     ON CONFLICT (event_id) DO UPDATE
       SET error = EXCLUDED.error, attempts = EXCLUDED.attempts, envelope = EXCLUDED.envelope,
           previous_event_id = EXCLUDED.previous_event_id, parked_at = now(), replayed_at = NULL, applied_at = NULL`,
    [e.id, e.source, e.type, e.aggregateType, e.aggregateId, JSON.stringify(e), data.previousEventId, describeError(error), attempts],
  );
}

/**
 * Asks for a parked event to be applied again (after the cause was fixed). Only the database
 * is touched: the service's worker picks pending replays up within a second and applies them
 * through the same inbox transaction as any delivery, so a replay has one effect however often
 * it is asked for, and no request path ever waits on Redis. Asking again while a replay is
 * pending, or after it applied, changes nothing.
 */
export async function replayParked(dataSource: DataSource, eventId: string): Promise<ParkedEventRecord> {
  const [row] = (await dataSource.query(
    `UPDATE parked_event SET replayed_at = COALESCE(replayed_at, now()) WHERE event_id = $1 RETURNING ${COLUMNS}`,
    [eventId],
  )) as [ParkedEventRecord[], number];
  const record = row[0];
  if (!record) throw new NotFoundError('Parked event', eventId);
  return record;
}

/** The most recently parked events, newest first (replayed ones included, for the record). */
export async function listParked(db: DataSource | EntityManager, first: number): Promise<ParkedEventRecord[]> {
  return (await db.query(`SELECT ${COLUMNS} FROM parked_event ORDER BY parked_at DESC, event_id LIMIT $1`, [first])) as ParkedEventRecord[];
}

export async function findParked(db: DataSource | EntityManager, eventId: string): Promise<ParkedEventRecord | null> {
  const rows = (await db.query(`SELECT ${COLUMNS} FROM parked_event WHERE event_id = $1`, [eventId])) as ParkedEventRecord[];
  return rows[0] ?? null;
}
