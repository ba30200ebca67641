import { randomUUID } from 'node:crypto';
import { BadUserInputError } from '@medcollab/kit';
import { appendEvents, CONSUMER, ProbeIgnored, probeOutbox, ProbeRecorded, producerDb, type ProbeDb } from './fixtures/probe';
import { createOutbox } from '../src';

let producer: ProbeDb;
beforeAll(async () => {
  producer = await producerDb();
});
afterAll(() => producer.close());

const count = async (sql: string, params: unknown[] = []) => ((await producer.ds.query(sql, params)) as { n: number }[])[0]!.n;

describe('outbox', () => {
  it('commits a change and its event together', async () => {
    const accountId = randomUUID();
    const [eventId] = await appendEvents(producer.ds, [{ accountId, amount: 5 }]);
    expect(await count('SELECT count(*)::int AS n FROM probe_change WHERE account_id = $1', [accountId])).toBe(1);
    const [event] = await producer.ds.query('SELECT event_type, aggregate_id, sequence, payload FROM outbox WHERE id = $1', [eventId]);
    expect(event).toEqual({
      event_type: 'ProbeRecorded',
      aggregate_id: accountId,
      sequence: 1,
      payload: { accountId, amount: 5, poison: false },
    });
    const deliveries = await producer.ds.query(
      'SELECT consumer, published_at, previous_event_id FROM outbox_delivery WHERE event_id = $1',
      [eventId],
    );
    expect(deliveries).toEqual([{ consumer: CONSUMER, published_at: null, previous_event_id: null }]);
  });

  it('rolls a change and its event back together', async () => {
    const accountId = randomUUID();
    await expect(
      producer.ds.transaction(async (em) => {
        await em.query('INSERT INTO probe_change (account_id, amount) VALUES ($1, 1)', [accountId]);
        await probeOutbox.append(em, ProbeRecorded, accountId, { accountId, amount: 1, poison: false });
        throw new Error('the change failed after the event was appended');
      }),
    ).rejects.toThrow('the change failed');
    expect(await count('SELECT count(*)::int AS n FROM probe_change WHERE account_id = $1', [accountId])).toBe(0);
    expect(await count('SELECT count(*)::int AS n FROM outbox WHERE aggregate_id = $1', [accountId])).toBe(0);
    expect(
      await count('SELECT count(*)::int AS n FROM outbox_delivery d JOIN outbox o ON o.id = d.event_id WHERE o.aggregate_id = $1', [
        accountId,
      ]),
    ).toBe(0);
  });

  it('refuses to append outside a transaction', async () => {
    const accountId = randomUUID();
    await expect(
      probeOutbox.append(producer.ds.manager, ProbeRecorded, accountId, { accountId, amount: 1, poison: false }),
    ).rejects.toThrow(/must run inside a transaction/);
  });

  it('validates the payload before anything is written', async () => {
    const accountId = randomUUID();
    await expect(
      producer.ds.transaction((em) =>
        probeOutbox.append(em, ProbeRecorded, accountId, { accountId: 'not-a-uuid', amount: 1, poison: false }),
      ),
    ).rejects.toThrow(BadUserInputError);
    expect(await count('SELECT count(*)::int AS n FROM outbox WHERE aggregate_id = $1', [accountId])).toBe(0);
  });

  it('numbers an aggregate 1, 2, 3 and chains each delivery to its predecessor for that consumer', async () => {
    const accountId = randomUUID();
    const [a, b] = await appendEvents(producer.ds, [
      { accountId, amount: 1 },
      { accountId, amount: 2 },
    ]);
    // An unrouted event of the same aggregate takes a sequence number but no delivery.
    await producer.ds.transaction((em) => probeOutbox.append(em, ProbeIgnored, accountId, { accountId }));
    const [c] = await appendEvents(producer.ds, [{ accountId, amount: 3 }], 1);
    const rows = await producer.ds.query(
      `SELECT o.id, o.sequence, d.previous_event_id FROM outbox o LEFT JOIN outbox_delivery d ON d.event_id = o.id
        WHERE o.aggregate_id = $1 ORDER BY o.sequence`,
      [accountId],
    );
    expect(rows.map((r: { sequence: number }) => r.sequence)).toEqual([1, 2, 3, 4]);
    expect(rows[0]).toMatchObject({ id: a, previous_event_id: null });
    expect(rows[1]).toMatchObject({ id: b, previous_event_id: a });
    expect(rows[2].previous_event_id).toBeNull(); // ProbeIgnored: no delivery row at all
    expect(rows[3]).toMatchObject({ id: c, previous_event_id: b });
  });

  it('appends many events in bulk with the same sequences and delivery chains as one by one', async () => {
    const fanOut = createOutbox('probe-producer', { ProbeRecorded: ['probe-a', 'probe-b'] });
    const [a, b] = [randomUUID(), randomUUID()];
    const earlier = await producer.ds.transaction((em) => fanOut.append(em, ProbeRecorded, a, { accountId: a, amount: 1, poison: false }));
    const ids = await producer.ds.transaction((em) =>
      fanOut.appendMany(em, ProbeRecorded, [
        { aggregateId: a, payload: { accountId: a, amount: 2, poison: false } },
        { aggregateId: b, payload: { accountId: b, amount: 3, poison: false } },
      ]),
    );
    const events = await producer.ds.query('SELECT id, aggregate_id, sequence FROM outbox WHERE id = ANY($1) ORDER BY position', [ids]);
    expect(events).toEqual([
      { id: ids[0], aggregate_id: a, sequence: 2 },
      { id: ids[1], aggregate_id: b, sequence: 1 },
    ]);
    const deliveries = await producer.ds.query(
      'SELECT event_id, consumer, previous_event_id FROM outbox_delivery WHERE event_id = ANY($1) ORDER BY event_id, consumer',
      [ids],
    );
    expect(deliveries).toEqual(
      expect.arrayContaining([
        { event_id: ids[0], consumer: 'probe-a', previous_event_id: earlier },
        { event_id: ids[0], consumer: 'probe-b', previous_event_id: earlier },
        { event_id: ids[1], consumer: 'probe-a', previous_event_id: null },
        { event_id: ids[1], consumer: 'probe-b', previous_event_id: null },
      ]),
    );
    expect(deliveries).toHaveLength(4);
    await expect(
      producer.ds.transaction((em) =>
        fanOut.appendMany(em, ProbeRecorded, [
          { aggregateId: b, payload: { accountId: b, amount: 4, poison: false } },
          { aggregateId: b, payload: { accountId: b, amount: 5, poison: false } },
        ]),
      ),
    ).rejects.toThrow(/one event per aggregate/);
    await expect(
      fanOut.appendMany(producer.ds.manager, ProbeRecorded, [{ aggregateId: b, payload: { accountId: b, amount: 6, poison: false } }]),
    ).rejects.toThrow(/must run inside a transaction/);
  });

  it('fans one event out to one delivery per consumer, each chained separately', async () => {
    const fanOut = createOutbox('probe-producer', { ProbeRecorded: ['probe-a', 'probe-b'] });
    const accountId = randomUUID();
    const first = await producer.ds.transaction((em) =>
      fanOut.append(em, ProbeRecorded, accountId, { accountId, amount: 1, poison: false }),
    );
    const second = await producer.ds.transaction((em) =>
      fanOut.append(em, ProbeRecorded, accountId, { accountId, amount: 2, poison: false }),
    );
    const rows = await producer.ds.query(
      'SELECT event_id, consumer, previous_event_id FROM outbox_delivery WHERE event_id = ANY($1) ORDER BY consumer',
      [[first, second]],
    );
    expect(rows).toEqual(
      expect.arrayContaining([
        { event_id: first, consumer: 'probe-a', previous_event_id: null },
        { event_id: first, consumer: 'probe-b', previous_event_id: null },
        { event_id: second, consumer: 'probe-a', previous_event_id: first },
        { event_id: second, consumer: 'probe-b', previous_event_id: first },
      ]),
    );
    expect(rows).toHaveLength(4);
  });

  it('lets only one of two concurrent writers take the same sequence number', async () => {
    const accountId = randomUUID();
    await appendEvents(producer.ds, [{ accountId, amount: 1 }]);
    const results = await Promise.allSettled(
      [1, 2, 3].map(() =>
        producer.ds.transaction(async (em) => {
          await probeOutbox.append(em, ProbeRecorded, accountId, { accountId, amount: 9, poison: false });
          await new Promise((r) => setTimeout(r, 50));
        }),
      ),
    );
    const sequences = (await producer.ds.query('SELECT sequence FROM outbox WHERE aggregate_id = $1 ORDER BY sequence', [accountId])).map(
      (r: { sequence: number }) => r.sequence,
    );
    expect(sequences).toEqual(Array.from({ length: sequences.length }, (_, i) => i + 1));
    expect(results.filter((r) => r.status === 'fulfilled').length).toBe(sequences.length - 1);
  });
});
