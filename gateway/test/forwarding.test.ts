import { randomUUID } from 'node:crypto';
import { signActorHeaders, DEV_INTERNAL_SECRET } from '@medcollab/kit';
import { startSupergraph, tokenFor, type RunningSupergraph } from '@medcollab/testing';
import { ECHO_SDL, echoResolvers, EXTRA_SDL, extraResolvers } from './fixtures/echo';
import { captureLogger } from './fixtures/capture-logger';
import { startFixtureSubgraph, type FixtureSubgraph } from './fixtures/subgraph';

let echo: FixtureSubgraph;
let extra: FixtureSubgraph;
let supergraph: RunningSupergraph;

/** Log lines the gateway wrote, each with the bindings of the child logger that wrote it. */
const logLines: Record<string, unknown>[] = [];

beforeAll(async () => {
  echo = await startFixtureSubgraph({ name: 'echo', sdl: ECHO_SDL, resolvers: echoResolvers });
  extra = await startFixtureSubgraph({ name: 'extra', sdl: EXTRA_SDL, resolvers: extraResolvers });
  supergraph = await startSupergraph({ subgraphs: [echo, extra], log: captureLogger(logLines) });
});

afterAll(async () => {
  await supergraph?.stop();
  await Promise.all([echo?.stop(), extra?.stop()]);
});

const actor = { personId: randomUUID(), institutionId: randomUUID(), roles: ['COORDINATOR' as const] };

describe('forwarding the caller', () => {
  it('hands the subgraph the verified actor and the request id, signed', async () => {
    const res = await supergraph.request('{ echoActor { personId institutionId roles requestId } }', {
      token: await tokenFor(actor),
      headers: { 'x-request-id': 'client-req-0001' },
    });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ data: { echoActor: { ...actor, requestId: 'client-req-0001' } } });
    expect(res.headers.get('x-request-id')).toBe('client-req-0001');
    expect(logLines).toContainEqual(
      expect.objectContaining({
        level: 'info',
        msg: 'operation',
        requestId: 'client-req-0001',
        status: 200,
        // The caller, so the line joins the audit trail's entries of this request (issue 15).
        callerId: actor.personId,
        callerInstitutionId: actor.institutionId,
        callerRoles: actor.roles,
      }),
    );
  });

  it('signs entity fetches too (`_entities` in the second subgraph sees the same actor)', async () => {
    const res = await supergraph.request('query ($id: ID!) { thing(id: $id) { id name seenBy } }', {
      token: await tokenFor(actor),
      variables: { id: '7' },
    });
    expect(res.body).toEqual({ data: { thing: { id: '7', name: 'Thing 7', seenBy: actor.personId } } });
  });

  it('replaces a malformed x-request-id with a generated one', async () => {
    const res = await supergraph.request('{ echoActor { requestId } }', {
      token: await tokenFor(actor),
      headers: { 'x-request-id': 'bad id with spaces' },
    });
    const id = res.headers.get('x-request-id');
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.body.data.echoActor.requestId).toBe(id);
  });
});

describe('a subgraph reached without the gateway', () => {
  const post = (url: string, query: string, headers: Record<string, string> = {}, variables?: unknown) =>
    fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query, variables }) });

  it('answers 401 to a root field', async () => {
    const res = await post(echo.url, '{ echoActor { personId } }');
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ errors: [{ extensions: { code: 'UNAUTHENTICATED' } }] });
  });

  it('answers 401 to `_entities`, with no signature or a forged one', async () => {
    const query = 'query ($r: [_Any!]!) { _entities(representations: $r) { ... on Thing { seenBy } } }';
    const variables = { r: [{ __typename: 'Thing', id: '1' }] };
    expect((await post(extra.url, query, {}, variables)).status).toBe(401);
    const body = JSON.stringify({ query, variables });
    const forged = signActorHeaders(actor, { secret: 'not-the-internal-secret-0123456789abcdef', requestId: 'r1', body });
    expect((await post(extra.url, query, forged, variables)).status).toBe(401);
    // The same call with the gateway's secret goes through: the 401s above are the signature's doing.
    const signed = signActorHeaders(actor, { secret: DEV_INTERNAL_SECRET, requestId: 'r2', body });
    const ok = await post(extra.url, query, signed, variables);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ data: { _entities: [{ seenBy: actor.personId }] } });
  });
});

describe('a captured set of gateway-signed headers', () => {
  const send = (url: string, headers: Record<string, string>, body: string) =>
    fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  const signedFor = (body: string, operationName?: string) =>
    signActorHeaders(actor, { secret: DEV_INTERNAL_SECRET, requestId: 'captured-1', body, operationName });

  it('is refused when sent again, even with the same body', async () => {
    const body = JSON.stringify({ query: '{ echoActor { personId } }' });
    const headers = signedFor(body);
    expect((await send(echo.url, headers, body)).status).toBe(200);
    const again = await send(echo.url, headers, body);
    expect(again.status).toBe(401);
    expect(await again.json()).toMatchObject({ errors: [{ extensions: { code: 'UNAUTHENTICATED' } }] });
  });

  it('is refused with any other body or operation name', async () => {
    const body = JSON.stringify({ query: 'query Mine { echoActor { personId } }', operationName: 'Mine' });
    const headers = signedFor(body, 'Mine');
    const other = JSON.stringify({ query: 'query Mine { boom }', operationName: 'Mine' });
    expect((await send(echo.url, headers, other)).status).toBe(401);
    const renamed = JSON.stringify({ query: 'query Other { echoActor { personId } }', operationName: 'Other' });
    expect((await send(echo.url, signedFor(renamed, 'Mine'), renamed)).status).toBe(401);
    // Whitespace counts: the digest is of the bytes, not of a re-serialisation.
    expect((await send(echo.url, signedFor(body, 'Mine'), `${body} `)).status).toBe(401);
    expect((await send(echo.url, signedFor(body, 'Mine'), body)).status).toBe(200);
  });

  it('leaves ordinary traffic alone: one client request fans out to several signed fetches', async () => {
    const token = await tokenFor(actor);
    for (let i = 0; i < 3; i++) {
      const res = await supergraph.request('query ($id: ID!) { thing(id: $id) { id name seenBy } }', { token, variables: { id: `${i}` } });
      expect(res.body).toEqual({ data: { thing: { id: `${i}`, name: `Thing ${i}`, seenBy: actor.personId } } });
    }
  });
});

describe('health', () => {
  it('is live and ready while every subgraph is ready, and names no subgraph to the public', async () => {
    const base = supergraph.url.replace(/\/graphql$/, '');
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready' });
  });

  it('names each subgraph and its state when READINESS_DETAILS is on', async () => {
    const detailed = await startSupergraph({ subgraphs: [echo, extra], gatewayConfig: { READINESS_DETAILS: true, LOG_LEVEL: 'silent' } });
    try {
      const ready = await fetch(detailed.url.replace(/\/graphql$/, '/readyz'));
      expect(await ready.json()).toEqual({ status: 'ready', checks: { 'subgraph:echo': 'ok', 'subgraph:extra': 'ok' } });
    } finally {
      await detailed.stop();
    }
  });

  it('tells an unready state without naming the subgraph, and logs which one', async () => {
    const gone = await startFixtureSubgraph({ name: 'echo', sdl: ECHO_SDL, resolvers: echoResolvers });
    const lonely = await startSupergraph({ subgraphs: [gone], log: captureLogger(logLines, { gateway: 'lonely' }) });
    try {
      await gone.stop();
      const ready = await fetch(lonely.url.replace(/\/graphql$/, '/readyz'));
      expect(ready.status).toBe(503);
      expect(await ready.json()).toEqual({ status: 'unready' });
      expect(logLines).toContainEqual(
        expect.objectContaining({ gateway: 'lonely', level: 'warn', msg: 'not ready', checks: { 'subgraph:echo': 'unreachable' } }),
      );
    } finally {
      await lonely.stop();
    }
  });
});
