import {
  appendEvents,
  consumerDb,
  deletePrefixKeys,
  effectSummary,
  interleaved,
  type ProbeDb,
  producerDb,
  redisUrl,
  uniquePrefix,
  waitFor,
} from './fixtures/probe';
import { type Pipeline, startPipeline } from './fixtures/pipeline';
import { reap, spawnWorker, type WorkerChild } from './fixtures/child';

let producer: ProbeDb;
let consumer: ProbeDb;
let relay: Pipeline | undefined;
const children: WorkerChild[] = [];
const prefix = uniquePrefix('crash');

beforeAll(async () => {
  [producer, consumer] = await Promise.all([producerDb(), consumerDb()]);
});
afterAll(async () => {
  await Promise.all(children.map(reap));
  await relay?.stop();
  await deletePrefixKeys(redisUrl(), prefix).catch(() => undefined);
  await Promise.all([producer.close(), consumer.close()]);
});

const scalar = async (db: ProbeDb, sql: string) => ((await db.ds.query(sql)) as { n: number }[])[0]!.n;

describe('a consumer worker process killed with kill -9 in the middle of a batch', () => {
  it('resumes after a restart, and every event has exactly one effect, in order', async () => {
    const total = 1_000;
    await appendEvents(producer.ds, interleaved(100, 10), 250); // 100 aggregates x 10 events
    relay = await startPipeline({ producer, consumer, redisUrl: redisUrl(), prefix, withConsumer: false });
    await waitFor(
      'the batch to be published',
      async () => (await scalar(producer, 'SELECT count(*)::int AS n FROM outbox_delivery WHERE published_at IS NOT NULL')) === total,
    );

    // Small lock and stall settings: a dead worker's jobs come back within ~2 s instead of ~60 s.
    const env = {
      PROBE_ROLE: 'consumer',
      PROBE_DATABASE_URL: consumer.db.url,
      PROBE_DELAY_MS: '15',
      REDIS_URL: redisUrl(),
      EVENTS_PREFIX: prefix,
      EVENTS_CONCURRENCY: '16',
      EVENTS_LOCK_DURATION_MS: '1500',
      EVENTS_STALLED_INTERVAL_MS: '500',
      EVENTS_RETRY_BASE_MS: '50',
    };
    const first = spawnWorker(env);
    children.push(first);
    await waitFor('the first worker to be mid-batch', async () => (await effectSummary(consumer.ds)).rows >= 250, 60_000, 10).catch(
      (error) => {
        throw new Error(`${(error as Error).message}\n${first.output()}`);
      },
    );
    first.proc.kill('SIGKILL');
    expect(await first.exited).toEqual({ code: null, signal: 'SIGKILL' });
    const atKill = await effectSummary(consumer.ds);
    expect(atKill.distinct).toBeLessThan(total);

    // How fast it recovers is a figure for the events benchmark; here only that it does, exactly once.
    const second = spawnWorker(env);
    children.push(second);
    await waitFor(
      'every event to be applied after the restart',
      async () => (await effectSummary(consumer.ds)).distinct === total,
      90_000,
    ).catch((error) => {
      throw new Error(`${(error as Error).message}\n${second.output()}`);
    });

    // Redeliveries of the jobs that were in flight at the kill may still be running: let them finish.
    await waitFor(
      'the queue to drain',
      async () => (await scalar(producer, 'SELECT count(*)::int AS n FROM outbox_delivery WHERE consumed_at IS NULL')) === 0,
      60_000,
    );
    expect(await effectSummary(consumer.ds)).toEqual({ rows: total, distinct: total, duplicated: 0, outOfOrder: 0 });
    expect(await scalar(consumer, 'SELECT count(*)::int AS n FROM inbox')).toBe(total);

    // SIGTERM: the worker stops taking jobs, finishes what it holds and exits cleanly.
    second.proc.kill('SIGTERM');
    expect(await second.exited).toEqual({ code: 0, signal: null });
  }, 240_000);
});
