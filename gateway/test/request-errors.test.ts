import { startSupergraph, tokenFor, type RunningSupergraph, type SupergraphResponse } from '@medcollab/testing';
import { ECHO_SDL, echoResolvers } from './fixtures/echo';
import { startFixtureSubgraph, type FixtureSubgraph } from './fixtures/subgraph';

let echo: FixtureSubgraph;
let supergraph: RunningSupergraph;
let token: string;

beforeAll(async () => {
  echo = await startFixtureSubgraph({ name: 'echo', sdl: ECHO_SDL, resolvers: echoResolvers });
  supergraph = await startSupergraph({ subgraphs: [echo] });
  token = await tokenFor({ roles: ['TEACHER'], institutionId: 'school-1' });
});

afterAll(async () => {
  await supergraph?.stop();
  await echo?.stop();
});

/** A refusal the client can act on: 400, one error with the given code, nothing internal in it. */
function expectClientError(res: SupergraphResponse<unknown>, code: string, message: RegExp) {
  expect(res.status).toBe(400);
  expect(res.body.data ?? null).toBeNull();
  expect(res.body.errors!.length).toBeGreaterThanOrEqual(1);
  for (const error of res.body.errors!) expect(error.extensions?.code).toBe(code);
  expect(res.body.errors![0]!.message).toMatch(message);
  expect(JSON.stringify(res.body)).not.toMatch(/127\.0\.0\.1|stack|Subgraph/);
}

describe('malformed Date and DateTime input', () => {
  it.each(['2026-02-30', 'yesterday', ''])('refuses the Date variable %p with BAD_USER_INPUT', async (date) => {
    const res = await supergraph.request('query ($d: Date!) { dayAfter(date: $d) }', { token, variables: { d: date } });
    expectClientError(res, 'BAD_USER_INPUT', /\$d.*Date/);
  });

  it.each(['2026-02-30T10:00:00Z', 'yesterday', ''])('refuses the DateTime variable %p with BAD_USER_INPUT', async (at) => {
    const res = await supergraph.request('query ($at: DateTime!) { instant(at: $at) }', { token, variables: { at } });
    expectClientError(res, 'BAD_USER_INPUT', /\$at.*DateTime/);
  });

  it('refuses a malformed Date inside an input object and a list', async () => {
    const query = 'query ($w: DayWindow!) { windowStart(window: $w) }';
    expectClientError(await supergraph.request(query, { token, variables: { w: { from: '2026-13-01' } } }), 'BAD_USER_INPUT', /Date/);
    expectClientError(
      await supergraph.request(query, { token, variables: { w: { from: '2026-01-01', days: ['2026-01-02', 'soon'] } } }),
      'BAD_USER_INPUT',
      /Date/,
    );
  });

  it('refuses a malformed Date literal as a validation error', async () => {
    const res = await supergraph.request('{ dayAfter(date: "2026-02-30") }', { token });
    expectClientError(res, 'GRAPHQL_VALIDATION_FAILED', /Date/);
  });

  it('still passes well-formed dates through unchanged', async () => {
    expect((await supergraph.request('query ($d: Date!) { dayAfter(date: $d) }', { token, variables: { d: '2028-02-28' } })).body).toEqual({
      data: { dayAfter: '2028-02-29' },
    });
    const at = await supergraph.request('query ($at: DateTime!) { instant(at: $at) }', {
      token,
      variables: { at: '2026-03-01T08:30:00Z' },
    });
    expect(at.body).toEqual({ data: { instant: '2026-03-01T08:30:00.000Z' } });
    const window = await supergraph.request('query ($w: DayWindow!) { windowStart(window: $w) }', {
      token,
      variables: { w: { from: '2026-01-01', days: ['2026-01-02'] } },
    });
    expect(window.body).toEqual({ data: { windowStart: '2026-01-01' } });
  });
});

describe('choosing the operation', () => {
  const twoNamed = 'query A { echoActor { personId } } query B { echoActor { roles } }';

  it('refuses an unknown operationName as a 400 GraphQL error', async () => {
    const res = await supergraph.request(twoNamed, { token, operationName: 'C' });
    expectClientError(res, 'OPERATION_RESOLUTION_FAILURE', /Unknown operation named "C"/);
  });

  it('refuses a document of several operations without an operationName', async () => {
    expectClientError(await supergraph.request(twoNamed, { token }), 'OPERATION_RESOLUTION_FAILURE', /operation name/i);
  });

  it('refuses two anonymous operations', async () => {
    const res = await supergraph.request('{ echoActor { personId } } { echoActor { roles } }', { token });
    expectClientError(res, 'GRAPHQL_VALIDATION_FAILED', /anonymous operation/i);
  });

  it('runs the named operation it is asked for', async () => {
    expect((await supergraph.request(twoNamed, { token, operationName: 'B' })).body).toEqual({
      data: { echoActor: { roles: ['TEACHER'] } },
    });
  });
});
