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

async function scrape(): Promise<string> {
  const res = await fetch(`http://127.0.0.1:${supergraph.gateway.metricsPort()}/metrics`);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toContain('text/plain');
  return res.text();
}

/** The value of one series, its labels given in any order. */
function series(text: string, name: string, labels: Record<string, string>): number | undefined {
  for (const line of text.split('\n')) {
    const match = /^([a-z_]+)\{([^}]*)\} (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const have = Object.fromEntries([...match[2]!.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
    if (Object.entries(labels).every(([k, v]) => have[k] === v)) return Number(match[3]);
  }
  return undefined;
}

describe('gateway /metrics', () => {
  it('counts operations by name, with durations, and errors by code', async () => {
    for (let i = 0; i < 3; i++) await supergraph.request('query Actor { echoActor { personId } }', { token });
    await supergraph.request('query Denied { forbidden }', { token });
    const text = await scrape();
    expect(
      series(text, 'medcollab_graphql_operation_duration_seconds_count', { service: 'gateway', operation: 'Actor', type: 'query' }),
    ).toBe(3);
    expect(series(text, 'medcollab_graphql_operation_duration_seconds_bucket', { operation: 'Actor', le: '+Inf' })).toBe(3);
    expect(series(text, 'medcollab_graphql_operation_errors_total', { service: 'gateway', operation: 'Denied', code: 'FORBIDDEN' })).toBe(
      1,
    );
    expect(series(text, 'medcollab_graphql_operation_errors_total', { operation: 'Actor' })).toBeUndefined();
  });

  it('times every subgraph fetch by subgraph and outcome', async () => {
    const before =
      series(await scrape(), 'medcollab_gateway_subgraph_fetch_duration_seconds_count', { subgraph: 'echo', outcome: 'ok' }) ?? 0;
    await supergraph.request('query Actor { echoActor { personId } }', { token });
    const text = await scrape();
    expect(series(text, 'medcollab_gateway_subgraph_fetch_duration_seconds_count', { subgraph: 'echo', outcome: 'ok' })).toBe(before + 1);
    expect(series(text, 'medcollab_gateway_subgraph_fetch_duration_seconds_count', { subgraph: 'extra', outcome: 'ok' })).toBeUndefined();
  });

  it('keeps the operation label bounded: names that are not identifiers are "other", unnamed ones "anonymous"', async () => {
    await supergraph.request('{ echoActor { personId } }', { token });
    await supergraph.request('query Actor { echoActor { personId } }', { token, operationName: 'Actor' });
    const res = await supergraph.post({ query: 'query Actor { echoActor { personId } }', operationName: 'x'.repeat(80) }, { token });
    expect(res.body.errors).toBeDefined(); // an unknown operation name is refused, and still counted under "other"
    const text = await scrape();
    expect(series(text, 'medcollab_graphql_operation_duration_seconds_count', { operation: 'anonymous', type: 'query' })).toBe(1);
    expect(text).not.toContain('x'.repeat(80));
    expect(series(text, 'medcollab_graphql_operation_duration_seconds_count', { operation: 'other' })).toBe(1);
  });

  it('is not served on the public port', async () => {
    const res = await fetch(supergraph.url.replace(/\/graphql$/, '/metrics'));
    expect(res.status).toBe(404);
  });
});
