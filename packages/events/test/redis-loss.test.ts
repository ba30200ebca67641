import {
  appendEvents,
  consumerDb,
  deletePrefixKeys,
  effectSummary,
  interleaved,
  type ProbeDb,
  producerDb,
  redisUrlOnDb,
  uniquePrefix,
  waitFor,
} from './fixtures/probe';
import { type Pipeline, startPipeline } from './fixtures/pipeline';

// Other test files share Redis db 0; this one throws data away, so it works on its own database
// index, and even there deletes only the keys under its own prefix.
const redisUrl = redisUrlOnDb(13);
const prefix = uniquePrefix('redisloss');

let producer: ProbeDb;
let consumer: ProbeDb;
let pipeline: Pipeline | undefined;

beforeAll(async () => {
  [producer, consumer] = await Promise.all([producerDb(), consumerDb()]);
});
afterAll(async () => {
  await pipeline?.stop();
  await deletePrefixKeys(redisUrl, prefix);
  await Promise.all([producer.close(), consumer.close()]);
});

const scalar = async (db: ProbeDb, sql: string) => ((await db.ds.query(sql)) as { n: number }[])[0]!.n;

describe('Redis losing its data while events are in flight', () => {
  it('is repaired by the sweeper: every event still has exactly one effect, in order', async () => {
    const total = 400;
    await appendEvents(producer.ds, interleaved(40, 10));
    pipeline = await startPipeline({ producer, consumer, redisUrl, prefix, handler: { delayMs: 10 } });

    await waitFor('the consumer to be under way', async () => (await effectSummary(consumer.ds)).rows >= 100, 120_000, 10);
    const deleted = await deletePrefixKeys(redisUrl, prefix); // waiting, active, completed jobs: all gone
    expect(deleted).toBeGreaterThan(0);
    expect((await effectSummary(consumer.ds)).distinct).toBeLessThan(total);

    await waitFor('every event to be applied', async () => (await effectSummary(consumer.ds)).distinct === total, 120_000);
    await waitFor(
      'every delivery to be marked consumed',
      async () => (await scalar(producer, 'SELECT count(*)::int AS n FROM outbox_delivery WHERE consumed_at IS NULL')) === 0,
      120_000,
    );

    expect(await effectSummary(consumer.ds)).toEqual({ rows: total, distinct: total, duplicated: 0, outOfOrder: 0 });
    // The sweeper, not luck, brought them back.
    expect(await scalar(producer, 'SELECT count(*)::int AS n FROM outbox_delivery WHERE publish_attempts > 1')).toBeGreaterThan(0);
  }, 240_000);
});
