import { type DataSource } from 'typeorm';
import { type Logger } from '@medcollab/kit';
import { startLoop, type Loop } from './loop';
import { type EventQueues } from './queues';
import { eventJobId } from './routes';
import { withTimeout } from './timeout';

export interface SweeperSettings {
  intervalMs: number;
  /** Published, unconsumed deliveries checked against Redis per pass (a cursor walks them all). */
  batchSize: number;
  /** A delivery published this long ago whose job is not in Redis is published again. */
  missingAfterMs: number;
  /** Unpublished deliveries older than this are reported (log + admin view). */
  staleUnpublishedMs: number;
  /** Consumed events older than this leave the outbox (the last one of each aggregate stays). */
  retentionDays: number;
  retentionIntervalMs: number;
  /** Upper bound on one pass's Redis reads. */
  redisTimeoutMs: number;
}

export const DEFAULT_SWEEPER_SETTINGS: SweeperSettings = {
  intervalMs: 5_000,
  batchSize: 1_000,
  missingAfterMs: 30_000,
  staleUnpublishedMs: 60_000,
  retentionDays: 7,
  retentionIntervalMs: 3_600_000,
  redisTimeoutMs: 10_000,
};

export interface SweepResult {
  checked: number;
  consumed: number;
  republished: number;
  retried: number;
}

export interface Sweeper {
  sweep(): Promise<SweepResult>;
  /** Deletes consumed events past retention; returns how many. */
  purge(): Promise<number>;
  start(): Loop;
}

export interface SweeperDeps {
  dataSource: DataSource;
  queues: EventQueues;
  log: Logger;
  settings?: Partial<SweeperSettings>;
  /** Called when deliveries were put back for the relay (wake it instead of waiting a poll). */
  onRepublish?: () => void;
}

interface UnconsumedRow {
  event_id: string;
  consumer: string;
  cursor_at: string;
  overdue: boolean;
}

type Key = { event_id: string; consumer: string };
const keyArrays = (rows: Key[]) => [rows.map((r) => r.event_id), rows.map((r) => r.consumer)];

/**
 * The producer's safety net. Consumers keep completed jobs for a while; the sweeper reads each
 * published delivery's job state and marks `consumed_at` from `completed`. A job that Redis
 * no longer has (data lost, failover) is put back to unpublished so the relay sends it again;
 * the consumer's inbox makes the second copy harmless. A job that BullMQ failed (stalled too
 * often) is retried.
 */
export function createSweeper(deps: SweeperDeps): Sweeper {
  const settings = { ...DEFAULT_SWEEPER_SETTINGS, ...deps.settings };
  const { dataSource, queues, log } = deps;
  let cursor: { at: string; eventId: string; consumer: string } | null = null;
  let lastPurge = 0;

  async function jobStates(rows: UnconsumedRow[]): Promise<string[]> {
    return withTimeout(
      Promise.all(rows.map((r) => queues.get(r.consumer).getJobState(eventJobId(r.event_id, r.consumer)))),
      settings.redisTimeoutMs,
      'reading event job states',
    );
  }

  async function sweep(): Promise<SweepResult> {
    const rows = (await dataSource.query(
      `SELECT event_id, consumer, published_at::text AS cursor_at,
              published_at < now() - $4::int * interval '1 millisecond' AS overdue
         FROM outbox_delivery
        WHERE published_at IS NOT NULL AND consumed_at IS NULL
          AND ($1::timestamptz IS NULL OR (published_at, event_id, consumer) > ($1::timestamptz, $2::uuid, $3::text))
        ORDER BY published_at, event_id, consumer
        LIMIT $5`,
      [cursor?.at ?? null, cursor?.eventId ?? null, cursor?.consumer ?? null, settings.missingAfterMs, settings.batchSize],
    )) as UnconsumedRow[];
    const last = rows.at(-1);
    cursor = rows.length === settings.batchSize && last ? { at: last.cursor_at, eventId: last.event_id, consumer: last.consumer } : null;

    const states = await jobStates(rows);
    const consumed: UnconsumedRow[] = [];
    const missing: UnconsumedRow[] = [];
    const failed: UnconsumedRow[] = [];
    rows.forEach((row, i) => {
      const state = states[i];
      if (state === 'completed') consumed.push(row);
      else if (state === 'unknown' && row.overdue) missing.push(row);
      else if (state === 'failed') failed.push(row);
    });

    if (consumed.length) {
      await dataSource.query(
        `UPDATE outbox_delivery d SET consumed_at = now()
           FROM unnest($1::uuid[], $2::text[]) AS u(event_id, consumer)
          WHERE d.event_id = u.event_id AND d.consumer = u.consumer AND d.consumed_at IS NULL`,
        keyArrays(consumed),
      );
    }
    if (missing.length) {
      await dataSource.query(
        `UPDATE outbox_delivery d
            SET published_at = NULL, next_attempt_at = now(), last_error = 'job missing from Redis; republished by the sweeper'
           FROM unnest($1::uuid[], $2::text[]) AS u(event_id, consumer)
          WHERE d.event_id = u.event_id AND d.consumer = u.consumer AND d.consumed_at IS NULL AND d.published_at IS NOT NULL`,
        keyArrays(missing),
      );
      log.warn({ count: missing.length }, 'event jobs missing from Redis; republishing');
      deps.onRepublish?.();
    }
    for (const row of failed) {
      // Only BullMQ itself fails our jobs (stalled more than maxStalledCount); consumers park instead.
      const job = await queues.get(row.consumer).getJob(eventJobId(row.event_id, row.consumer));
      await job?.retry('failed');
      log.warn({ eventId: row.event_id, consumer: row.consumer, reason: job?.failedReason }, 'failed event job retried');
    }
    await reportStaleUnpublished();
    if (Date.now() - lastPurge >= settings.retentionIntervalMs) {
      lastPurge = Date.now();
      await purge();
    }
    return { checked: rows.length, consumed: consumed.length, republished: missing.length, retried: failed.length };
  }

  async function reportStaleUnpublished(): Promise<void> {
    const [stale] = (await dataSource.query(
      `SELECT count(*)::int AS count, extract(epoch FROM now() - min(o.occurred_at))::int AS age
         FROM outbox_delivery d JOIN outbox o ON o.id = d.event_id
        WHERE d.published_at IS NULL AND o.occurred_at < now() - $1::int * interval '1 millisecond'`,
      [settings.staleUnpublishedMs],
    )) as { count: number; age: number | null }[];
    if (stale?.count) log.warn({ count: stale.count, oldestAgeSeconds: stale.age }, 'event deliveries are waiting to be published');
  }

  async function purge(): Promise<number> {
    const [, count] = (await dataSource.query(
      `DELETE FROM outbox WHERE id IN (
         SELECT o.id FROM outbox o
          WHERE o.occurred_at < now() - $1::int * interval '1 day'
            AND NOT EXISTS (SELECT 1 FROM outbox_delivery d WHERE d.event_id = o.id AND d.consumed_at IS NULL)
            -- keep each aggregate's latest event: the next sequence number is computed from it
            AND EXISTS (SELECT 1 FROM outbox n WHERE n.aggregate_type = o.aggregate_type
                          AND n.aggregate_id = o.aggregate_id AND n.sequence > o.sequence)
          ORDER BY o.position LIMIT 1000)`,
      [settings.retentionDays],
    )) as [unknown, number];
    if (count) log.info({ count }, 'consumed events purged from the outbox');
    return count;
  }

  return {
    sweep,
    purge,
    start: () =>
      startLoop({
        name: 'sweeper',
        log,
        intervalMs: settings.intervalMs,
        run: async () => (await sweep()).checked >= settings.batchSize,
      }),
  };
}
