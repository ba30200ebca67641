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
import { createTestDatabase, type TestDatabase } from './database';
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

export async function startPipeline(services: PipelineService[]): Promise<Pipeline> {
  const { redisUrl } = testServices();
  const prefix = `test-pipeline-${randomBytes(4).toString('hex')}`;
  const log = createLogger('pipeline-test', process.env.TEST_EVENTS_LOG_LEVEL ?? 'silent');
  const databases: TestDatabase[] = [];
  const subgraphs: Record<string, RunningSubgraph> = {};
  const counters: Record<string, SqlCounter> = {};
  const workers: WorkerRuntime[] = [];
  const workerDataSources: DataSource[] = [];
  const tasks: { stop(): Promise<void> }[] = [];
  for (const { module, handlers, tasks: serviceTasks } of services) {
    const mod = module as SubgraphModule<RequestContext>;
    const db = await createTestDatabase(mod.name, { entities: mod.entities, migrations: mod.migrations });
    databases.push(db);
    counters[mod.name] = new SqlCounter();
    const running = await runSubgraph(mod, { databaseUrl: db.url, redisUrl, port: 0, ormLogger: counters[mod.name], log });
    subgraphs[mod.name] = running;
    // The worker has a DataSource of its own, as in production, so the counter sees only the API's statements.
    const workerDs = await initializeDataSource(
      createDataSource({ url: db.url, entities: mod.entities, migrations: mod.migrations, poolSize: 4 }),
      { migrate: false },
    );
    workerDataSources.push(workerDs);
    const consumer = handlers
      ? createConsumer({ service: mod.name, dataSource: workerDs, handlers, log, settings: FAST.consumer })
      : undefined;
    const worker = createWorkerRuntime({
      service: mod.name,
      dataSource: workerDs,
      redisUrl,
      prefix,
      log,
      producer: { relay: FAST.relay, sweeper: FAST.sweeper },
      consumer,
      worker: FAST.worker,
      healthPort: null,
    });
    await worker.start();
    workers.push(worker);
    for (const task of serviceTasks ?? []) {
      tasks.push(
        await task.start({ dataSource: workerDs, redisUrl, prefix, log: log.child({ task: task.name }), registry: worker.registry }),
      );
    }
  }
  const supergraph = await startSupergraph({ subgraphs: Object.values(subgraphs).map(({ name, url }) => ({ name, url })), log });
  return {
    subgraphs,
    counters,
    supergraph,
    async stop() {
      await supergraph.stop();
      for (const task of tasks.reverse()) await task.stop();
      for (const worker of workers) await worker.stop();
      for (const ds of workerDataSources) await ds.destroy();
      for (const running of Object.values(subgraphs)) await running.stop();
      await Promise.all(databases.map((db) => db.drop()));
      await dropPrefix(redisUrl, prefix);
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

/** Polls `check` until it returns true, or fails the test after `timeoutMs`. */
export async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
}
