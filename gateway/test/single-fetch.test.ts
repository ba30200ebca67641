import { createHash } from 'node:crypto';
import { startSupergraph, tokenFor, type RequestOptions, type RunningSupergraph } from '@medcollab/testing';
import { SHAPES_SDL, shapesResolvers, startRawSubgraph, type RawSubgraph } from './fixtures/shapes';
import { startFixtureSubgraph, type FixtureSubgraph } from './fixtures/subgraph';

/**
 * The single-fetch path (ADR 0039) against the gateway's normal path: two gateways over the same
 * subgraphs, one with SINGLE_FETCH_PATH off. Every operation is sent to the fast gateway twice
 * (its first request takes the normal path and teaches it the route) and once to the other; the
 * HTTP status and the response body — data, errors after masking, extensions, key order — must
 * be the same, and the operations that can take the path must have taken it.
 */
let shapes: FixtureSubgraph;
let raw: RawSubgraph;
let fast: RunningSupergraph;
let normal: RunningSupergraph;
let token: string;

beforeAll(async () => {
  shapes = await startFixtureSubgraph({ name: 'shapes', sdl: SHAPES_SDL, resolvers: shapesResolvers });
  raw = await startRawSubgraph();
  const subgraphs = [shapes, raw];
  fast = await startSupergraph({ subgraphs, gatewayConfig: { LOG_LEVEL: 'silent' } });
  normal = await startSupergraph({ subgraphs, gatewayConfig: { LOG_LEVEL: 'silent', SINGLE_FETCH_PATH: false } });
  token = await tokenFor({ roles: ['STUDENT'], institutionId: 'school-1' });
});

afterAll(async () => {
  await Promise.all([fast?.stop(), normal?.stop()]);
  await Promise.all([shapes?.stop(), raw?.stop()]);
});

type Path = 'single-fetch' | 'planned';

/** Sends the operation through both gateways; fails on any difference; tells which path the fast one took. */
async function compare(query: string, opts: Omit<RequestOptions, 'token'> = {}) {
  const served = fast.gateway.singleFetch!.served;
  await fast.request(query, { ...opts, token });
  const before = served.singleFetch;
  const viaFast = await fast.request(query, { ...opts, token });
  const path: Path = served.singleFetch > before ? 'single-fetch' : 'planned';
  // The gateway's own record agrees with what the counter saw.
  const decision = fast.gateway.singleFetch!.decision(createHash('sha256').update(query).digest('hex'), opts.operationName);
  expect(decision === 'single-fetch').toBe(path === 'single-fetch');
  const viaNormal = await normal.request(query, { ...opts, token });
  expect(viaFast.status).toBe(viaNormal.status);
  expect(JSON.stringify(viaFast.body)).toBe(JSON.stringify(viaNormal.body));
  return { path, status: viaFast.status, body: viaFast.body };
}

describe('the single-fetch path answers exactly as the gateway does', () => {
  it('is off when SINGLE_FETCH_PATH is false', () => {
    expect(normal.gateway.singleFetch).toBeUndefined();
    expect(fast.gateway.singleFetch).toBeDefined();
  });

  it.each<[string, string, Record<string, unknown> | undefined, Path]>([
    ['variables', 'query Shelf($id: ID!) { shelf(id: $id) { id name mood tags } }', { id: '2' }, 'single-fetch'],
    ['aliases', '{ a: shelf(id: "1") { id title: name } b: shelf(id: "2") { key: id } }', undefined, 'single-fetch'],
    ['a list with a page size', 'query ($n: Int!) { shelves(first: $n) { id mood } }', { n: 3 }, 'single-fetch'],
    [
      'named fragments',
      '{ shelves(first: 2) { ...Parts items { label } } } fragment Parts on Shelf { id name }',
      undefined,
      'single-fetch',
    ],
    ['an inline fragment on the same type', '{ shelf(id: "1") { ... on Shelf { id } name } }', undefined, 'single-fetch'],
    ['nested __typename', '{ shelf(id: "1") { __typename id } }', undefined, 'single-fetch'],
    ['an enum list', '{ moods }', undefined, 'single-fetch'],
    [
      '@include and @skip, both ways',
      'query ($withName: Boolean!, $noTags: Boolean = false) { shelf(id: "1") { id name @include(if: $withName) tags @skip(if: $noTags) } }',
      { withName: false, noTags: true },
      'single-fetch',
    ],
    [
      '@include and @skip, the other way',
      'query ($withName: Boolean!, $noTags: Boolean = false) { shelf(id: "1") { id name @include(if: $withName) tags @skip(if: $noTags) } }',
      { withName: true },
      'single-fetch',
    ],
    [
      'a fragment with a directive',
      'query ($x: Boolean!) { shelf(id: "1") { id ... @include(if: $x) { name } } }',
      { x: true },
      'single-fetch',
    ],
    [
      'partial data with errors (FORBIDDEN and a masked one)',
      '{ shelf(id: "3") { id items { label weight } } }',
      undefined,
      'single-fetch',
    ],
    ['FORBIDDEN on a nullable root field', '{ lockedShelf { id } }', undefined, 'single-fetch'],
    ['NOT_FOUND on a non-null root field (data null)', '{ shelf(id: "404") { id } }', undefined, 'single-fetch'],
    ['an unexpected error on a non-null root field, masked', '{ brokenShelf { id } moods }', undefined, 'single-fetch'],
    ['BAD_USER_INPUT from the subgraph', '{ count(n: 0) }', undefined, 'single-fetch'],
    ['__typename at the root', '{ __typename shelf(id: "1") { id } }', undefined, 'planned'],
    ['an interface', '{ named { name ... on Shelf { id mood } } }', undefined, 'planned'],
    ['an enum with a hidden value', '{ secrecy }', undefined, 'planned'],
    ['introspection beside a field', '{ __schema { queryType { name } } moods }', undefined, 'planned'],
    ['a fragment on another type', '{ shelf(id: "1") { ... on Named { name } id } }', undefined, 'planned'],
  ])('%s', async (_name, query, variables, expected) => {
    const { path, body } = await compare(query, { variables });
    expect(body.data).toBeDefined();
    expect(path).toBe(expected);
  });

  it('keeps one route per operation of a document with several', async () => {
    const query = 'query A { shelf(id: "1") { id } } query B { moods }';
    const a = await compare(query, { operationName: 'A' });
    const b = await compare(query, { operationName: 'B' });
    expect(a).toMatchObject({ path: 'single-fetch', body: { data: { shelf: { id: '1' } } } });
    expect(b).toMatchObject({ path: 'single-fetch', body: { data: { moods: ['CALM', 'BUSY'] } } });
  });

  it('refuses bad variables before any path (400 from the gateway)', async () => {
    const { status, body } = await compare('query ($id: ID!) { shelf(id: $id) { id } }', { variables: {} });
    expect(status).toBe(400);
    expect(body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('masks what a subgraph sends with an error and no data, on nullable and non-null roots', async () => {
    raw.status = 200;
    raw.answer = JSON.stringify({ errors: [{ message: 'db at 10.0.0.7 down' }] });
    expect((await compare('{ rawName }')).body).toEqual({
      data: { rawName: null },
      errors: [{ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }],
    });
    raw.answer = JSON.stringify({ data: null, errors: [{ message: 'Nope', extensions: { code: 'FORBIDDEN' } }] });
    const nonNull = await compare('{ rawName rawCount }');
    expect(nonNull).toMatchObject({ path: 'single-fetch', body: { data: null, errors: [{ extensions: { code: 'FORBIDDEN' } }] } });
  });

  it('reports an answer with neither data nor errors as the gateway does (valueCompletion)', async () => {
    raw.status = 200;
    raw.answer = '{}';
    const nonNull = await compare('{ rawName rawCount }');
    expect(nonNull.path).toBe('single-fetch');
    expect(nonNull.body).toMatchObject({ data: null, extensions: { valueCompletion: [{ path: ['rawCount'] }] } });
    const nullable = await compare('{ rawName }');
    expect(nullable.body).toEqual({ data: { rawName: null } });
  });

  it('masks an HTTP error of the subgraph', async () => {
    raw.status = 500;
    raw.answer = '{"errors":[{"message":"stack at /srv"}]}';
    const { path, body } = await compare('{ rawName }');
    raw.status = 200;
    expect(path).toBe('single-fetch');
    expect(body).toEqual({
      data: { rawName: null },
      errors: [{ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }],
    });
  });

  it('masks a subgraph that is down, on a route learned while it was up', async () => {
    // In the order asked, as the GraphQL spec has every subgraph answer (the path relies on it).
    raw.answer = JSON.stringify({ data: { rawCount: 1, rawName: 'here' } });
    expect((await compare('{ rawCount rawName }')).body).toEqual({ data: { rawCount: 1, rawName: 'here' } });
    await raw.stop();
    const served = fast.gateway.singleFetch!.served.singleFetch;
    const viaFast = await fast.request('{ rawCount rawName }', { token });
    const viaNormal = await normal.request('{ rawCount rawName }', { token });
    expect(fast.gateway.singleFetch!.served.singleFetch).toBe(served + 1);
    expect(JSON.stringify(viaFast.body)).toBe(JSON.stringify(viaNormal.body));
    expect(viaFast.body).toEqual({
      data: null,
      errors: [{ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }],
    });
  });
});
