import { randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import { bullConnection, createConsumer, eventQueueName, type EventJobData } from '../src';
import {
  appendEvents,
  CONSUMER,
  consumerDb,
  deletePrefixKeys,
  effectSummary,
  PROBE_CONTRACTS,
  type ProbeDb,
  probeHandlers,
  producerDb,
  redisUrl,
  testLog,
  uniquePrefix,
  waitFor,
} from './fixtures/probe';
import { type Pipeline, startPipeline } from './fixtures/pipeline';

let producer: ProbeDb;
let consumer: ProbeDb;
let pipeline: Pipeline | undefined;
const prefix = uniquePrefix('consumer');

beforeAll(async () => {
  [producer, consumer] = await Promise.all([producerDb(), consumerDb()]);
});
afterEach(async () => {
  await pipeline?.stop();
  pipeline = undefined;
});
afterAll(async () => {
  await deletePrefixKeys(redisUrl(), prefix).catch(() => undefined);
  await Promise.all([producer.close(), consumer.close()]);
});

/** The job data the relay would publish for `eventId`, read back from the producer's outbox. */
async function jobDataOf(eventId: string): Promise<EventJobData> {
  const [row] = await producer.ds.query(
    `SELECT o.*, d.previous_event_id FROM outbox o JOIN outbox_delivery d ON d.event_id = o.id WHERE o.id = $1`,
    [eventId],
  );
  return {
    previousEventId: row.previous_event_id,
    envelope: {
      id: row.id,
      type: row.event_type,
      version: row.event_version,
      source: 'probe-producer',
      aggregateType: row.aggregate_type,
      aggregateId: row.aggregate_id,
      sequence: row.sequence,
      occurredAt: row.occurred_at.toISOString(),
      payload: row.payload,
      metadata: row.metadata,
    },
  };
}

const effectsOf = async (eventIds: string[]) =>
  ((await consumer.ds.query('SELECT count(*)::int AS n FROM probe_effect WHERE event_id = ANY($1)', [eventIds])) as { n: number }[])[0]!.n;

describe('consumer', () => {
  const direct = () =>
    createConsumer({ service: CONSUMER, dataSource: consumer.ds, contracts: PROBE_CONTRACTS, handlers: probeHandlers(), log: testLog() });

  it('applies an event delivered twice only once (inbox in the same transaction)', async () => {
    const accountId = randomUUID();
    const [eventId] = await appendEvents(producer.ds, [{ accountId, amount: 7 }]);
    const data = await jobDataOf(eventId!);
    const c = direct();
    expect(await c.apply(data)).toBe('applied');
    expect(await c.apply(data)).toBe('duplicate');
    const concurrent = await Promise.all([c.apply(data), c.apply(data)]);
    expect(concurrent).toEqual(['duplicate', 'duplicate']);
    expect(await effectsOf([eventId!])).toBe(1);
  });

  it('applies two concurrent first deliveries once', async () => {
    const accountId = randomUUID();
    const [eventId] = await appendEvents(producer.ds, [{ accountId, amount: 7 }]);
    const data = await jobDataOf(eventId!);
    const outcomes = await Promise.all([direct().apply(data), direct().apply(data), direct().apply(data)]);
    expect(outcomes.sort()).toEqual(['applied', 'duplicate', 'duplicate']);
    expect(await effectsOf([eventId!])).toBe(1);
  });

  it('rolls the inbox row back with a failing handler, so a retry can apply it', async () => {
    const accountId = randomUUID();
    const [eventId] = await appendEvents(producer.ds, [{ accountId, amount: 1, poison: true }]);
    const data = await jobDataOf(eventId!);
    let broken = true;
    const c = createConsumer({
      service: CONSUMER,
      dataSource: consumer.ds,
      contracts: PROBE_CONTRACTS,
      handlers: probeHandlers({ poisonFails: () => broken }),
      log: testLog(),
    });
    await expect(c.apply(data)).rejects.toThrow(/probe poison/);
    expect((await consumer.ds.query('SELECT count(*)::int AS n FROM inbox WHERE event_id = $1', [eventId]))[0].n).toBe(0);
    broken = false;
    expect(await c.apply(data)).toBe('applied');
  });

  it('holds an event back until its predecessor is applied', async () => {
    const accountId = randomUUID();
    const [first, second] = await appendEvents(producer.ds, [
      { accountId, amount: 1 },
      { accountId, amount: 2 },
    ]);
    const c = direct();
    expect(await c.apply(await jobDataOf(second!))).toBe('waiting');
    expect(await effectsOf([second!])).toBe(0);
    expect(await c.apply(await jobDataOf(first!))).toBe('applied');
    expect(await c.apply(await jobDataOf(second!))).toBe('applied');
  });

  it('consumes one aggregate in sequence order even when its events are published out of order', async () => {
    const accountId = randomUUID();
    const ids = await appendEvents(
      producer.ds,
      [1, 2, 3, 4, 5].map((amount) => ({ accountId, amount })),
      1,
    );
    // Publish the last event first and the first one last: 5 at once, 4 after 150 ms, … 1 after 600 ms.
    await producer.ds.query(
      `UPDATE outbox_delivery d SET next_attempt_at = now() + (5 - o.sequence) * interval '150 milliseconds'
         FROM outbox o WHERE o.id = d.event_id AND o.aggregate_id = $1`,
      [accountId],
    );
    pipeline = await startPipeline({ producer, consumer, redisUrl: redisUrl(), prefix });
    await waitFor('all five effects', async () => (await effectsOf(ids)) === 5);
    const order = await consumer.ds.query('SELECT sequence FROM probe_effect WHERE account_id = $1 ORDER BY id', [accountId]);
    expect(order.map((r: { sequence: number }) => r.sequence)).toEqual([1, 2, 3, 4, 5]);
    const published = await producer.ds.query(
      `SELECT o.sequence FROM outbox_delivery d JOIN outbox o ON o.id = d.event_id WHERE o.aggregate_id = $1 ORDER BY d.published_at, o.sequence DESC`,
      [accountId],
    );
    expect(published.map((r: { sequence: number }) => r.sequence)).toEqual([5, 4, 3, 2, 1]);
  });

  it('runs outbox -> relay -> queue -> inbox end to end and the sweeper marks deliveries consumed', async () => {
    const ids = await appendEvents(
      producer.ds,
      Array.from({ length: 60 }, (_, i) => ({ accountId: randomUUID(), amount: i })),
    );
    pipeline = await startPipeline({ producer, consumer, redisUrl: redisUrl(), prefix });
    await waitFor('60 effects', async () => (await effectsOf(ids)) === 60);
    await waitFor('deliveries marked consumed', async () => {
      const [row] = await producer.ds.query(
        'SELECT count(*)::int AS n FROM outbox_delivery WHERE event_id = ANY($1) AND consumed_at IS NOT NULL',
        [ids],
      );
      return row.n === 60;
    });
    expect((await effectSummary(consumer.ds)).duplicated).toBe(0);
  });

  it('gives a redelivered job (same event, new job id) no second effect', async () => {
    const accountId = randomUUID();
    const [eventId] = await appendEvents(producer.ds, [{ accountId, amount: 3 }]);
    pipeline = await startPipeline({ producer, consumer, redisUrl: redisUrl(), prefix });
    await waitFor('the effect', async () => (await effectsOf([eventId!])) === 1);
    const queue = new Queue(eventQueueName(CONSUMER), { connection: bullConnection(redisUrl()), prefix });
    queue.on('error', () => undefined);
    try {
      const copy = await queue.add('ProbeRecorded', await jobDataOf(eventId!), { jobId: `${eventId}.copy` });
      await waitFor('the copy to be processed', async () => (await queue.getJobState(copy.id!)) === 'completed');
      expect(await (await queue.getJob(copy.id!))?.returnvalue).toBe('duplicate');
    } finally {
      await queue.close();
    }
    expect(await effectsOf([eventId!])).toBe(1);
  });
});
