import { randomUUID } from 'node:crypto';
import { startSupergraph, tokenFor, type RunningSupergraph } from '@medcollab/testing';
import { deduplicateRepresentations, expandEntities } from '../src/representations';
import { ECHO_SDL, echoResolvers, EXTRA_SDL, extraReferencesResolved, extraResolvers } from './fixtures/echo';
import { startFixtureSubgraph, type FixtureSubgraph } from './fixtures/subgraph';

const thing = (id: string) => ({ __typename: 'Thing', id });

describe('deduplicateRepresentations', () => {
  it('sends each representation once, in the order of first appearance, and says where each went', () => {
    const variables = { first: 3, representations: [thing('a'), thing('b'), thing('a'), { __typename: 'Other', id: 'a' }, thing('b')] };
    expect(deduplicateRepresentations(variables)).toEqual({
      variables: { first: 3, representations: [thing('a'), thing('b'), { __typename: 'Other', id: 'a' }] },
      sentIndex: [0, 1, 0, 2, 1],
      sent: 3,
    });
  });

  it('compares other representations by their JSON (compound keys), and leaves a list without repeats alone', () => {
    const compound = (a: string, b: string) => ({ __typename: 'Pair', a, b });
    expect(
      deduplicateRepresentations({ representations: [compound('1', '2'), compound('1', '3'), compound('1', '2')] })?.sentIndex,
    ).toEqual([0, 1, 0]);
    expect(deduplicateRepresentations({ representations: [thing('a'), thing('b')] })).toBeUndefined();
    expect(deduplicateRepresentations({ id: 'x' })).toBeUndefined();
    expect(deduplicateRepresentations(undefined)).toBeUndefined();
  });
});

describe('expandEntities', () => {
  const sent = { variables: {}, sentIndex: [0, 1, 0, 0], sent: 2 };

  it('puts each entity everywhere it was asked for, each place with its own top level', () => {
    const shared = { name: 'S' };
    const answer = {
      data: {
        _entities: [
          { id: 'a', school: shared },
          { id: 'b', school: shared },
        ],
      },
    };
    const expanded = expandEntities(answer, sent);
    const entities = expanded.data!._entities as { id: string; school: unknown }[];
    expect(entities.map((e) => e.id)).toEqual(['a', 'b', 'a', 'a']);
    expect(entities[2]).not.toBe(entities[0]);
    expect(entities[2]).toEqual(entities[0]);
  });

  it("repeats an entity's errors at every place, where the subgraph put them", () => {
    const answer = {
      data: {
        _entities: [
          { id: 'a', secret: null },
          { id: 'b', secret: null },
        ],
      },
      errors: [
        { message: 'b locked', path: ['_entities', 1, 'secret'], extensions: { code: 'FORBIDDEN' } },
        { message: 'elsewhere', path: ['other'] },
        { message: 'a locked', path: ['_entities', 0, 'secret'], extensions: { code: 'FORBIDDEN' } },
      ],
    };
    expect(expandEntities(answer, { ...sent, sentIndex: [1, 0, 1, 0] }).errors).toEqual([
      { message: 'b locked', path: ['_entities', 0, 'secret'], extensions: { code: 'FORBIDDEN' } },
      { message: 'b locked', path: ['_entities', 2, 'secret'], extensions: { code: 'FORBIDDEN' } },
      { message: 'elsewhere', path: ['other'] },
      { message: 'a locked', path: ['_entities', 1, 'secret'], extensions: { code: 'FORBIDDEN' } },
      { message: 'a locked', path: ['_entities', 3, 'secret'], extensions: { code: 'FORBIDDEN' } },
    ]);
  });

  it('leaves an answer with another number of entities than sent for the gateway to refuse', () => {
    const answer = { data: { _entities: [{ id: 'a' }] } };
    expect(expandEntities(answer, sent)).toBe(answer);
  });
});

describe('entity fetches through the gateway (ADR 0063)', () => {
  let echo: FixtureSubgraph;
  let extra: FixtureSubgraph;
  let deduplicating: RunningSupergraph;
  let listing: RunningSupergraph;

  beforeAll(async () => {
    echo = await startFixtureSubgraph({ name: 'echo', sdl: ECHO_SDL, resolvers: echoResolvers });
    extra = await startFixtureSubgraph({ name: 'extra', sdl: EXTRA_SDL, resolvers: extraResolvers });
    deduplicating = await startSupergraph({ subgraphs: [echo, extra] });
    listing = await startSupergraph({ subgraphs: [echo, extra], gatewayConfig: { DEDUPLICATE_REPRESENTATIONS: false } });
  });
  afterAll(async () => {
    await Promise.all([deduplicating?.stop(), listing?.stop()]);
    await Promise.all([echo?.stop(), extra?.stop()]);
  });

  const query = `{ thingsByIds(ids: ["a", "locked-1", "b", "a", "locked-1", "a"]) { id name seenBy secret } }`;

  it('asks the subgraph once per entity and answers with every place filled, refusals included, as before', async () => {
    const token = await tokenFor({ personId: randomUUID(), institutionId: randomUUID(), roles: ['COORDINATOR'] });
    const send = async (supergraph: RunningSupergraph) => {
      const before = extraReferencesResolved.count;
      const res = await supergraph.request(query, { token });
      return { status: res.status, text: JSON.stringify(res.body), resolved: extraReferencesResolved.count - before };
    };
    const listed = await send(listing);
    const deduplicated = await send(deduplicating);
    expect(listed.resolved).toBe(6);
    expect(deduplicated.resolved).toBe(3);
    expect(deduplicated.status).toBe(200);
    expect(deduplicated.text).toBe(listed.text);
    const body = JSON.parse(deduplicated.text) as {
      data: { thingsByIds: { id: string; secret: string | null }[] };
      errors: { path: unknown[] }[];
    };
    expect(body.data.thingsByIds.map((t) => t.id)).toEqual(['a', 'locked-1', 'b', 'a', 'locked-1', 'a']);
    expect(body.errors.map((e) => e.path)).toEqual([
      ['thingsByIds', 1, 'secret'],
      ['thingsByIds', 4, 'secret'],
    ]);
  });
});
