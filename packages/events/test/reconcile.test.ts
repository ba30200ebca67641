import { randomUUID } from 'node:crypto';
import { CONSUMER, ProbeIgnored, ProbeRecorded, producerDb, type ProbeDb } from './fixtures/probe';
import { createOutbox, reconcileRoutes } from '../src';

let producer: ProbeDb;
beforeAll(async () => {
  producer = await producerDb();
});
afterAll(() => producer.close());

/** Deliveries of one aggregate for a consumer, in the aggregate's order. */
const chain = async (accountId: string, consumer: string) =>
  (await producer.ds.query(
    `SELECT o.id, o.sequence, d.previous_event_id AS prev FROM outbox o
       JOIN outbox_delivery d ON d.event_id = o.id AND d.consumer = $2
      WHERE o.aggregate_id = $1 ORDER BY o.sequence`,
    [accountId, consumer],
  )) as { id: string; sequence: number; prev: string | null }[];

describe('reconcileRoutes', () => {
  it('gives a consumer added to the routing table the history written before, in order, once', async () => {
    const accountId = randomUUID();
    // Written by a release that routed nothing to the late consumer.
    const before = createOutbox('probe-producer', { ProbeRecorded: [CONSUMER] });
    await producer.ds.transaction(async (em) => {
      await before.append(em, ProbeRecorded, accountId, { accountId, amount: 1, poison: false });
      await before.append(em, ProbeIgnored, accountId, { accountId });
      await before.append(em, ProbeRecorded, accountId, { accountId, amount: 2, poison: false });
    });
    // The next release routes both types to `late`; one event is written before its worker starts.
    const routes = { ProbeRecorded: [CONSUMER, 'late'], ProbeIgnored: ['late'] };
    await producer.ds.transaction((em) =>
      createOutbox('probe-producer', routes).append(em, ProbeRecorded, accountId, { accountId, amount: 3, poison: false }),
    );
    expect((await chain(accountId, 'late')).map((d) => d.prev)).toEqual([null]);

    const added = await reconcileRoutes(producer.ds, routes);
    expect(added.late).toBeGreaterThanOrEqual(3);
    const late = await chain(accountId, 'late');
    expect(late.map((d) => d.sequence)).toEqual([1, 2, 3, 4]);
    expect(late.map((d) => d.prev)).toEqual([null, late[0]!.id, late[1]!.id, late[2]!.id]);
    // The existing consumer's deliveries are untouched.
    expect((await chain(accountId, CONSUMER)).map((d) => d.sequence)).toEqual([1, 3, 4]);

    expect((await reconcileRoutes(producer.ds, routes)).late).toBe(0);
  });

  it("delivers an event written for some of its type's consumers to those only, and never adds the others (ADR 0053)", async () => {
    const accountId = randomUUID();
    const routes = { ProbeRecorded: [CONSUMER, 'late'] };
    const outbox = createOutbox('probe-producer', routes);
    await producer.ds.transaction(async (em) => {
      await outbox.append(em, ProbeRecorded, accountId, { accountId, amount: 1, poison: false }, { only: [CONSUMER] });
      await outbox.append(em, ProbeRecorded, accountId, { accountId, amount: 2, poison: false }, { only: ['late'] });
      await outbox.append(em, ProbeRecorded, accountId, { accountId, amount: 3, poison: false });
    });
    const before = { mine: await chain(accountId, CONSUMER), late: await chain(accountId, 'late') };
    expect(before.mine.map((d) => d.sequence)).toEqual([1, 3]);
    expect(before.late.map((d) => d.sequence)).toEqual([2, 3]);
    // Each consumer's chain skips the events that were not for it.
    expect(before.mine.map((d) => d.prev)).toEqual([null, before.mine[0]!.id]);
    expect(before.late.map((d) => d.prev)).toEqual([null, before.late[0]!.id]);
    await reconcileRoutes(producer.ds, routes);
    expect(await chain(accountId, CONSUMER)).toEqual(before.mine);
    expect(await chain(accountId, 'late')).toEqual(before.late);
  });
});
