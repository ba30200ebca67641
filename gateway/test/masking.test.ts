import { startSupergraph, tokenFor, type RunningSupergraph } from '@medcollab/testing';
import { ECHO_SDL, echoResolvers, EXTRA_SDL, extraResolvers } from './fixtures/echo';
import { startFixtureSubgraph, type FixtureSubgraph } from './fixtures/subgraph';

let echo: FixtureSubgraph;
let extra: FixtureSubgraph;
let supergraph: RunningSupergraph;
let token: string;

beforeAll(async () => {
  echo = await startFixtureSubgraph({ name: 'echo', sdl: ECHO_SDL, resolvers: echoResolvers });
  extra = await startFixtureSubgraph({ name: 'extra', sdl: EXTRA_SDL, resolvers: extraResolvers });
  supergraph = await startSupergraph({ subgraphs: [echo, extra] });
  token = await tokenFor({ roles: ['STUDENT'], institutionId: 'school-1' });
});

afterAll(async () => {
  await supergraph?.stop();
  await Promise.all([echo?.stop(), extra?.stop()]);
});

/** Nothing about the subgraphs (names, URLs), stacks or the original message may reach a client. */
function expectNoInternals(body: unknown, ...subgraphs: FixtureSubgraph[]) {
  const text = JSON.stringify(body);
  for (const leak of [
    'serviceName',
    'stacktrace',
    'hunter2',
    'secret.ts',
    'downstream',
    'response',
    '127.0.0.1',
    ...subgraphs.map((s) => new URL(s.url).port),
  ]) {
    expect(text).not.toContain(leak);
  }
}

describe('error masking', () => {
  it('turns an unexpected subgraph error into a generic one', async () => {
    const res = await supergraph.request('{ boom }', { token });
    expect(res.body).toEqual({
      data: { boom: null },
      errors: [{ message: 'Internal server error', path: ['boom'], extensions: { code: 'INTERNAL_SERVER_ERROR' } }],
    });
    expectNoInternals(res.body, echo, extra);
  });

  it('passes FORBIDDEN through with its message and code, without the subgraph name', async () => {
    const res = await supergraph.request('{ forbidden }', { token });
    expect(res.body).toEqual({
      data: { forbidden: null },
      errors: [{ message: 'Only coordinators may see this', path: ['forbidden'], extensions: { code: 'FORBIDDEN' } }],
    });
  });

  it('passes BAD_USER_INPUT through with the fields that failed', async () => {
    const res = await supergraph.request('query ($email: String!, $year: Int!) { validate(email: $email, year: $year) }', {
      token,
      variables: { email: 'not-an-email', year: 0 },
    });
    const [error] = res.body.errors!;
    expect(error!.extensions).toEqual({
      code: 'BAD_USER_INPUT',
      fields: [
        { path: 'email', message: expect.any(String) },
        { path: 'year', message: expect.any(String) },
      ],
    });
    expectNoInternals(res.body, echo, extra);
  });

  it('masks a subgraph that is unreachable, and /readyz names it when READINESS_DETAILS is on', async () => {
    const gone = await startFixtureSubgraph({ name: 'extra', sdl: EXTRA_SDL, resolvers: extraResolvers });
    const partial = await startSupergraph({ subgraphs: [echo, gone], gatewayConfig: { READINESS_DETAILS: true } });
    try {
      await gone.stop();
      const res = await partial.request('{ thing(id: "1") { id seenBy } }', { token });
      expect(res.body.errors).toEqual([{ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }]);
      expectNoInternals(res.body, echo, gone);
      const ready = await fetch(partial.url.replace(/\/graphql$/, '/readyz'));
      expect(ready.status).toBe(503);
      expect(await ready.json()).toEqual({ status: 'unready', checks: { 'subgraph:echo': 'ok', 'subgraph:extra': 'unreachable' } });
    } finally {
      await partial.stop();
    }
  });

  it('masks a subgraph that refuses the gateway (signing secrets differ) instead of blaming the caller', async () => {
    const misconfigured = await startSupergraph({ subgraphs: [echo], secret: 'a-different-internal-signing-secret-0123' });
    try {
      const res = await misconfigured.request('{ echoActor { personId } }', { token });
      expect(res.body).toEqual({
        data: null,
        errors: [{ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }],
      });
      expectNoInternals(res.body, echo);
    } finally {
      await misconfigured.stop();
    }
  });

  it('answers a malformed JSON body with a GraphQL-shaped 400', async () => {
    const res = await fetch(supergraph.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: '{"query": ',
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ errors: [{ message: 'Malformed request body', extensions: { code: 'BAD_REQUEST' } }] });
  });
});
