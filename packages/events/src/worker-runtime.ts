import { createServer, type Server } from 'node:http';
import { type EventEmitter } from 'node:events';
import { type Job, type Worker } from 'bullmq';
import { bullmq } from './bullmq';
import express from 'express';
import { type DataSource } from 'typeorm';
import { type Registry } from 'prom-client';
import { closeServer, createLogger, createRedis, listen, type Logger, metricsHandler, mountHealth } from '@medcollab/kit';
import { backoffDelay } from './backoff';
import { type Consumer, type JobOutcome } from './consumer';
import { type EventJobData } from './contract';
import { logError } from './log-error';
import { startLoop, type Loop } from './loop';
import { createWorkerMetrics } from './metrics';
import { EventQueues } from './queues';
import { bullConnection, checkRedisEvictionPolicy } from './redis';
import { reconcileRoutes } from './reconcile';
import { createRelay, type Relay, type RelaySettings } from './relay';
import { ROUTES, type Routes } from './routes';
import { createSweeper, type Sweeper, type SweeperSettings } from './sweeper';
import { inConsumeSpan } from './trace-context';

export interface WorkerSettings {
  /** Jobs one worker process runs at once. */
  concurrency: number;
  /** A job's lock; a killed worker's jobs come back about this long after it died. */
  lockDurationMs: number;
  /** How often live workers look for jobs whose lock expired. */
  stalledIntervalMs: number;
  /** Stalls a job may survive before BullMQ fails it (the sweeper then retries it). */
  maxStalledCount: number;
  /** How often pending replays of parked events are looked for. */
  replayIntervalMs: number;
}

export const DEFAULT_WORKER_SETTINGS: WorkerSettings = {
  concurrency: 8,
  lockDurationMs: 10_000,
  stalledIntervalMs: 5_000,
  maxStalledCount: 3,
  replayIntervalMs: 1_000,
};

export const DEFAULT_EVENTS_PREFIX = 'medcollab';

export interface WorkerRuntimeOptions {
  service: string;
  /** The service's DataSource (initialized); the caller destroys it after stop(). */
  dataSource: DataSource;
  redisUrl: string;
  /** BullMQ key prefix (default `medcollab`); tests isolate their queues with a unique one. */
  prefix?: string;
  log?: Logger;
  /** Publish this service's outbox: relay + sweeper (true for every service that writes events). */
  producer?: boolean | { relay?: Partial<RelaySettings>; sweeper?: Partial<SweeperSettings> };
  /** Consume `events.<service>` with these handlers. */
  consumer?: Consumer;
  /** The routing table the producer's history is reconciled with at start (default ROUTES). */
  routes?: Routes;
  worker?: Partial<WorkerSettings>;
  /** Port of /healthz and /readyz; 0 picks a free one; null serves none. */
  healthPort?: number | null;
}

export interface WorkerRuntime {
  start(): Promise<void>;
  /** Graceful: stops taking jobs, lets in-flight ones finish, stops the loops, closes Redis. */
  stop(): Promise<void>;
  /** The bound health port once started (null when none). */
  readonly healthPort: number | null;
  readonly relay: Relay | undefined;
  readonly sweeper: Sweeper | undefined;
  /** The registry served at /metrics on the health port: a worker's tasks add their own series to it. */
  readonly metricsRegistry: Registry;
}

/**
 * Everything a service's worker process runs for events: the relay and sweeper of its outbox,
 * the BullMQ worker of its inbox queue, the replay loop for parked events, and a tiny HTTP
 * server for liveness/readiness probes.
 */
export function createWorkerRuntime(opts: WorkerRuntimeOptions): WorkerRuntime {
  const log = opts.log ?? createLogger(`${opts.service}-worker`);
  const settings: WorkerSettings = { ...DEFAULT_WORKER_SETTINGS, ...opts.worker };
  const connection = { redisUrl: opts.redisUrl, prefix: opts.prefix ?? DEFAULT_EVENTS_PREFIX };
  const producer = opts.producer === true ? {} : opts.producer || undefined;
  const queues = new EventQueues(connection, log);
  const loops: Loop[] = [];
  const relay = producer
    ? createRelay({ source: opts.service, dataSource: opts.dataSource, queues, log, settings: producer.relay })
    : undefined;
  let relayLoop: Loop | undefined;
  const sweeper = producer
    ? createSweeper({ dataSource: opts.dataSource, queues, log, settings: producer.sweeper, onRepublish: () => relayLoop?.wake() })
    : undefined;
  const redis = createRedis(opts.redisUrl);
  const metrics = createWorkerMetrics({
    service: opts.service,
    dataSource: opts.dataSource,
    producer: Boolean(relay),
    consumerQueue: opts.consumer && { name: opts.consumer.queueName, ...connection },
  });
  let worker: Worker<EventJobData, JobOutcome> | undefined;
  let server: Server | undefined;
  let healthPort: number | null = null;
  let stopping = false;
  let stopped: Promise<void> | undefined;

  function listenToPool(): void {
    // TypeORM already keeps idle-client errors from crashing the process; we also want them logged.
    const pool = (opts.dataSource.driver as unknown as { master?: EventEmitter }).master;
    pool?.on('error', (error: Error & { code?: string }) =>
      log.warn({ error: error.message, code: error.code }, 'postgres pool error (the pool reconnects)'),
    );
  }

  function startConsumer(consumer: Consumer): void {
    const processJob = async (job: Job<EventJobData>, token?: string): Promise<JobOutcome> => {
      try {
        const outcome = await inConsumeSpan(job.data.envelope, consumer.queueName, () => consumer.process(job, token));
        metrics.consumed(outcome, job.data.envelope);
        return outcome;
      } catch (error) {
        metrics.consumed('retry', job.data.envelope);
        throw error;
      }
    };
    const { Worker } = bullmq();
    worker = new Worker<EventJobData, JobOutcome>(consumer.queueName, processJob, {
      connection: bullConnection(opts.redisUrl),
      prefix: connection.prefix,
      concurrency: settings.concurrency,
      lockDuration: settings.lockDurationMs,
      stalledInterval: settings.stalledIntervalMs,
      maxStalledCount: settings.maxStalledCount,
      settings: { backoffStrategy: (attemptsMade: number) => backoffDelay(attemptsMade, consumer.settings.retryBackoff) },
    });
    worker.on('error', (error) => log.warn({ err: logError(error), queue: consumer.queueName }, 'event worker error'));
    worker.on('stalled', (jobId) => log.warn({ jobId, queue: consumer.queueName }, 'event job stalled; it runs again'));
    loops.push(
      startLoop({
        name: 'replay',
        log,
        intervalMs: settings.replayIntervalMs,
        run: async () => {
          await consumer.applyReplays();
          return false;
        },
      }),
    );
  }

  /** A worker may start before its service's migrations ran; say so once, clearly (the loops retry). */
  async function warnIfTablesMissing(): Promise<void> {
    const [row] = (await opts.dataSource.query(
      `SELECT to_regclass('outbox_delivery') IS NOT NULL AND to_regclass('parked_event') IS NOT NULL AS ok`,
    )) as {
      ok: boolean;
    }[];
    if (!row?.ok)
      log.warn(`the event tables are missing in ${opts.service}'s database; run its migrations (pnpm migrate). Retrying meanwhile.`);
  }

  /** Gives consumers added to the routing table since the events were written their history. */
  async function backfillNewRoutes(): Promise<void> {
    try {
      const added = await reconcileRoutes(opts.dataSource, opts.routes ?? ROUTES);
      if (Object.values(added).some((n) => n > 0)) log.info({ added }, 'deliveries added for consumers new to the routing table');
    } catch (error) {
      // Not fatal: without it only a newly added consumer misses history; say so loudly.
      log.error({ err: logError(error) }, 'could not reconcile the routing table with the outbox');
    }
  }

  async function startHealth(port: number): Promise<void> {
    const app = express();
    app.disable('x-powered-by');
    mountHealth(app, { postgres: () => opts.dataSource.query('SELECT 1'), redis: () => redis.ping() }, () => stopping);
    app.get('/metrics', metricsHandler(metrics.registry));
    server = createServer(app);
    healthPort = await listen(server, port);
    log.info({ port: healthPort }, 'worker health endpoints listening');
  }

  return {
    get healthPort() {
      return healthPort;
    },
    relay,
    sweeper,
    metricsRegistry: metrics.registry,
    async start() {
      await checkRedisEvictionPolicy(opts.redisUrl);
      listenToPool();
      await warnIfTablesMissing();
      await redis.connect().catch((error: Error) => log.warn({ err: logError(error) }, 'redis not reachable yet'));
      if (relay) {
        await backfillNewRoutes();
        relayLoop = relay.start();
        loops.push(relayLoop);
      }
      if (sweeper) loops.push(sweeper.start());
      if (opts.consumer) startConsumer(opts.consumer);
      if (opts.healthPort !== null) await startHealth(opts.healthPort ?? 0);
      log.info(
        { producer: Boolean(relay), consumer: opts.consumer?.queueName ?? null, prefix: connection.prefix },
        'events worker started',
      );
    },
    stop() {
      stopping = true;
      return (stopped ??= (async () => {
        // close() stops fetching and waits for the jobs in flight to finish (or to be released).
        await worker?.close();
        await Promise.all(loops.map((loop) => loop.stop()));
        await queues.close();
        await metrics.close();
        await redis.quit().catch(() => redis.disconnect());
        if (server) await closeServer(server).catch(() => undefined);
        log.info('events worker stopped');
      })());
    },
  };
}
