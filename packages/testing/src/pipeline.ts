import { randomBytes } from 'node:crypto';
import {
  createConsumer,
  createWorkerRuntime,
  type EVENT_CONTRACTS,
  type Handlers,
  type WorkerRuntime,
  type WorkerTask,
} from '@medcollab/events';
import {
  createDataSource,
  createLogger,
  createRedis,
  initializeDataSource,
  type RequestContext,
  runSubgraph,
  type RunningSubgraph,
  type SubgraphModule,
} from '@medcollab/kit';
import { type DataSource } from 'typeorm';
import { createTestDatabase, type TemplateSeed, type TestDatabase } from './database';
import { testServices } from './services';
import { SqlCounter } from './sql-counter';
import { startSupergraph, type RunningSupergraph } from './supergraph';

/** Fast settings so events settle within a second in tests. */
const FAST = {
  relay: { pollIntervalMs: 20, backoff: { baseMs: 50, maxMs: 500 } },
  sweeper: { intervalMs: 200, missingAfterMs: 2_000 },
  worker: { concurrency: 8, lockDurationMs: 2_000, stalledIntervalMs: 500, replayIntervalMs: 100 },
  consumer: { maxAttempts: 3, retryBackoff: { baseMs: 20, maxMs: 200 }, defer: { minMs: 10, maxMs: 100 } },
};

export interface PipelineService {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  module: SubgraphModule<any>;
  /** The events this service consumes (as its src/worker.ts declares them); none: producer only. */
  handlers?: Handlers<typeof EVENT_CONTRACTS>;
  /** The background tasks its src/worker.ts runs (reminder queues, rollups…), started on the pipeline's prefix. */
  tasks?: WorkerTask[];
  /**
   * Data its database starts with (from a template seeded once per run). Its outbox is as the
   * seed left it: the worker relays the seed's events when the pipeline starts, as it would
   * have had the test seeded after the start.
   */
  seed?: TemplateSeed;
}

/**
 * Several subgraphs on fresh databases, each with its worker (relay + sweeper + consumer) on a
 * BullMQ prefix private to this pipeline, and the real gateway in front: events travel between
 * services exactly as in production, only faster.
 */
export interface Pipeline {
  subgraphs: Record<string, RunningSubgraph>;
  /** Each subgraph's SQL statement counter. */
  counters: Record<string, SqlCounter>;
  supergraph: RunningSupergraph;
  stop(): Promise<void>;
}

interface StartedService {
  name: string;
  db: TestDatabase;
  counter: SqlCounter;
  running?: RunningSubgraph;
  workerDs?: DataSource;
  worker?: WorkerRuntime;
  tasks: { stop(): Promise<void> }[];
}

/**
 * Services start side by side (their databases, subgraphs and workers do not depend on each
 * other: events wait in BullMQ until their consumer runs), and stop side by side: most of a
 * start-up is waiting on PostgreSQL, Redis and the network, which overlaps well even on two
 * cores.
 */
export async function startPipeline(services: PipelineService[]): Promise<Pipeline> {
  const { redisUrl } = testServices();
  const prefix = `test-pipeline-${randomBytes(4).toString('hex')}`;
  const log = createLogger('pipeline-test', process.env.TEST_EVENTS_LOG_LEVEL ?? 'silent');
  const started: StartedService[] = [];

  const startOne = async ({ module, handlers, tasks: serviceTasks, seed }: PipelineService): Promise<void> => {
    const mod = module as SubgraphModule<RequestContext>;
    const db = await createTestDatabase(mod.name, { entities: mod.entities, migrations: mod.migrations, seed });
    const s: StartedService = { name: mod.name, db, counter: new SqlCounter(), tasks: [] };
    started.push(s);
    s.running = await runSubgraph(mod, { databaseUrl: db.url, redisUrl, port: 0, ormLogger: s.counter, log });
    // The worker has a DataSource of its own, as in production, so the counter sees only the API's
    // statements; its pool is the test pool (DATABASE_POOL_SIZE, set by the global setup).
    s.workerDs = await initializeDataSource(createDataSource({ url: db.url, entities: mod.entities, migrations: mod.migrations }), {
      migrate: false,
    });
    const consumer = handlers
      ? createConsumer({ service: mod.name, dataSource: s.workerDs, handlers, log, settings: FAST.consumer })
      : undefined;
    s.worker = createWorkerRuntime({
      service: mod.name,
      dataSource: s.workerDs,
      redisUrl,
      prefix,
      log,
      producer: { relay: FAST.relay, sweeper: FAST.sweeper },
      consumer,
      worker: FAST.worker,
      healthPort: null,
    });
    await s.worker.start();
    for (const task of serviceTasks ?? []) {
      s.tasks.push(
        await task.start({
          dataSource: s.workerDs,
          redisUrl,
          prefix,
          log: log.child({ task: task.name }),
          metrics: s.worker.metricsRegistry,
        }),
      );
    }
  };

  const stopServices = async () => {
    await Promise.all(
      started.map(async (s) => {
        for (const task of [...s.tasks].reverse()) await task.stop();
        await s.worker?.stop();
      }),
    );
    await Promise.all(
      started.map(async (s) => {
        await s.workerDs?.destroy();
        await s.running?.stop();
      }),
    );
    await Promise.all(started.map((s) => s.db.drop()));
    await dropPrefix(redisUrl, prefix);
  };

  const outcomes = await Promise.allSettled(services.map(startOne));
  const failure = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected');
  if (failure) {
    await stopServices().catch(() => undefined);
    throw failure.reason;
  }
  // In the order the caller listed them (the gateway composes them in that order, as before).
  const order = services.map((x) => x.module.name as string);
  started.sort((a, b) => order.indexOf(a.name) - order.indexOf(b.name));
  const subgraphs = Object.fromEntries(started.map((s) => [s.name, s.running!]));
  const counters = Object.fromEntries(started.map((s) => [s.name, s.counter]));
  const supergraph = await startSupergraph({ subgraphs: started.map((s) => ({ name: s.name, url: s.running!.url })), log }).catch(
    async (error: unknown) => {
      await stopServices().catch(() => undefined);
      throw error;
    },
  );
  return {
    subgraphs,
    counters,
    supergraph,
    async stop() {
      await supergraph.stop();
      await stopServices();
    },
  };
}

/** Removes this pipeline's BullMQ keys (the prefix is private to it; other test files keep theirs). */
async function dropPrefix(redisUrl: string, prefix: string): Promise<void> {
  const redis = createRedis(redisUrl);
  try {
    await redis.connect();
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
      if (keys.length) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    await redis.quit().catch(() => redis.disconnect());
  }
}

/**
 * Polls `check` until it returns true, or fails the test after `timeoutMs`: generous by default
 * (events crossing services on a loaded two-core machine can take over a minute), never a
 * statement about speed.
 */
export async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
}
