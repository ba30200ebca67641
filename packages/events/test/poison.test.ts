import { randomUUID } from 'node:crypto';
import { findParked, replayParked } from '../src';
import {
  appendEvents,
  consumerDb,
  deletePrefixKeys,
  effectSummary,
  type ProbeDb,
  probeOutbox,
  ProbeRecorded,
  producerDb,
  redisUrl,
  uniquePrefix,
  waitFor,
} from './fixtures/probe';
import { type Pipeline, startPipeline } from './fixtures/pipeline';

let producer: ProbeDb;
let consumer: ProbeDb;
let pipeline: Pipeline | undefined;
let poisonFails = true;
const prefix = uniquePrefix('poison');

beforeAll(async () => {
  [producer, consumer] = await Promise.all([producerDb(), consumerDb()]);
  pipeline = await startPipeline({
    producer,
    consumer,
    redisUrl: redisUrl(),
    prefix,
    handler: { poisonFails: () => poisonFails },
    consumerSettings: { maxAttempts: 3 },
  });
});
afterAll(async () => {
  await pipeline?.stop();
  await deletePrefixKeys(redisUrl(), prefix).catch(() => undefined);
  await Promise.all([producer.close(), consumer.close()]);
});

const effects = async (eventIds: string[]) =>
  ((await consumer.ds.query('SELECT count(*)::int AS n FROM probe_effect WHERE event_id = ANY($1)', [eventIds])) as { n: number }[])[0]!.n;

describe('a poisoned event', () => {
  it('is parked after N attempts while other aggregates go on; its own successors wait; a replay after the fix applies it once', async () => {
    const poisoned = randomUUID();
    const [bad, afterBad] = await appendEvents(producer.ds, [
      { accountId: poisoned, amount: 1, poison: true },
      { accountId: poisoned, amount: 2 },
    ]);
    const others = await appendEvents(
      producer.ds,
      Array.from({ length: 20 }, (_, i) => ({ accountId: randomUUID(), amount: i })),
    );

    await waitFor('the poisoned event to be parked', async () => (await findParked(consumer.ds, bad!)) !== null);
    await waitFor('the other aggregates to be applied', async () => (await effects(others)) === others.length);
    const parked = await findParked(consumer.ds, bad!);
    expect(parked).toMatchObject({
      eventId: bad,
      source: 'probe-producer',
      eventType: 'ProbeRecorded',
      attempts: 3,
      replayedAt: null,
      appliedAt: null,
    });
    expect(parked!.error).toMatch(/probe poison/);
    // The producer sees the delivery as consumed: the consumer has taken custody of it.
    await waitFor('the parked delivery to count as consumed', async () => {
      const [row] = await producer.ds.query('SELECT consumed_at FROM outbox_delivery WHERE event_id = $1', [bad]);
      return row.consumed_at !== null;
    });
    // The same aggregate's next event is held back behind the parked one.
    expect(await effects([bad!, afterBad!])).toBe(0);

    // A replay before the fix parks it again, with the new error and one more attempt.
    await replayParked(consumer.ds, bad!);
    await waitFor('the failed replay to park it again', async () => {
      const row = await findParked(consumer.ds, bad!);
      return row !== null && row.replayedAt === null && row.attempts === 4;
    });
    expect(await effects([bad!])).toBe(0);

    poisonFails = false; // the fix is deployed
    const requested = await replayParked(consumer.ds, bad!);
    expect(requested.replayedAt).toBeInstanceOf(Date);
    await replayParked(consumer.ds, bad!); // asking twice changes nothing
    await waitFor('the replay to apply it', async () => (await findParked(consumer.ds, bad!))?.appliedAt != null);
    await waitFor('its successor to follow', async () => (await effects([afterBad!])) === 1);
    const applied = await findParked(consumer.ds, bad!);
    // Asking after it applied changes nothing either: the record stays applied, so the replay loop
    // (which takes only requested, unapplied records) has nothing to pick up; no sleep needed to see it.
    const again = await replayParked(consumer.ds, bad!);
    expect(again.appliedAt).toEqual(applied!.appliedAt);
    expect(again.replayedAt).toEqual(applied!.replayedAt);

    expect(await effects([bad!])).toBe(1);
    const order = await consumer.ds.query('SELECT sequence FROM probe_effect WHERE account_id = $1 ORDER BY id', [poisoned]);
    expect(order.map((r: { sequence: number }) => r.sequence)).toEqual([1, 2]);
    expect((await effectSummary(consumer.ds)).duplicated).toBe(0);
  });

  it('is parked at once when its payload breaks the contract (validation on receipt)', async () => {
    const accountId = randomUUID();
    // An older producer wrote a payload the consumer's contract refuses (amount must be an integer).
    const eventId = await producer.ds.transaction(async (em) => {
      const id = await probeOutbox.append(em, ProbeRecorded, accountId, { accountId, amount: 1, poison: false });
      await em.query(`UPDATE outbox SET payload = jsonb_set(payload, '{amount}', '"lots"') WHERE id = $1`, [id]);
      return id;
    });
    await waitFor('the invalid event to be parked', async () => (await findParked(consumer.ds, eventId)) !== null);
    const parked = await findParked(consumer.ds, eventId);
    expect(parked!.attempts).toBe(1);
    expect(parked!.error).toMatch(/invalid payload/);
    expect(await effects([eventId])).toBe(0);
  });

  it('refuses a replay of an event that is not parked', async () => {
    await expect(replayParked(consumer.ds, randomUUID())).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
