import { type JobType, type Queue } from 'bullmq';
import { bullmq } from './bullmq';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { type DataSource } from 'typeorm';
import { BoundedLabel, createMetricsRegistry, observeDataSourcePool } from '@medcollab/kit';
import { type JobOutcome } from './consumer';
import { type EventEnvelope } from './contract';
import { bullConnection } from './redis';
import { withTimeout } from './timeout';

/** A scrape never waits longer than this on PostgreSQL or Redis; a series it cannot read is left out. */
const COLLECT_TIMEOUT_MS = 2_000;

/** Seconds from an event's commit to its effect: a healthy pipeline stays well under a second. */
export const LAG_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600];

/** The BullMQ job states reported per queue, as Prometheus `state` labels. */
const QUEUE_STATES = { wait: 'waiting', delayed: 'delayed', active: 'active', failed: 'failed' } as const;

/** The queues whose depth a registry reports, and its `medcollab_queue_jobs` gauge. */
const observedQueues = new WeakMap<Registry, Map<string, () => Pick<Queue, 'getJobCounts'>>>();

/**
 * Reports a BullMQ queue's jobs by state (waiting, delayed, active, failed) on `registry` as
 * `medcollab_queue_jobs{queue,state}`, read at each scrape: the consumed events queue, and the
 * queues a worker's tasks own (reminders, quality snapshots), all on the one gauge. The queue is
 * the caller's (`queue` may open it lazily); the returned function stops reporting it.
 */
export function observeQueueJobs(registry: Registry, name: string, queue: () => Pick<Queue, 'getJobCounts'>): () => void {
  let queues = observedQueues.get(registry);
  if (!queues) {
    const observed = (queues = new Map<string, () => Pick<Queue, 'getJobCounts'>>());
    observedQueues.set(registry, observed);
    new Gauge({
      name: 'medcollab_queue_jobs',
      help: 'Jobs of the BullMQ queues this worker consumes or runs, by queue and state (waiting, delayed, active, failed)',
      labelNames: ['queue', 'state'],
      registers: [registry],
      async collect() {
        this.reset();
        await Promise.all(
          [...observed].map(async ([queueName, open]) => {
            const counts = await withTimeout(
              open().getJobCounts(...(Object.keys(QUEUE_STATES) as JobType[])),
              COLLECT_TIMEOUT_MS,
              'queue counts',
            ).catch(() => undefined);
            if (!counts) return;
            for (const [bull, state] of Object.entries(QUEUE_STATES)) this.set({ queue: queueName, state }, counts[bull] ?? 0);
          }),
        );
      },
    });
  }
  const observing = queues;
  observing.set(name, queue);
  return () => void observing.delete(name);
}

export interface WorkerMetricsOptions {
  service: string;
  dataSource: DataSource;
  /** Reports the outbox backlog (the worker relays this service's outbox). */
  producer: boolean;
  /** The queue the worker consumes, for its depth (none when it consumes nothing). */
  consumerQueue?: { name: string; redisUrl: string; prefix: string };
}

export interface WorkerMetrics {
  registry: Registry;
  /** Records a consumed job's outcome and, when it took effect, the time since the event was committed. */
  consumed(outcome: JobOutcome | 'retry', envelope: EventEnvelope): void;
  close(): Promise<void>;
}

/**
 * Metrics of a worker process, served on its health port at /metrics: outbox backlog, parked
 * events, commit-to-consume lag, queue depth by state, and the PostgreSQL pool.
 */
export function createWorkerMetrics(opts: WorkerMetricsOptions): WorkerMetrics {
  const registry = createMetricsRegistry(`${opts.service}-worker`);
  const eventTypes = new BoundedLabel(100);
  const query = async (sql: string): Promise<number> => {
    const rows = (await withTimeout(opts.dataSource.query(sql), COLLECT_TIMEOUT_MS, 'metrics query')) as { n: string | number | null }[];
    return Number(rows[0]?.n ?? 0);
  };
  /** A gauge read at scrape time; when the read fails the series is absent rather than stale. */
  const sampled = (name: string, help: string, read: () => Promise<number>) =>
    new Gauge({
      name,
      help,
      registers: [registry],
      async collect() {
        this.reset();
        const value = await read().catch(() => undefined);
        if (value !== undefined) this.set(value);
      },
    });

  observeDataSourcePool(registry, opts.dataSource);
  if (opts.producer) {
    sampled('medcollab_outbox_unpublished_deliveries', 'Outbox deliveries committed but not yet published to their queue', () =>
      query('SELECT count(*) AS n FROM outbox_delivery WHERE published_at IS NULL'),
    );
    sampled('medcollab_outbox_oldest_unpublished_age_seconds', 'Age of the oldest outbox event not yet published (0 when none)', () =>
      query(`SELECT COALESCE(EXTRACT(EPOCH FROM now() - min(o.occurred_at)), 0) AS n
             FROM outbox_delivery d JOIN outbox o ON o.id = d.event_id WHERE d.published_at IS NULL`),
    );
  }
  sampled('medcollab_events_parked', 'Events this service could not apply, waiting for an operator (replay or fix)', () =>
    query('SELECT count(*) AS n FROM parked_event WHERE applied_at IS NULL'),
  );

  let queue: Queue | undefined;
  const consumerQueue = opts.consumerQueue;
  if (consumerQueue) {
    // Opened at the first scrape: a worker nobody scrapes keeps no extra Redis connection.
    observeQueueJobs(registry, consumerQueue.name, () => {
      if (!queue) {
        queue = new (bullmq().Queue)(consumerQueue.name, {
          connection: bullConnection(consumerQueue.redisUrl),
          prefix: consumerQueue.prefix,
        });
        queue.on('error', () => undefined);
      }
      return queue;
    });
  }

  const consumed = new Counter({
    name: 'medcollab_events_consumed_total',
    help: 'Event jobs this worker finished, by event type and outcome (applied, duplicate, parked, retry)',
    labelNames: ['event_type', 'outcome'],
    registers: [registry],
  });
  const lag = new Histogram({
    name: 'medcollab_event_consume_lag_seconds',
    help: "Seconds from an event's commit in its producer to its effect's commit here",
    labelNames: ['event_type'],
    buckets: LAG_BUCKETS,
    registers: [registry],
  });

  return {
    registry,
    consumed(outcome, envelope) {
      const eventType = eventTypes.of(envelope.type, 'unknown');
      consumed.inc({ event_type: eventType, outcome });
      const committed = Date.parse(envelope.occurredAt);
      if (outcome === 'applied' && Number.isFinite(committed))
        lag.observe({ event_type: eventType }, Math.max(0, (Date.now() - committed) / 1000));
    },
    async close() {
      await queue?.close().catch(() => queue?.disconnect());
    },
  };
}
