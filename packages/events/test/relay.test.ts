import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { type AddressInfo, createServer, type Socket } from 'node:net';
import { Queue, UnrecoverableError, Worker } from 'bullmq';
import { bullConnection, createRelay, createSweeper, eventJobId, eventQueueName, EventQueues } from '../src';
import {
  appendEvents,
  CONSUMER,
  deletePrefixKeys,
  interleaved,
  type ProbeDb,
  producerDb,
  redisUrl,
  testLog,
  uniquePrefix,
  waitFor,
} from './fixtures/probe';

let db: ProbeDb;
const log = testLog();
const prefix = uniquePrefix('relay');
const queues = new EventQueues({ redisUrl: redisUrl(), prefix }, log);
const queue = new Queue(eventQueueName(CONSUMER), { connection: bullConnection(redisUrl()), prefix });
queue.on('error', () => undefined);

beforeAll(async () => {
  db = await producerDb();
});
afterEach(async () => {
  await db.ds.query('TRUNCATE outbox CASCADE');
  await queue.obliterate({ force: true });
});
afterAll(async () => {
  await Promise.all([queues.close(), queue.close()]);
  await deletePrefixKeys(redisUrl(), prefix).catch(() => undefined);
  await db.close();
});

const rows = (sql: string, params: unknown[] = []) => db.ds.query(sql, params) as Promise<Record<string, unknown>[]>;

describe('relay', () => {
  it('publishes in batches with deterministic job ids and marks deliveries published', async () => {
    const ids = await appendEvents(db.ds, interleaved(120, 10), 600); // 1,200 deliveries
    const relay = createRelay({ source: 'probe-producer', dataSource: db.ds, queues, log, settings: { batchSize: 500 } });
    expect(await relay.publishBatch()).toBe(500);
    expect(await relay.publishBatch()).toBe(500);
    expect(await relay.publishBatch()).toBe(200);
    expect(await relay.publishBatch()).toBe(0);
    expect(await rows('SELECT count(*)::int AS n FROM outbox_delivery WHERE published_at IS NULL OR publish_attempts <> 1')).toEqual([
      { n: 0 },
    ]);
    expect(await queue.getWaitingCount()).toBe(1_200);
    const job = await queue.getJob(eventJobId(ids[0]!, CONSUMER));
    expect(job?.data.envelope).toMatchObject({ id: ids[0], source: 'probe-producer', type: 'ProbeRecorded', sequence: 1 });
  });

  it('shares the work between concurrent relays without publishing a delivery twice (SKIP LOCKED)', async () => {
    await appendEvents(db.ds, interleaved(100, 6), 600);
    const relays = [1, 2, 3].map(() =>
      createRelay({ source: 'probe-producer', dataSource: db.ds, queues, log, settings: { batchSize: 100 } }),
    );
    const claimed: number[] = [];
    await Promise.all(
      relays.map(async (relay) => {
        for (let n = await relay.publishBatch(); n > 0; n = await relay.publishBatch()) claimed.push(n);
      }),
    );
    expect(claimed.reduce((a, b) => a + b, 0)).toBe(600);
    expect(await rows('SELECT max(publish_attempts)::int AS n FROM outbox_delivery')).toEqual([{ n: 1 }]);
    expect(await queue.getWaitingCount()).toBe(600);
  });

  it('publishing a delivery again adds no second job (BullMQ dedupes by job id)', async () => {
    await appendEvents(db.ds, interleaved(10, 1));
    const relay = createRelay({ source: 'probe-producer', dataSource: db.ds, queues, log });
    await relay.publishBatch();
    await db.ds.query('UPDATE outbox_delivery SET published_at = NULL');
    expect(await relay.publishBatch()).toBe(10);
    expect(await queue.getWaitingCount()).toBe(10);
  });

  it('records a failed publish and retries it later with backoff', async () => {
    await appendEvents(db.ds, interleaved(3, 1));
    // A "Redis" that accepts connections and never answers: every command hangs.
    const sockets: Socket[] = [];
    const blackHole = createServer((socket) => void sockets.push(socket)).listen(0);
    await once(blackHole, 'listening');
    const deadQueues = new EventQueues({ redisUrl: `redis://127.0.0.1:${(blackHole.address() as AddressInfo).port}`, prefix }, log);
    try {
      const relay = createRelay({
        source: 'probe-producer',
        dataSource: db.ds,
        queues: deadQueues,
        log,
        settings: { publishTimeoutMs: 200, backoff: { baseMs: 60_000, maxMs: 60_000 } },
      });
      expect(await relay.publishBatch()).toBe(3);
      const [row] = await rows(
        `SELECT count(*)::int AS n, min(publish_attempts) AS attempts, bool_and(published_at IS NULL) AS unpublished,
                min(next_attempt_at - now()) > interval '20 seconds' AS later, min(last_error) AS error FROM outbox_delivery`,
      );
      expect(row).toMatchObject({ n: 3, attempts: 1, unpublished: true, later: true });
      expect(row!.error).toMatch(/timed out/);
      expect(await relay.publishBatch()).toBe(0); // not due yet
    } finally {
      await deadQueues.close(100);
      sockets.forEach((socket) => socket.destroy());
      blackHole.close();
    }
    // Redis is back and the retry is due: the working relay publishes them.
    await db.ds.query('UPDATE outbox_delivery SET next_attempt_at = now()');
    const relay = createRelay({ source: 'probe-producer', dataSource: db.ds, queues, log });
    expect(await relay.publishBatch()).toBe(3);
    expect(await rows('SELECT max(publish_attempts)::int AS n, bool_and(last_error IS NULL) AS cleared FROM outbox_delivery')).toEqual([
      { n: 2, cleared: true },
    ]);
  });
});

describe('sweeper', () => {
  it('marks completed jobs consumed, republishes missing ones and retries failed ones', async () => {
    const [done, lost, failed, waiting] = await appendEvents(
      db.ds,
      [0, 1, 2, 3].map(() => ({ accountId: randomUUID(), amount: 1 })),
    );
    const relay = createRelay({ source: 'probe-producer', dataSource: db.ds, queues, log });
    await relay.publishBatch();
    // `done` is consumed, `failed` was failed by BullMQ itself (as after too many stalls),
    // `lost` vanished from Redis, `waiting` is still in flight.
    const worker = new Worker(
      eventQueueName(CONSUMER),
      async (job) => {
        if (job.data.envelope.id === failed) throw new UnrecoverableError('job stalled more than allowable limit');
        if (job.data.envelope.id === waiting) return new Promise(() => undefined); // stays active
        return 'applied';
      },
      { connection: bullConnection(redisUrl()), prefix, concurrency: 4 },
    );
    worker.on('error', () => undefined);
    try {
      await waitFor('done to complete', async () => (await queue.getJobState(eventJobId(done!, CONSUMER))) === 'completed');
      await waitFor('failed to fail', async () => (await queue.getJobState(eventJobId(failed!, CONSUMER))) === 'failed');
      await queue.remove(eventJobId(lost!, CONSUMER));
    } finally {
      await worker.close(true);
    }
    await db.ds.query(`UPDATE outbox_delivery SET published_at = now() - interval '1 minute'`);
    const sweeper = createSweeper({ dataSource: db.ds, queues, log, settings: { missingAfterMs: 30_000 } });
    const result = await sweeper.sweep();
    expect(result.checked).toBe(4);
    expect(result.consumed).toBe(1);
    expect(result.republished).toBe(1);
    expect(result.retried).toBe(1);
    expect(await queue.getJobState(eventJobId(failed!, CONSUMER))).toBe('waiting');
    const state = Object.fromEntries(
      (await rows('SELECT event_id, published_at IS NOT NULL AS published, consumed_at IS NOT NULL AS consumed FROM outbox_delivery')).map(
        (r) => [r.event_id, { published: r.published, consumed: r.consumed }],
      ),
    );
    expect(state[done!]).toEqual({ published: true, consumed: true });
    expect(state[lost!]).toEqual({ published: false, consumed: false }); // back to the relay
    expect(state[waiting!]).toEqual({ published: true, consumed: false });
  });
});
