import { type JobsOptions } from 'bullmq';
import { type DataSource } from 'typeorm';
import { type Logger } from '@medcollab/kit';
import { backoffDelay, type BackoffPolicy } from './backoff';
import { type EventEnvelope, type EventJobData } from './contract';
import { logError } from './log-error';
import { startLoop, type Loop } from './loop';
import { type EventQueues } from './queues';
import { eventJobId } from './routes';
import { withTimeout } from './timeout';

/** Name of the retry strategy every consumer worker registers (`settings.backoffStrategy`). */
export const EVENT_BACKOFF = 'medcollab-event';
/**
 * BullMQ's own attempt limit is set out of reach: the consumer decides when to park an event
 * (after its own N attempts, never on a transient error), and then completes the job.
 */
export const JOB_ATTEMPTS = 1_000_000;

export interface RelaySettings {
  /** Deliveries claimed and published per pass (one `addBulk` per consumer queue). */
  batchSize: number;
  /** Pause between passes while the outbox is empty. */
  pollIntervalMs: number;
  /** A publish that takes longer counts as failed (it is retried; the job id dedupes). */
  publishTimeoutMs: number;
  /** Delay before a delivery whose publish failed is tried again. */
  backoff: BackoffPolicy;
  /**
   * How long consumed jobs stay in Redis: the producer's sweeper reads `completed` there to
   * mark deliveries consumed, so this must be well above the sweep interval.
   */
  keepCompletedSeconds: number;
  keepCompletedCount: number;
}

export const DEFAULT_RELAY_SETTINGS: RelaySettings = {
  batchSize: 500,
  pollIntervalMs: 250,
  publishTimeoutMs: 5_000,
  backoff: { baseMs: 500, maxMs: 60_000 },
  keepCompletedSeconds: 3_600,
  keepCompletedCount: 100_000,
};

/** An outbox_delivery row joined with its outbox event, as the relay claims it. */
export interface DeliveryRow {
  event_id: string;
  consumer: string;
  previous_event_id: string | null;
  publish_attempts: number;
  position: string;
  event_type: string;
  event_version: number;
  aggregate_type: string;
  aggregate_id: string;
  sequence: number;
  payload: unknown;
  metadata: EventEnvelope['metadata'];
  occurred_at: Date;
}

export const DELIVERY_COLUMNS = `d.event_id, d.consumer, d.previous_event_id, d.publish_attempts, o.position, o.event_type,
  o.event_version, o.aggregate_type, o.aggregate_id, o.sequence, o.payload, o.metadata, o.occurred_at`;

export function envelopeOf(source: string, row: DeliveryRow): EventEnvelope {
  return {
    id: row.event_id,
    type: row.event_type,
    version: row.event_version,
    source,
    aggregateType: row.aggregate_type,
    aggregateId: row.aggregate_id,
    sequence: row.sequence,
    occurredAt: new Date(row.occurred_at).toISOString(),
    payload: row.payload,
    metadata: row.metadata ?? {},
  };
}

/** The BullMQ job of one delivery: deterministic id, consumer-driven retries, kept when done. */
export function deliveryJob(
  source: string,
  row: DeliveryRow,
  settings: Pick<RelaySettings, 'keepCompletedSeconds' | 'keepCompletedCount'>,
) {
  const opts: JobsOptions = {
    jobId: eventJobId(row.event_id, row.consumer),
    attempts: JOB_ATTEMPTS,
    backoff: { type: EVENT_BACKOFF },
    removeOnComplete: { age: settings.keepCompletedSeconds, count: settings.keepCompletedCount },
  };
  const data: EventJobData = { envelope: envelopeOf(source, row), previousEventId: row.previous_event_id };
  return { name: row.event_type, data, opts };
}

const byPosition = (a: DeliveryRow, b: DeliveryRow) => (BigInt(a.position) < BigInt(b.position) ? -1 : 1);

export interface Relay {
  /** One pass: claims due deliveries, publishes them, records the outcome. Returns how many it claimed. */
  publishBatch(): Promise<number>;
  start(): Loop;
}

export interface RelayDeps {
  /** The producing service (envelope `source`). */
  source: string;
  dataSource: DataSource;
  queues: EventQueues;
  log: Logger;
  settings?: Partial<RelaySettings>;
}

/**
 * Publishes the outbox: claims due deliveries with `FOR UPDATE SKIP LOCKED` (several relays
 * share the work), `addBulk`s them per consumer queue, and marks them published, or schedules
 * a retry with backoff, in the same transaction that holds the claim.
 */
export function createRelay(deps: RelayDeps): Relay {
  const settings = { ...DEFAULT_RELAY_SETTINGS, ...deps.settings };
  const { dataSource, queues, log, source } = deps;

  async function publishBatch(): Promise<number> {
    return dataSource.transaction(async (em) => {
      const rows = (await em.query(
        `SELECT ${DELIVERY_COLUMNS}
           FROM outbox_delivery d JOIN outbox o ON o.id = d.event_id
          WHERE d.published_at IS NULL AND d.next_attempt_at <= now()
          ORDER BY d.next_attempt_at
          LIMIT $1
          FOR UPDATE OF d SKIP LOCKED`,
        [settings.batchSize],
      )) as DeliveryRow[];
      if (!rows.length) return 0;

      const groups = new Map<string, DeliveryRow[]>();
      for (const row of rows) {
        const group = groups.get(row.consumer);
        if (group) group.push(row);
        else groups.set(row.consumer, [row]);
      }
      const published: DeliveryRow[] = [];
      const failed: { row: DeliveryRow; error: string }[] = [];
      await Promise.all(
        [...groups].map(async ([consumer, group]) => {
          // Outbox order within the batch, so one aggregate's events usually arrive in sequence.
          group.sort(byPosition);
          try {
            const jobs = group.map((row) => deliveryJob(source, row, settings));
            await withTimeout(queues.get(consumer).addBulk(jobs), settings.publishTimeoutMs, `publishing to events.${consumer}`);
            published.push(...group);
          } catch (error) {
            log.warn({ err: logError(error), consumer, count: group.length }, 'event publish failed; will retry');
            failed.push(...group.map((row) => ({ row, error: (error as Error).message ?? String(error) })));
          }
        }),
      );

      if (published.length) {
        await em.query(
          `UPDATE outbox_delivery d
              SET published_at = now(), publish_attempts = d.publish_attempts + 1, last_error = NULL
             FROM unnest($1::uuid[], $2::text[]) AS u(event_id, consumer)
            WHERE d.event_id = u.event_id AND d.consumer = u.consumer`,
          [published.map((r) => r.event_id), published.map((r) => r.consumer)],
        );
      }
      if (failed.length) {
        await em.query(
          `UPDATE outbox_delivery d
              SET publish_attempts = d.publish_attempts + 1, last_error = u.error,
                  next_attempt_at = now() + u.delay_ms * interval '1 millisecond'
             FROM unnest($1::uuid[], $2::text[], $3::int[], $4::text[]) AS u(event_id, consumer, delay_ms, error)
            WHERE d.event_id = u.event_id AND d.consumer = u.consumer`,
          [
            failed.map((f) => f.row.event_id),
            failed.map((f) => f.row.consumer),
            failed.map((f) => backoffDelay(f.row.publish_attempts + 1, settings.backoff)),
            failed.map((f) => f.error.slice(0, 2_000)),
          ],
        );
      }
      if (published.length) log.debug({ published: published.length }, 'events published');
      return rows.length;
    });
  }

  return {
    publishBatch,
    start: () =>
      startLoop({
        name: 'relay',
        log,
        intervalMs: settings.pollIntervalMs,
        run: async () => (await publishBatch()) >= settings.batchSize,
      }),
  };
}
