import { type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { createLogger, verifyActorHeaders } from '@medcollab/kit';
import { type GatewayContext } from '../src/context';
import { DEADLINE_HEADER, SignedDataSource } from '../src/data-source';
import { postToSubgraph } from '../src/subgraph-http';

// The node:http sender under the signing fetcher: what would go on the wire.
jest.mock('../src/subgraph-http', () => ({ postToSubgraph: jest.fn() }));
const send = jest.mocked(postToSubgraph);

// SignedDataSource sends its fetches itself (without @apollo/gateway's node-fetch objects): what
// reaches the fetcher and what comes back must be what RemoteGraphQLDataSource.process gave.
const SECRET = 'data-source-test-secret-0123456789abcdef';
const log = createLogger('data-source-test', 'silent');
const context: GatewayContext = {
  actor: { personId: 'person-1', institutionId: 'school-1', roles: ['STUDENT'] },
  requestId: 'req-1',
  deadline: Date.now() + 60_000,
  log,
};

function answer(status: number, body: string, headers: Record<string, string> = { 'content-type': 'application/json' }) {
  return {
    ok: status >= 200 && status < 300,
    status,
    statusText: '',
    url: 'http://subgraph.test/graphql',
    headers: { get: (name: string) => headers[name.toLowerCase()] ?? null },
    text: () => Promise.resolve(body),
    json: () => Promise.resolve(JSON.parse(body) as unknown),
  };
}

function setup(status = 200, body = '{"data":{"me":{"id":"1"}}}', headers?: Record<string, string>) {
  const ds = new SignedDataSource({ name: 'echo', url: 'http://subgraph.test/graphql', secret: SECRET, timeoutMs: 10_000, log });
  send.mockReset();
  send.mockResolvedValue(answer(status, body, headers));
  return { ds };
}

const restrict = jest.fn();
const options = {
  kind: 'incoming operation',
  request: { query: 'query Me__echo__0 { me { id } }', operationName: 'Me__echo__0', variables: { a: 1 } },
  context,
  incomingRequestContext: { overallCachePolicy: { restrict } },
} as unknown as GraphQLDataSourceProcessOptions<GatewayContext>;

beforeEach(() => restrict.mockReset());

it('sends the query, operation name and variables as JSON with the actor, request id, operation and deadline headers', async () => {
  const { ds } = setup();
  const response = await ds.process(options);
  expect(response.data).toEqual({ me: { id: '1' } });
  expect(send).toHaveBeenCalledTimes(1);
  const [url, init] = send.mock.calls[0]!;
  expect(url).toBe('http://subgraph.test/graphql');
  expect(init.method).toBe('POST');
  expect(JSON.parse(init.body)).toEqual({ query: 'query Me__echo__0 { me { id } }', operationName: 'Me__echo__0', variables: { a: 1 } });
  expect(init.headers['content-type']).toBe('application/json');
  expect(init.headers['x-request-id']).toBe('req-1');
  expect(init.headers['x-medcollab-operation']).toBe('Me__echo__0');
  expect(init.headers[DEADLINE_HEADER]).toBe(String(context.deadline));
  // The subgraph's own check accepts what was sent.
  expect(verifyActorHeaders(init.headers, { secret: SECRET })).toMatchObject({ ok: true, actor: context.actor, requestId: 'req-1' });
});

it('refuses to send without an actor', async () => {
  const { ds } = setup();
  await expect(ds.process({ ...options, context: { ...context, actor: undefined } } as never)).rejects.toThrow(
    /without an authenticated actor/,
  );
  expect(send).not.toHaveBeenCalled();
});

it('turns a non-2xx answer into SUBGRAPH_HTTP_ERROR and a non-JSON answer into an error', async () => {
  await expect(setup(401, 'no').ds.process(options)).rejects.toMatchObject({ extensions: { code: 'SUBGRAPH_HTTP_ERROR' } });
  await expect(setup(200, 'plain', { 'content-type': 'text/plain' }).ds.process(options)).rejects.toThrow(/Expected JSON response body/);
});

it("restricts the operation's cache policy to the subgraph's Cache-Control, max-age 0 without one", async () => {
  await setup().ds.process(options);
  expect(restrict).toHaveBeenLastCalledWith({ maxAge: 0 });
  await setup(200, '{"data":{}}', { 'content-type': 'application/json', 'cache-control': 'private, max-age=30' }).ds.process(options);
  expect(restrict).toHaveBeenLastCalledWith({ maxAge: 30, scope: 'PRIVATE' });
});
