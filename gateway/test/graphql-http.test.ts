import { createServer, type IncomingMessage, type Server } from 'node:http';
import { type AddressInfo } from 'node:net';
import { type ApolloServer, HeaderMap, type HTTPGraphQLRequest } from '@apollo/server';
import { closeServer, createLogger } from '@medcollab/kit';
import { startSupergraph, tokenFor, type RunningSupergraph } from '@medcollab/testing';
import { type GatewayContext } from '../src/context';
import { graphqlHttpHandler, takesPlainPath } from '../src/graphql-http';
import { ECHO_SDL, echoResolvers } from './fixtures/echo';
import { startFixtureSubgraph, type FixtureSubgraph } from './fixtures/subgraph';

const request = (method: string, url: string, headers: Record<string, string>) => ({ method, url, headers }) as unknown as IncomingMessage;
const json = { 'content-type': 'application/json', 'content-length': '2' };

describe('which requests take the plain path (ADR 0051)', () => {
  it('takes a POST of JSON to /graphql, with or without a query string or a UTF-8 charset', () => {
    expect(takesPlainPath(request('POST', '/graphql', json))).toBe(true);
    expect(takesPlainPath(request('POST', '/graphql?x=1', json))).toBe(true);
    expect(takesPlainPath(request('POST', '/graphql', { ...json, 'content-type': 'application/json; charset=UTF-8' }))).toBe(true);
    expect(takesPlainPath(request('POST', '/graphql', { 'content-type': 'application/json', 'transfer-encoding': 'chunked' }))).toBe(true);
  });

  it('leaves to express every other method, path, type, charset, encoding, and a POST without a body', () => {
    expect(takesPlainPath(request('GET', '/graphql', json))).toBe(false);
    expect(takesPlainPath(request('POST', '/graphql/x', json))).toBe(false);
    expect(takesPlainPath(request('POST', '/readyz', json))).toBe(false);
    expect(takesPlainPath(request('POST', '/graphql', { ...json, 'content-type': 'text/plain' }))).toBe(false);
    expect(takesPlainPath(request('POST', '/graphql', { ...json, 'content-type': 'application/json; charset=latin1' }))).toBe(false);
    expect(takesPlainPath(request('POST', '/graphql', { ...json, 'content-encoding': 'gzip' }))).toBe(false);
    expect(takesPlainPath(request('POST', '/graphql', { 'content-type': 'application/json' }))).toBe(false);
  });
});

describe('the plain GraphQL handler', () => {
  const STALL_MS = 5_000;
  let server: Server;
  let base: string;
  const seen: { request: HTTPGraphQLRequest; requestId: string }[] = [];
  let lateAnswerDropped: Promise<void>;

  beforeAll(async () => {
    let signalLate: () => void;
    lateAnswerDropped = new Promise((resolve) => (signalLate = resolve));
    // Stands in for Apollo: echoes what it was handed; "stall" answers long after the backstop.
    const apollo = {
      executeHTTPGraphQLRequest: async ({
        httpGraphQLRequest,
        context,
      }: {
        httpGraphQLRequest: HTTPGraphQLRequest;
        context: () => Promise<GatewayContext>;
      }) => {
        const { requestId } = await context();
        seen.push({ request: httpGraphQLRequest, requestId });
        const stall = (httpGraphQLRequest.body as { query?: string }).query === 'stall';
        if (stall) await new Promise((r) => setTimeout(r, STALL_MS));
        const headers = new HeaderMap([['content-type', 'application/json; charset=utf-8']]);
        if (stall) setImmediate(() => signalLate());
        return {
          status: 200,
          headers,
          body: { kind: 'complete' as const, string: JSON.stringify({ data: { echo: httpGraphQLRequest.body } }) },
        };
      },
    } as unknown as ApolloServer<GatewayContext>;
    const handler = graphqlHttpHandler({
      apollo,
      context: async (_req, requestId) => ({ requestId }) as GatewayContext,
      bodyLimitBytes: 1_024,
      deadlineMs: 100,
      timeoutMs: 50,
      log: createLogger('test', 'silent'),
    });
    server = createServer(handler);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
  });

  afterAll(() => closeServer(server));

  const post = (body: string, headers: Record<string, string> = {}, url = base) =>
    fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });

  it('hands Apollo the parsed body, the headers, the query string and the request id it echoes', async () => {
    const res = await post(
      '{"query":"{ a }","variables":{"n":1}}',
      { 'x-request-id': 'client-1', authorization: 'Bearer t' },
      `${base}?x=1`,
    );
    expect(res.status).toBe(200);
    expect(res.headers.get('x-request-id')).toBe('client-1');
    expect(await res.json()).toEqual({ data: { echo: { query: '{ a }', variables: { n: 1 } } } });
    const last = seen.at(-1)!;
    expect(last.requestId).toBe('client-1');
    expect(last.request.method).toBe('POST');
    expect(last.request.search).toBe('?x=1');
    expect(last.request.headers.get('authorization')).toBe('Bearer t');
  });

  it('makes a request id when the given one is malformed, and reads an empty body as an empty object', async () => {
    const res = await post('', { 'x-request-id': 'bad id' });
    expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(seen.at(-1)!.requestId).toBe(res.headers.get('x-request-id'));
    expect(await res.json()).toEqual({ data: { echo: {} } });
  });

  it.each([
    ['broken JSON', '{"query": '],
    ['JSON that is not an object or a list', '"query"'],
  ])('answers %s with a GraphQL-shaped 400 and never calls Apollo', async (_, body) => {
    const before = seen.length;
    const res = await post(body);
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ errors: [{ message: 'Malformed request body', extensions: { code: 'BAD_REQUEST' } }] });
    expect(seen.length).toBe(before);
  });

  it('answers an oversized body with a GraphQL-shaped 413', async () => {
    const res = await post(JSON.stringify({ query: 'x'.repeat(2_000) }));
    expect(res.status).toBe(413);
    expect(await res.json()).toEqual({ errors: [{ message: 'Request body too large', extensions: { code: 'BAD_REQUEST' } }] });
  });

  it('answers a stalled request with a 504 GraphQL error, drops the late answer, and serves the next', async () => {
    const started = Date.now();
    const res = await post('{"query":"stall"}');
    expect(res.status).toBe(504);
    expect(Date.now() - started).toBeLessThan(STALL_MS);
    expect(await res.json()).toEqual({
      errors: [{ message: 'The operation did not finish within 50 ms and was stopped', extensions: { code: 'GATEWAY_TIMEOUT' } }],
    });
    await lateAnswerDropped;
    expect((await post('{}')).status).toBe(200);
  }, 15_000);
});

describe('the gateway with and without the plain path', () => {
  let echo: FixtureSubgraph;
  let plain: RunningSupergraph;
  let viaExpress: RunningSupergraph;

  beforeAll(async () => {
    echo = await startFixtureSubgraph({ name: 'echo', sdl: ECHO_SDL, resolvers: echoResolvers });
    plain = await startSupergraph({ subgraphs: [echo] });
    viaExpress = await startSupergraph({ subgraphs: [echo], gatewayConfig: { PLAIN_HTTP_PATH: false } });
  });

  afterAll(async () => {
    await Promise.all([plain?.stop(), viaExpress?.stop()]);
    await echo?.stop();
  });

  it('answers the same status, body and request id either way, for data and for errors', async () => {
    const token = await tokenFor({ roles: ['COORDINATOR'], institutionId: 'school-1' });
    const bodies = [
      JSON.stringify({ query: '{ echoActor { roles requestId } }' }),
      JSON.stringify({ query: '{ nope }' }),
      '{"query": ',
      JSON.stringify({ query: '{ echoActor { roles } }', variables: { pad: 'x'.repeat(1024 * 1024) } }),
    ];
    for (const body of bodies) {
      const answers = await Promise.all(
        [plain, viaExpress].map(async (s) => {
          const res = await fetch(s.url, {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'x-request-id': 'same-id' },
            body,
          });
          return { status: res.status, id: res.headers.get('x-request-id'), type: res.headers.get('content-type'), body: await res.text() };
        }),
      );
      expect(answers[0]).toEqual(answers[1]);
    }
  });
});
