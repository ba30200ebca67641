import { randomUUID } from 'node:crypto';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { graphql, parse } from 'graphql';
import { type Actor, DateTimeResolver, type RequestContext } from '@medcollab/kit';
import { EVENT_ADMIN_SDL, eventAdminResolvers, type EventJobData, parkEvent } from '../src';
import { appendEvents, type ProbeDb, producerDb, testLog } from './fixtures/probe';

let db: ProbeDb;
const parkedIds = [randomUUID(), randomUUID()];

const admin: Actor = { personId: randomUUID(), institutionId: null, roles: ['NETWORK_ADMIN'] };
const coordinator: Actor = { personId: randomUUID(), institutionId: randomUUID(), roles: ['COORDINATOR', 'INSTITUTION_ADMIN'] };
const ctx = (actor: Actor): RequestContext => ({ actor, requestId: 'req-1', log: testLog() });

const jobData = (id: string): EventJobData => ({
  previousEventId: null,
  envelope: {
    id,
    type: 'ProbeRecorded',
    version: 1,
    source: 'probe-producer',
    aggregateType: 'ProbeAccount',
    aggregateId: randomUUID(),
    sequence: 1,
    occurredAt: new Date().toISOString(),
    payload: {},
    metadata: {},
  },
});

beforeAll(async () => {
  db = await producerDb();
  // Three unpublished deliveries, one of which we then mark published but not consumed.
  const [first] = await appendEvents(
    db.ds,
    [1, 2, 3].map((amount) => ({ accountId: randomUUID(), amount })),
  );
  await db.ds.query('UPDATE outbox_delivery SET published_at = now() WHERE event_id = $1', [first]);
  await parkEvent(db.ds, jobData(parkedIds[0]!), new Error('first failure'), 5);
  await new Promise((r) => setTimeout(r, 5));
  await parkEvent(db.ds, jobData(parkedIds[1]!), new Error('second failure'), 1);
});
afterAll(() => db.close());

describe('event admin resolvers', () => {
  const resolvers = eventAdminResolvers<RequestContext>('probe', () => db.ds);
  const status = resolvers.Query.probeEvents!;
  const replay = resolvers.Mutation.replayProbeParkedEvent!;

  it('refuse anyone but a network admin', async () => {
    expect(() => status(undefined, {}, ctx(coordinator))).toThrow(expect.objectContaining({ code: 'FORBIDDEN' }));
    expect(() => replay(undefined, { eventId: parkedIds[0] }, ctx(coordinator))).toThrow(expect.objectContaining({ code: 'FORBIDDEN' }));
    expect(await db.ds.query('SELECT count(*)::int AS n FROM parked_event WHERE replayed_at IS NOT NULL')).toEqual([{ n: 0 }]);
  });

  it('report the outbox and the parked events', async () => {
    const s = await status(undefined, {}, ctx(admin));
    expect(s).toMatchObject({ service: 'probe', unpublishedCount: 2, unconsumedCount: 1, parkedCount: 2 });
    expect(s.oldestUnpublishedAgeSeconds).toBeGreaterThanOrEqual(0);
    const newest = await s.parked({ first: 1 });
    expect(newest).toHaveLength(1);
    expect(newest[0]).toMatchObject({
      eventId: parkedIds[1],
      source: 'probe-producer',
      eventType: 'ProbeRecorded',
      attempts: 1,
      replayedAt: null,
    });
    expect(newest[0]!.error).toMatch(/second failure/);
    expect((await s.parked({})).map((p) => p.eventId)).toEqual([parkedIds[1], parkedIds[0]]);
    await expect(s.parked({ first: 0 })).rejects.toMatchObject({ code: 'BAD_USER_INPUT' });
    await expect(s.parked({ first: 101 })).rejects.toMatchObject({ code: 'BAD_USER_INPUT' });
  });

  it('request a replay (idempotently), and refuse bad or unknown ids', async () => {
    expect(() => replay(undefined, { eventId: 'nope' }, ctx(admin))).toThrow(expect.objectContaining({ code: 'BAD_USER_INPUT' }));
    await expect(replay(undefined, { eventId: randomUUID() }, ctx(admin))).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const replayed = await replay(undefined, { eventId: parkedIds[0] }, ctx(admin));
    expect(replayed.replayedAt).toBeInstanceOf(Date);
    const again = await replay(undefined, { eventId: parkedIds[0] }, ctx(admin));
    expect(again.replayedAt).toEqual(replayed.replayedAt);
  });

  it('plug into a subgraph schema built from EVENT_ADMIN_SDL', async () => {
    const typeDefs = parse(`
      extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@shareable"])
      scalar DateTime
      type Query { ping: Boolean }
      type Mutation { ping: Boolean }
      ${EVENT_ADMIN_SDL('probe')}`);
    const schema = buildSubgraphSchema([
      { typeDefs, resolvers: { DateTime: DateTimeResolver, ...eventAdminResolvers<RequestContext>('probe', () => db.ds) } },
    ]);
    const query =
      '{ probeEvents { service unpublishedCount oldestUnpublishedAgeSeconds unconsumedCount parkedCount parked(first: 5) { eventId attempts parkedAt replayedAt } } }';
    const result = await graphql({ schema, source: query, contextValue: ctx(admin) });
    expect(result.errors).toBeUndefined();
    // Over HTTP the response is JSON: read it the way a client would.
    const data = JSON.parse(JSON.stringify(result.data)) as {
      probeEvents: { service: string; parked: { eventId: string; parkedAt: string }[] };
    };
    expect(data.probeEvents.service).toBe('probe');
    expect(data.probeEvents.parked.map((p) => p.eventId).sort()).toEqual([...parkedIds].sort());
    expect(data.probeEvents.parked[0]!.parkedAt).toMatch(/^\d{4}-\d{2}-\d{2}T/);

    const denied = await graphql({ schema, source: query, contextValue: ctx(coordinator) });
    expect(denied.errors?.[0]?.message).toMatch(/network administrator/);
    const mutation = await graphql({
      schema,
      source: 'mutation($id: ID!) { replayProbeParkedEvent(eventId: $id) { eventId replayedAt } }',
      variableValues: { id: parkedIds[1] },
      contextValue: ctx(admin),
    });
    expect(mutation.errors).toBeUndefined();
    expect(JSON.parse(JSON.stringify(mutation.data)).replayProbeParkedEvent.replayedAt).toMatch(/^\d{4}-/);
  });
});
