import { randomUUID } from 'node:crypto';
import { createWorkerMetrics, findParked } from '../src';
import {
  appendEvents,
  consumerDb,
  deletePrefixKeys,
  type ProbeDb,
  PRODUCER,
  producerDb,
  redisUrl,
  uniquePrefix,
  waitFor,
} from './fixtures/probe';
import { type Pipeline, startPipeline } from './fixtures/pipeline';

let producer: ProbeDb;
let consumer: ProbeDb;
let pipeline: Pipeline | undefined;
const prefix = uniquePrefix('metrics');

beforeAll(async () => {
  [producer, consumer] = await Promise.all([producerDb(), consumerDb()]);
});
afterAll(async () => {
  await pipeline?.stop();
  await deletePrefixKeys(redisUrl(), prefix).catch(() => undefined);
  await Promise.all([producer.close(), consumer.close()]);
});

/** The value of one series, matched by name and every given label. */
function series(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    const m = /^([a-z_]+)(?:\{([^}]*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const have = Object.fromEntries([...(m[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((x) => [x[1], x[2]]));
    if (Object.entries(labels).every(([k, v]) => have[k] === v)) return Number(m[3]);
  }
  return undefined;
}

const scrape = async (port: number | null) => {
  const res = await fetch(`http://127.0.0.1:${port}/metrics`);
  expect(res.status).toBe(200);
  return res.text();
};

describe("a worker's /metrics", () => {
  it('reports the outbox backlog before the relay publishes it', async () => {
    await appendEvents(producer.ds, [
      { accountId: randomUUID(), amount: 1 },
      { accountId: randomUUID(), amount: 2 },
    ]);
    const metrics = createWorkerMetrics({ service: PRODUCER, dataSource: producer.ds, producer: true });
    const text = await metrics.registry.metrics();
    expect(series(text, 'medcollab_outbox_unpublished_deliveries', { service: 'probe-producer-worker' })).toBe(2);
    expect(series(text, 'medcollab_outbox_oldest_unpublished_age_seconds')).toBeGreaterThanOrEqual(0);
    await metrics.close();
  });

  it('reports consumption lag, outcomes, parked events, queue depth and the pool once events flow', async () => {
    const [poisoned] = await appendEvents(producer.ds, [{ accountId: randomUUID(), amount: 9, poison: true }]);
    pipeline = await startPipeline({
      producer,
      consumer,
      redisUrl: redisUrl(),
      prefix,
      consumerSettings: { maxAttempts: 2 },
      healthPort: 0,
    });
    await waitFor('the poisoned event to be parked', async () => (await findParked(consumer.ds, poisoned!)) !== null);
    await waitFor('the two good events to be applied', async () => {
      const [row] = await consumer.ds.query('SELECT count(*)::int AS n FROM probe_effect');
      return row.n === 2;
    });

    const consumerText = await scrape(pipeline.consumer!.healthPort);
    const recorded = { service: 'probe-consumer-worker', event_type: 'ProbeRecorded' };
    expect(series(consumerText, 'medcollab_event_consume_lag_seconds_count', recorded)).toBe(2);
    expect(series(consumerText, 'medcollab_event_consume_lag_seconds_bucket', { ...recorded, le: '+Inf' })).toBe(2);
    expect(series(consumerText, 'medcollab_events_consumed_total', { ...recorded, outcome: 'applied' })).toBe(2);
    expect(series(consumerText, 'medcollab_events_consumed_total', { ...recorded, outcome: 'parked' })).toBe(1);
    expect(series(consumerText, 'medcollab_events_parked', { service: 'probe-consumer-worker' })).toBe(1);
    for (const state of ['waiting', 'delayed', 'active', 'failed']) {
      expect(series(consumerText, 'medcollab_queue_jobs', { queue: 'events.probe-consumer', state })).toBeGreaterThanOrEqual(0);
    }
    expect(series(consumerText, 'medcollab_db_pool_connections', { state: 'idle' })).toBeGreaterThanOrEqual(0);

    const producerText = await scrape(pipeline.producer.healthPort);
    await waitFor('the relay to publish everything', async () => {
      const text = await scrape(pipeline!.producer.healthPort);
      return series(text, 'medcollab_outbox_unpublished_deliveries') === 0;
    });
    expect(series(producerText, 'medcollab_queue_jobs')).toBeUndefined();
  });
});
