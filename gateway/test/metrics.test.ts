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

  it('answers on the public port too outside production (`curl :4000/metrics`), with the same series', async () => {
    await supergraph.request('query Public { echoActor { personId } }', { token });
    const res = await fetch(supergraph.url.replace(/\/graphql$/, '/metrics'));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain');
    const text = await res.text();
    expect(series(text, 'medcollab_graphql_operation_duration_seconds_count', { service: 'gateway', operation: 'Public' })).toBe(1);
    expect(series(text, 'medcollab_gateway_subgraph_fetch_duration_seconds_count', { subgraph: 'echo', outcome: 'ok' })).toBeGreaterThan(0);
  });

  it('carries no id in any label value', async () => {
    // An id in the operation name or a variable must not become a label value.
    const id = '7f1c2a9e-3b4d-4c5e-8f60-718293a4b5c6';
    await supergraph.request(`query Actor_${id.replace(/-/g, '_')} { echoActor { personId } }`, { token });
    await supergraph.request('query Actor($id: ID) { echoActor { personId } }', { token, variables: { id } });
    const values = [...(await scrape()).matchAll(/(\w+)="([^"]*)"/g)].map((m) => m[2]!);
    expect(values.length).toBeGreaterThan(0);
    expect(values.filter((v) => /[0-9a-f]{8}[-_]?[0-9a-f]{4}[-_]?[0-9a-f]{4}/i.test(v))).toEqual([]);
  });
});

describe('gateway /metrics on the public port, protected (ADR 0025)', () => {
  const secret = 'production-like-internal-secret-0123456789';
  const jwtSecret = 'production-like-jwt-secret-0123456789-abcdef';
  const production = { NODE_ENV: 'production' as const, JWT_ISSUER: 'https://idp.test', JWT_AUDIENCE: 'medcollab' };
  const metricsToken = 'scrape-token-0123456789abcdef';
  let prodEcho: FixtureSubgraph;
  let open: RunningSupergraph;
  let guarded: RunningSupergraph;
  const publicMetrics = (sg: RunningSupergraph, headers: Record<string, string> = {}) =>
    fetch(sg.url.replace(/\/graphql$/, '/metrics'), { headers });

  beforeAll(async () => {
    prodEcho = await startFixtureSubgraph({ name: 'echo', sdl: ECHO_SDL, resolvers: echoResolvers }, { secret });
    [open, guarded] = await Promise.all([
      startSupergraph({ subgraphs: [prodEcho], secret, jwtSecret, gatewayConfig: production }),
      startSupergraph({ subgraphs: [prodEcho], secret, jwtSecret, gatewayConfig: { ...production, METRICS_TOKEN: metricsToken } }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([open?.stop(), guarded?.stop()]);
    await prodEcho?.stop();
  });

  it('is not served on the public port in production without METRICS_TOKEN; the metrics port still answers', async () => {
    expect((await publicMetrics(open)).status).toBe(404);
    const res = await fetch(`http://127.0.0.1:${open.gateway.metricsPort()}/metrics`);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('medcollab_graphql_operation_duration_seconds');
  });

  it('with METRICS_TOKEN answers only a request bearing it', async () => {
    const attempts: Record<string, string>[] = [{}, { authorization: 'Bearer wrong-token-0123456789abc' }, { authorization: metricsToken }];
    for (const headers of attempts) {
      const refused = await publicMetrics(guarded, headers);
      expect(refused.status).toBe(401);
      expect(refused.headers.get('www-authenticate')).toMatch(/^Bearer/);
      expect(await refused.text()).not.toContain('medcollab_');
    }
    const prodToken = await tokenFor({ roles: ['TEACHER'] }, { secret: jwtSecret, issuer: 'https://idp.test', audience: 'medcollab' });
    await guarded.request('query Guarded { echoActor { roles } }', { token: prodToken });
    const res = await publicMetrics(guarded, { authorization: `Bearer ${metricsToken}` });
    expect(res.status).toBe(200);
    expect(series(await res.text(), 'medcollab_graphql_operation_duration_seconds_count', { operation: 'Guarded' })).toBe(1);
  });
});
