import { startSupergraph, tokenFor, type RunningSupergraph } from '@medcollab/testing';
import { ECHO_SDL, echoResolvers } from './fixtures/echo';
import { startFixtureSubgraph, type FixtureSubgraph } from './fixtures/subgraph';

// The request timeout is generous here so a loaded machine never trips it; its own test below sets a short one.
const LIMITS = { MAX_DEPTH: 4, MAX_ALIASES: 3, MAX_TOKENS: 120, MAX_COST: 300, MAX_DIRECTIVES: 3, REQUEST_TIMEOUT_MS: 60_000 };

let echo: FixtureSubgraph;
let supergraph: RunningSupergraph;
let token: string;

beforeAll(async () => {
  echo = await startFixtureSubgraph({ name: 'echo', sdl: ECHO_SDL, resolvers: echoResolvers });
  supergraph = await startSupergraph({ subgraphs: [echo], gatewayConfig: LIMITS });
  token = await tokenFor({ roles: ['TEACHER'], institutionId: 'school-1' });
  // The first operation plans queries and opens connections; on a busy machine that alone can
  // pass the tiny 400 ms budget these tests use. Warm up, so the tests measure their own case.
  await supergraph.request('{ chain { depth } }', { token });
});

afterAll(async () => {
  await supergraph?.stop();
  await echo?.stop();
});

/** `{ chain { next { … depth } } }` with `depth` at nesting level n (the armor counts leaves). */
const chainOfDepth = (n: number) => `{ chain { ${'next { '.repeat(n - 2)}depth${' }'.repeat(n - 2)} } }`;
const aliases = (n: number) => `{ ${Array.from({ length: n }, (_, i) => `a${i}: echoActor { personId }`).join(' ')} }`;

function expectRefused(
  res: { status: number; body: { data?: unknown; errors?: { message: string; extensions?: Record<string, unknown> }[] } },
  pattern: RegExp,
) {
  expect(res.status).toBe(400);
  expect(res.body.data).toBeUndefined();
  expect(res.body.errors).toHaveLength(1);
  expect(res.body.errors![0]!.message).toMatch(pattern);
  expect(res.body.errors![0]!.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
}

/** The cost refusal: its own code, the figures in the extensions, no "Syntax Error". */
function expectOverCost(
  res: { status: number; body: { data?: unknown; errors?: { message: string; extensions?: Record<string, unknown> }[] } },
  cost: number,
) {
  expect(res.status).toBe(400);
  expect(res.body.data ?? null).toBeNull();
  expect(res.body.errors).toEqual([
    {
      message: `Operation cost limit of ${LIMITS.MAX_COST} exceeded: this operation could return ${cost} values. Ask for smaller pages (first) or fewer nested lists.`,
      extensions: { code: 'COST_LIMIT_EXCEEDED', cost, maxCost: LIMITS.MAX_COST },
    },
  ]);
}

describe('operation limits', () => {
  it('accepts a query exactly at the depth limit and refuses one level more', async () => {
    const atLimit = await supergraph.request(chainOfDepth(LIMITS.MAX_DEPTH), { token });
    expect(atLimit.body).toEqual({ data: { chain: { next: { next: { depth: 3 } } } } });
    expectRefused(await supergraph.request(chainOfDepth(LIMITS.MAX_DEPTH + 1), { token }), /depth limit of 4 exceeded, found 5/);
  });

  it('accepts exactly the alias limit and refuses one alias more', async () => {
    const atLimit = await supergraph.request(aliases(LIMITS.MAX_ALIASES), { token });
    expect(atLimit.status).toBe(200);
    expect(Object.keys(atLimit.body.data)).toEqual(['a0', 'a1', 'a2']);
    expectRefused(await supergraph.request(aliases(LIMITS.MAX_ALIASES + 1), { token }), /Aliases limit of 3 exceeded, found 4/);
  });

  it('refuses a query with too many tokens', async () => {
    const res = await supergraph.request(`{ echoActor { ${'personId '.repeat(150)}} }`, { token });
    expect(res.status).toBe(400);
    expect(res.body.data).toBeUndefined();
    expect(res.body.errors).toHaveLength(1);
    // graphql-js spells it "more that"; match either in case a release fixes the typo.
    expect(res.body.errors![0]!.message).toMatch(/^Syntax Error: Document contains more tha[nt] 120 tokens/);
    expect(res.body.errors![0]!.extensions).toEqual({ code: 'GRAPHQL_PARSE_FAILED' });
    expect((await supergraph.request(`{ echoActor { ${'personId '.repeat(100)}} }`, { token })).status).toBe(200);
  });

  it('refuses a query whose cost is over the limit, however short', async () => {
    expect((await supergraph.request('{ things(first: 10) { id name } }', { token })).status).toBe(200);
    expectOverCost(await supergraph.request('{ things(first: 1000) { id name } }', { token }), 3000);
  });

  it('counts a page size passed as a variable, or as a variable default, like a literal one', async () => {
    const query = 'query ($n: Int!) { things(first: $n) { id name } }';
    expect((await supergraph.request(query, { token, variables: { n: 10 } })).status).toBe(200);
    expectOverCost(await supergraph.request(query, { token, variables: { n: 1000 } }), 3000);
    expectOverCost(await supergraph.request('query ($n: Int = 1000) { things(first: $n) { id name } }', { token }), 3000);
  });

  it('refuses too many directives', async () => {
    const res = await supergraph.request(
      '{ echoActor { personId @include(if: true) @include(if: true) @skip(if: false) @skip(if: false) } }',
      { token },
    );
    expect(res.status).toBe(400);
    expect(res.body.errors![0]!.message).toMatch(/Directives limit of 3 exceeded/);
  });

  it('refuses a batched HTTP request (a JSON array of operations)', async () => {
    const res = await supergraph.post([{ query: '{ echoActor { personId } }' }, { query: '{ echoActor { roles } }' }], { token });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([{ message: 'Operation batching disabled.', extensions: { code: 'BAD_REQUEST' } }]);
  });

  it('does not suggest field names for a misspelt field', async () => {
    const res = await supergraph.request('{ echoActr { personId } }', { token });
    expect(res.status).toBe(400);
    expect(res.body.errors![0]!.message).not.toMatch(/Did you mean|echoActor/);
  });

  it('blocks a GET that could be a cross-site request (CSRF prevention)', async () => {
    const res = await fetch(`${supergraph.url}?query=${encodeURIComponent('{ echoActor { personId } }')}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({
      errors: [{ message: expect.stringMatching(/Cross-Site Request Forgery/), extensions: { code: 'BAD_REQUEST' } }],
    });
  });
});

describe('request timeout', () => {
  const TIMEOUT_MS = 1_000;
  const SLOW_MS = 30_000;
  let timed: RunningSupergraph;
  beforeAll(async () => {
    timed = await startSupergraph({ subgraphs: [echo], gatewayConfig: { ...LIMITS, REQUEST_TIMEOUT_MS: TIMEOUT_MS } });
  });
  afterAll(() => timed?.stop());

  it('stops an operation that runs past REQUEST_TIMEOUT_MS with a clear error', async () => {
    const started = Date.now();
    const res = await timed.request(`{ fast: echoActor { personId } slow(ms: ${SLOW_MS}) }`, { token });
    const elapsed = Date.now() - started;
    // Stopped by the timeout, never before it; the body below shows the slow field never answered.
    expect(elapsed).toBeGreaterThanOrEqual(TIMEOUT_MS - 20);
    // The fetch failed as a whole, so the error has no field path, and no data came back.
    expect(res.body).toEqual({
      data: null,
      errors: [
        { message: `The operation did not finish within ${TIMEOUT_MS} ms and was stopped`, extensions: { code: 'GATEWAY_TIMEOUT' } },
      ],
    });
  }, 240_000);
});

describe('in production', () => {
  const secret = 'production-like-internal-secret-0123456789';
  const jwtSecret = 'production-like-jwt-secret-0123456789-abcdef';
  let prodEcho: FixtureSubgraph;
  let prod: RunningSupergraph;

  beforeAll(async () => {
    prodEcho = await startFixtureSubgraph({ name: 'echo', sdl: ECHO_SDL, resolvers: echoResolvers }, { secret });
    prod = await startSupergraph({
      subgraphs: [prodEcho],
      secret,
      jwtSecret,
      gatewayConfig: { NODE_ENV: 'production', JWT_ISSUER: 'https://idp.test', JWT_AUDIENCE: 'medcollab' },
    });
  });

  afterAll(async () => {
    await prod?.stop();
    await prodEcho?.stop();
  });

  it('refuses introspection, and still serves ordinary queries', async () => {
    const prodToken = await tokenFor({ roles: ['TEACHER'] }, { secret: jwtSecret, issuer: 'https://idp.test', audience: 'medcollab' });
    for (const query of ['{ __schema { types { name } } }', '{ __type(name: "Query") { fields { name } } }']) {
      const res = await prod.request(query, { token: prodToken });
      expect(res.status).toBe(400);
      expect(res.body.errors![0]!.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
      expect(res.body.errors![0]!.message).toMatch(/introspection/i);
    }
    expect((await prod.request('{ echoActor { roles } }', { token: prodToken })).body).toEqual({
      data: { echoActor: { roles: ['TEACHER'] } },
    });
  });

  it('serves no landing page', async () => {
    const res = await fetch(prod.url, { headers: { accept: 'text/html' } });
    expect(res.headers.get('content-type')).not.toMatch(/html/);
  });

  it('allows introspection outside production', async () => {
    const res = await supergraph.request('{ __type(name: "Query") { name } }', { token });
    expect(res.body).toEqual({ data: { __type: { name: 'Query' } } });
  });
});
