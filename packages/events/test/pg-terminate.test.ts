import { createServer } from 'node:net';
import { isTransientError } from '../src';
import {
  appendEvents,
  consumerDb,
  deletePrefixKeys,
  effectSummary,
  interleaved,
  type ProbeDb,
  producerDb,
  redisUrl,
  terminateConnections,
  uniquePrefix,
  waitFor,
} from './fixtures/probe';
import { reap, spawnWorker, type WorkerChild } from './fixtures/child';

let producer: ProbeDb;
let consumer: ProbeDb;
const children: WorkerChild[] = [];
const prefix = uniquePrefix('pgkill');

beforeAll(async () => {
  [producer, consumer] = await Promise.all([producerDb(), consumerDb()]);
});
afterAll(async () => {
  await Promise.all(children.map(reap));
  await deletePrefixKeys(redisUrl(), prefix).catch(() => undefined);
  await Promise.all([producer.close(), consumer.close()]);
});

const freePort = () =>
  new Promise<number>((resolve) => {
    const server = createServer().listen(0, () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

const scalar = async (db: ProbeDb, sql: string) => ((await db.ds.query(sql)) as { n: number }[])[0]!.n;

/** The test's own writes may hit a terminated connection too; like any client, it retries. */
async function appendWithRetry(count: number): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await appendEvents(producer.ds, interleaved(count / 5, 5), count);
      return;
    } catch (error) {
      if (!isTransientError(error) || attempt > 5) throw error;
    }
  }
}

describe('PostgreSQL connections terminated during a run', () => {
  it('crashes no worker process, and processing resumes by itself', async () => {
    const healthPort = await freePort();
    const common = {
      REDIS_URL: redisUrl(),
      EVENTS_PREFIX: prefix,
      EVENTS_RETRY_BASE_MS: '50',
      EVENTS_RELAY_INTERVAL_MS: '50',
      LOG_LEVEL: 'error',
    };
    const producerWorker = spawnWorker({
      ...common,
      PROBE_ROLE: 'producer',
      PROBE_DATABASE_URL: producer.db.url,
      EVENTS_SWEEP_INTERVAL_MS: '200',
      EVENTS_MISSING_AFTER_MS: '3000',
    });
    const consumerWorker = spawnWorker({
      ...common,
      PROBE_ROLE: 'consumer',
      PROBE_DATABASE_URL: consumer.db.url,
      PROBE_DELAY_MS: '5',
      HEALTH_PORT: String(healthPort),
    });
    children.push(producerWorker, consumerWorker);
    const output = () => `producer:\n${producerWorker.output()}\nconsumer:\n${consumerWorker.output()}`;

    await appendWithRetry(50);
    await waitFor('the first effects', async () => (await effectSummary(consumer.ds)).rows > 0, 60_000).catch((error) => {
      throw new Error(`${(error as Error).message}\n${output()}`);
    });

    let terminated = 0;
    for (let round = 0; round < 5; round++) {
      await appendWithRetry(50);
      await new Promise((r) => setTimeout(r, 100));
      terminated += await terminateConnections(producer.db.name);
      terminated += await terminateConnections(consumer.db.name);
    }
    expect(terminated).toBeGreaterThan(0);

    const total = await scalar(producer, 'SELECT count(*)::int AS n FROM outbox_delivery');
    await waitFor('every event to be applied', async () => (await effectSummary(consumer.ds)).distinct === total, 90_000).catch((error) => {
      throw new Error(`${(error as Error).message}\n${output()}`);
    });
    await waitFor(
      'every delivery to be marked consumed',
      async () => (await scalar(producer, 'SELECT count(*)::int AS n FROM outbox_delivery WHERE consumed_at IS NULL')) === 0,
      60_000,
    );

    expect(producerWorker.proc.exitCode).toBeNull();
    expect(consumerWorker.proc.exitCode).toBeNull();
    expect(await effectSummary(consumer.ds)).toEqual({ rows: total, distinct: total, duplicated: 0, outOfOrder: 0 });

    // The worker's probes: alive, and ready again now that PostgreSQL answers.
    const health = await fetch(`http://127.0.0.1:${healthPort}/healthz`);
    expect(health.status).toBe(200);
    const ready = await fetch(`http://127.0.0.1:${healthPort}/readyz`);
    expect(await ready.json()).toEqual({ status: 'ready', checks: { postgres: 'ok', redis: 'ok' } });

    producerWorker.proc.kill('SIGTERM');
    consumerWorker.proc.kill('SIGTERM');
    expect(await producerWorker.exited).toEqual({ code: 0, signal: null });
    expect(await consumerWorker.exited).toEqual({ code: 0, signal: null });
  }, 300_000);
});
