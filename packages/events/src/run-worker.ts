import { type Registry } from 'prom-client';
import { z } from 'zod';
import { type DataSource } from 'typeorm';
import {
  baseConfigShape,
  createDataSource,
  createLogger,
  type DataSourceOptions,
  describeStartupError,
  ensureDatabase,
  initializeDataSource,
  installShutdown,
  loadConfig,
  type Logger,
  serviceDatabaseName,
  withDatabase,
  workerHealthPort,
} from '@medcollab/kit';
import { type BatchHandlers } from './batch-apply';
import { createConsumer, type Handlers } from './consumer';
import { type ContractMap } from './contract';
import { type EVENT_CONTRACTS } from './contracts';
import { QuietOrmLogger } from './orm-logger';
import { createWorkerRuntime, DEFAULT_EVENTS_PREFIX, type WorkerRuntime } from './worker-runtime';

const ms = (fallback: number) => z.coerce.number().int().positive().default(fallback);

/** Environment of a worker process (on top of the base DATABASE_URL, REDIS_URL, LOG_LEVEL…). */
export const workerConfigShape = {
  ...baseConfigShape,
  /** /healthz and /readyz; 0 picks a free port. */
  HEALTH_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  EVENTS_PREFIX: z.string().min(1).default(DEFAULT_EVENTS_PREFIX),
  EVENTS_CONCURRENCY: ms(8),
  EVENTS_LOCK_DURATION_MS: ms(10_000),
  EVENTS_STALLED_INTERVAL_MS: ms(5_000),
  EVENTS_MAX_ATTEMPTS: ms(5),
  EVENTS_RETRY_BASE_MS: ms(1_000),
  EVENTS_RELAY_INTERVAL_MS: ms(250),
  EVENTS_SWEEP_INTERVAL_MS: ms(5_000),
  EVENTS_MISSING_AFTER_MS: ms(30_000),
  EVENTS_REPLAY_INTERVAL_MS: ms(1_000),
  /** Events applied in one transaction by a worker that batches (its definition has `batch`). */
  EVENTS_BATCH_SIZE: ms(64),
  /** How long a batching worker waits for more events before applying what it has. */
  EVENTS_BATCH_WAIT_MS: ms(5),
};

/** What a background task of a worker gets: the worker's database, Redis, queue prefix and log. */
export interface WorkerTaskDeps {
  dataSource: DataSource;
  redisUrl: string;
  /** The BullMQ prefix of this deployment's queues (EVENTS_PREFIX). */
  prefix: string;
  log: Logger;
  /** The worker's metrics registry (served at /metrics on the health port), for the task's own series; absent in tests that start a task alone. */
  metrics?: Registry;
}

/**
 * Work a service's worker runs beside its events (allocation solves, expiry sweeps, reminder
 * queues, rollups). Started after the events runtime; stopped before it, in reverse order, so
 * a task can still write to its outbox while it drains.
 */
export interface WorkerTask {
  name: string;
  start(deps: WorkerTaskDeps): Promise<{ stop(): Promise<void> }> | { stop(): Promise<void> };
}

/** The parts of a subgraph module a worker needs (its name, entities, migrations and port). */
export interface WorkerServiceModule {
  name: string;
  defaultPort: number;
  entities: DataSourceOptions['entities'];
  migrations: DataSourceOptions['migrations'];
}

/** What a service's src/worker.ts declares about itself. */
export interface WorkerDefinition<C extends ContractMap = typeof EVENT_CONTRACTS> {
  /** The service's subgraph module: gives the service name, entities, migrations and health port. */
  module?: WorkerServiceModule;
  service?: string;
  entities?: DataSourceOptions['entities'];
  migrations?: DataSourceOptions['migrations'];
  /** Background work beside the events (see WorkerTask). */
  tasks?: WorkerTask[];
  /** Runs the relay and sweeper of this service's outbox (default true). */
  producer?: boolean;
  /** Handlers of the events this service consumes; none means no inbox queue. */
  handlers?: NoInfer<Handlers<C>>;
  /**
   * Apply incoming events in micro-batches (EVENTS_BATCH_SIZE at most, waiting EVENTS_BATCH_WAIT_MS
   * for more), with these set-at-a-time handlers for the types that have one. The worker then
   * takes up to twice EVENTS_BATCH_SIZE jobs at once; the database work stays EVENTS_CONCURRENCY-bound.
   */
  batch?: { handlers: NoInfer<BatchHandlers<C>> };
  contracts?: C;
  /** Health port when HEALTH_PORT is not set (0 when neither is). */
  defaultHealthPort?: number;
}

export interface RunWorkerOptions {
  /** Full URL of the service's database (skips creating it). */
  databaseUrl?: string;
  redisUrl?: string;
  log?: Logger;
  /** Stop gracefully on SIGTERM/SIGINT (default true). */
  handleSignals?: boolean;
  /** Apply pending migrations first (default false: the API process or `pnpm migrate` does). */
  migrate?: boolean;
  env?: NodeJS.ProcessEnv;
}

export interface RunningWorker {
  runtime: WorkerRuntime;
  dataSource: DataSource;
  stop(): Promise<void>;
}

/** Starts a service's worker process from the environment: database, events runtime, signals. */
export async function runWorker<C extends ContractMap = typeof EVENT_CONTRACTS>(
  def: WorkerDefinition<C>,
  opts: RunWorkerOptions = {},
): Promise<RunningWorker> {
  const config = loadConfig(workerConfigShape, opts.env);
  const service = def.module?.name ?? def.service;
  if (!service) throw new Error('A worker definition needs a module or a service name');
  const entities = def.module?.entities ?? def.entities ?? [];
  const migrations = def.module?.migrations ?? def.migrations ?? [];
  const defaultHealthPort = def.defaultHealthPort ?? (def.module ? workerHealthPort(def.module.defaultPort) : undefined);
  const log = opts.log ?? createLogger(`${service}-worker`, config.LOG_LEVEL);

  let databaseUrl = opts.databaseUrl;
  if (!databaseUrl) {
    const database = serviceDatabaseName(service);
    await ensureDatabase(config.DATABASE_URL, database);
    databaseUrl = withDatabase(config.DATABASE_URL, database);
  }
  const dataSource = createDataSource({
    url: databaseUrl,
    entities,
    migrations,
    poolSize: config.EVENTS_CONCURRENCY + 4,
    applicationName: `${service}-worker`,
    logger: new QuietOrmLogger(log),
  });
  await initializeDataSource(dataSource, { migrate: opts.migrate ?? false });

  const handlers = def.handlers ?? {};
  const batching = Boolean(def.batch) && config.EVENTS_BATCH_SIZE > 1;
  const consumer = Object.keys(handlers).length
    ? createConsumer<C>({
        service,
        dataSource,
        handlers,
        contracts: def.contracts,
        log,
        settings: { maxAttempts: config.EVENTS_MAX_ATTEMPTS, retryBackoff: { baseMs: config.EVENTS_RETRY_BASE_MS, maxMs: 60_000 } },
        batch: batching
          ? {
              handlers: def.batch!.handlers,
              maxSize: config.EVENTS_BATCH_SIZE,
              waitMs: config.EVENTS_BATCH_WAIT_MS,
              maxInFlight: Math.max(1, Math.floor(config.EVENTS_CONCURRENCY / 2)),
            }
          : undefined,
      })
    : undefined;
  const redisUrl = opts.redisUrl ?? config.REDIS_URL;
  const runtime = createWorkerRuntime({
    service,
    dataSource,
    redisUrl,
    prefix: config.EVENTS_PREFIX,
    log,
    producer: (def.producer ?? true) && {
      relay: { pollIntervalMs: config.EVENTS_RELAY_INTERVAL_MS },
      sweeper: { intervalMs: config.EVENTS_SWEEP_INTERVAL_MS, missingAfterMs: config.EVENTS_MISSING_AFTER_MS },
    },
    consumer,
    worker: {
      // A batching worker holds two batches' worth of jobs (one gathering while one applies); only
      // its batches in flight use database connections.
      concurrency: batching ? Math.max(config.EVENTS_CONCURRENCY, 2 * config.EVENTS_BATCH_SIZE) : config.EVENTS_CONCURRENCY,
      lockDurationMs: config.EVENTS_LOCK_DURATION_MS,
      stalledIntervalMs: config.EVENTS_STALLED_INTERVAL_MS,
      replayIntervalMs: config.EVENTS_REPLAY_INTERVAL_MS,
    },
    healthPort: config.HEALTH_PORT ?? defaultHealthPort ?? 0,
  });
  const running: { name: string; stop(): Promise<void> }[] = [];
  const stopTasks = async () => {
    for (const task of running.splice(0).reverse()) {
      await task.stop().catch((error: unknown) => log.error({ err: error, task: task.name }, 'task did not stop cleanly'));
    }
  };
  try {
    await runtime.start();
    for (const task of def.tasks ?? []) {
      const handle = await task.start({
        dataSource,
        redisUrl,
        prefix: config.EVENTS_PREFIX,
        log: log.child({ task: task.name }),
        metrics: runtime.metricsRegistry,
      });
      running.push({ name: task.name, stop: () => handle.stop() });
    }
  } catch (error) {
    await stopTasks();
    await runtime.stop().catch(() => undefined);
    await dataSource.destroy().catch(() => undefined);
    throw error;
  }

  let stopped: Promise<void> | undefined;
  const stop = () =>
    (stopped ??= (async () => {
      await stopTasks();
      await runtime.stop();
      await dataSource.destroy();
    })());
  if (opts.handleSignals ?? true) installShutdown(log, [{ name: 'events-worker', run: stop }], config.SHUTDOWN_TIMEOUT_MS);
  return { runtime, dataSource, stop };
}

/** Entry-point helper for `src/worker.ts`: runs the worker, or prints why it cannot start and exits 1. */
export function startWorkerProcess<C extends ContractMap = typeof EVENT_CONTRACTS>(
  def: WorkerDefinition<C>,
  opts?: RunWorkerOptions,
): void {
  runWorker(def, opts).catch((error: unknown) => {
    console.error(describeStartupError(`${def.module?.name ?? def.service ?? 'service'} worker`, error));
    process.exit(1);
  });
}
