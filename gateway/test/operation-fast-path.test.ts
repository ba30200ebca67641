import { request } from 'node:http';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startSupergraph, tokenFor, type RunningSupergraph } from '@medcollab/testing';
import { operationHash } from '../src/trusted-operations';
import { SHAPES_SDL, shapesResolvers, startRawSubgraph, type RawSubgraph } from './fixtures/shapes';
import { captureLogger } from './fixtures/capture-logger';
import { startFixtureSubgraph, type FixtureSubgraph } from './fixtures/subgraph';

/**
 * The operation fast path (ADR 0062) answers exactly as Apollo Server's pipeline does: two
 * gateways over the same subgraphs, one as shipped and one with OPERATION_FAST_PATH off, get the
 * same requests; every answer (status, headers in order, body bytes), every log line and every
 * metric count must be the same. Each document is sent once first, so the fast path knows it.
 */
let shapes: FixtureSubgraph;
let raw: RawSubgraph;
let fast: RunningSupergraph;
let normal: RunningSupergraph;
let reader: string;
let integration: string;
const logs = { fast: [] as Record<string, unknown>[], normal: [] as Record<string, unknown>[] };

const INTEGRATION_SUB = 'integration-1';
const SHELVES = 'query Shelves($n: Int!) { shelves(first: $n) { id name mood tags } }';
const SHELF = 'query Shelf($id: ID!) { shelf(id: $id) { id name } }';
const RAW_NAME = 'query RawName { rawName }';

beforeAll(async () => {
  shapes = await startFixtureSubgraph({ name: 'shapes', sdl: SHAPES_SDL, resolvers: shapesResolvers });
  raw = await startRawSubgraph();
  // The integration client may run Shelves only; everyone else anything.
  const dir = mkdtempSync(path.join(tmpdir(), 'fast-path-'));
  const safelist = path.join(dir, 'trusted.json');
  writeFileSync(safelist, JSON.stringify({ clients: [{ sub: INTEGRATION_SUB, name: 'Shelf SIS', sha256: [operationHash(SHELVES)] }] }));
  const gatewayConfig = { LOG_LEVEL: 'info' as const, MAX_COST: 120, TRUSTED_OPERATIONS_PATH: safelist };
  const subgraphs = [shapes, raw];
  fast = await startSupergraph({ subgraphs, gatewayConfig, log: captureLogger(logs.fast) });
  normal = await startSupergraph({
    subgraphs,
    gatewayConfig: { ...gatewayConfig, OPERATION_FAST_PATH: false },
    log: captureLogger(logs.normal),
  });
  reader = await tokenFor({ roles: ['STUDENT'], institutionId: 'school-1' });
  integration = await tokenFor({ personId: INTEGRATION_SUB, roles: ['INTEGRATION'], institutionId: 'school-1' });
});

afterAll(async () => {
  await Promise.all([fast?.stop(), normal?.stop()]);
  await Promise.all([shapes?.stop(), raw?.stop()]);
});

interface Answer {
  status: number;
  /** Every header as sent, in order, but the date. */
  headers: string[];
  body: string;
}

let sent = 0;
/** One request as a client sends it, with an id of its own so both gateways log and echo the same one. */
function send(gateway: RunningSupergraph, body: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  const url = new URL(gateway.url);
  const text = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-request-id': `fast-path-${sent}`, ...headers },
      },
      (res) => {
        let answer = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (answer += chunk));
        res.on('end', () => {
          const raw: string[] = [];
          for (let i = 0; i < res.rawHeaders.length; i += 2) {
            if (res.rawHeaders[i]!.toLowerCase() !== 'date') raw.push(`${res.rawHeaders[i]}: ${res.rawHeaders[i + 1]}`);
          }
          resolve({ status: res.statusCode ?? 0, headers: raw, body: answer });
        });
      },
    );
    req.on('error', reject);
    req.end(text);
  });
}

/** The log lines of one request, without the parts that differ run to run (its duration). */
const linesOf = (lines: Record<string, unknown>[], requestId: string) =>
  lines.filter((l) => l.requestId === requestId).map(({ durationMs: _d, err, ...rest }) => ({ ...rest, err: err && String(err) }));

/** Metric counts (not durations): series → value. */
async function counts(gateway: RunningSupergraph): Promise<Map<string, number>> {
  const text = await gateway.gateway.metrics.metrics();
  const series = text
    .split('\n')
    .filter((l) =>
      /^medcollab_(graphql_operation_(duration_seconds_count|errors_total)|gateway_subgraph_fetch_duration_seconds_count)/.test(l),
    );
  return new Map(series.map((l) => [l.slice(0, l.lastIndexOf(' ')), Number(l.slice(l.lastIndexOf(' ') + 1))]));
}

/** How one request moved the counts (so one test's difference does not carry into the next). */
const moved = (before: Map<string, number>, after: Map<string, number>) =>
  [...after]
    .filter(([series, value]) => value !== (before.get(series) ?? 0))
    .map(([series, value]) => `${series} +${value - (before.get(series) ?? 0)}`);

/** Sends the request to both gateways and expects the same answer, log lines and metric counts. */
async function compare(body: unknown, headers: Record<string, string>): Promise<Answer> {
  sent++;
  const id = `fast-path-${sent}`;
  const before = { fast: await counts(fast), normal: await counts(normal) };
  const viaFast = await send(fast, body, headers);
  const viaNormal = await send(normal, body, headers);
  expect(viaFast).toEqual(viaNormal);
  expect(linesOf(logs.fast, id)).toEqual(linesOf(logs.normal, id));
  expect(linesOf(logs.fast, id).length).toBeGreaterThan(0);
  // A refused token moves none (no operation was started); every other request moves some.
  expect(moved(before.fast, await counts(fast))).toEqual(moved(before.normal, await counts(normal)));
  return viaFast;
}

/**
 * Teaches both gateways a document: its first request is planned (and the plan tells the
 * single-fetch path its route), its second goes by the single-fetch path, which the fast path learns from.
 */
async function learn(body: unknown, token = reader): Promise<void> {
  for (let i = 0; i < 2; i++) expect((await compare(body, { authorization: `Bearer ${token}` })).status).toBe(200);
}

const auth = (token: string) => ({ authorization: `Bearer ${token}` });

describe('the operation fast path answers as Apollo Server does', () => {
  beforeAll(async () => {
    await learn({ query: SHELVES, variables: { n: 2 }, operationName: 'Shelves' });
    await learn({ query: SHELF, variables: { id: '1' }, operationName: 'Shelf' });
    raw.answer = '{"data":{"rawName":"x"}}\n';
    await learn({ query: RAW_NAME });
  });

  it('answers a known document itself, byte for byte as the normal path', async () => {
    const before = fast.gateway.fastPath!.served.fast;
    const answer = await compare({ query: SHELVES, variables: { n: 3 }, operationName: 'Shelves' }, auth(reader));
    expect(answer.status).toBe(200);
    expect(answer.body.startsWith('{"data":{"shelves":[')).toBe(true);
    expect(fast.gateway.fastPath!.served.fast).toBe(before + 1);
    // The integration client's registered document too, and with Accept: */* (what browsers send).
    await compare({ query: SHELVES, variables: { n: 1 }, operationName: 'Shelves' }, { ...auth(integration), accept: '*/*' });
    expect(fast.gateway.fastPath!.served.fast).toBe(before + 2);
  });

  it.each([
    'application/graphql-response+json,application/json;q=0.9', // Apollo Client 4's default
    'application/graphql-response+json, application/json;q=0.9',
    'application/graphql-response+json',
    'application/graphql-response+json; charset=utf-8',
    'application/json; charset=utf-8',
  ])('answers Accept: %s itself, with the content type Apollo Server negotiates', async (accept) => {
    const before = fast.gateway.fastPath!.served.fast;
    const answer = await compare({ query: SHELVES, variables: { n: 2 }, operationName: 'Shelves' }, { ...auth(reader), accept });
    expect(answer.status).toBe(200);
    const contentType = answer.headers.find((h) => h.toLowerCase().startsWith('content-type:'));
    expect(contentType).toBe(
      `content-type: ${accept.startsWith('application/json') ? 'application/json' : 'application/graphql-response+json'}; charset=utf-8`,
    );
    expect(fast.gateway.fastPath!.served.fast).toBe(before + 1);
  });

  it.each<[string, Record<string, unknown>]>([
    ['of the wrong type', { n: 'three' }],
    ['missing', {}],
    ['null for a non-null type', { n: null }],
  ])('refuses variables %s as BAD_USER_INPUT', async (_what, variables) => {
    const answer = await compare({ query: SHELVES, variables, operationName: 'Shelves' }, auth(reader));
    expect(answer.status).toBe(400);
    expect(answer.body).toContain('BAD_USER_INPUT');
  });

  it('refuses a page that costs more than MAX_COST', async () => {
    const answer = await compare({ query: SHELVES, variables: { n: 30 }, operationName: 'Shelves' }, auth(reader));
    expect(answer.body).toContain('COST_LIMIT_EXCEEDED');
  });

  it.each<[string, Record<string, string>]>([
    ['no token', {}],
    ['a malformed token', { authorization: 'Bearer not-a-token' }],
    ['a token signed with another key', { authorization: `Bearer ${'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl'}` }],
  ])('refuses %s as UNAUTHENTICATED', async (_what, headers) => {
    const answer = await compare({ query: SHELVES, variables: { n: 3 }, operationName: 'Shelves' }, headers);
    expect(answer.status).toBe(401);
    expect(answer.body).toContain('UNAUTHENTICATED');
  });

  it('refuses an integration client a document it has not registered (FORBIDDEN)', async () => {
    const answer = await compare({ query: SHELF, variables: { id: '2' }, operationName: 'Shelf' }, auth(integration));
    expect(answer.status).toBe(403);
    expect(answer.body).toContain('FORBIDDEN');
  });

  it('hands a subgraph error back to Apollo Server without fetching twice', async () => {
    const before = { ...fast.gateway.fastPath!.served };
    const answer = await compare({ query: SHELF, variables: { id: '404' }, operationName: 'Shelf' }, auth(reader));
    expect(answer.body).toContain('"errors"');
    expect(fast.gateway.fastPath!.served).toEqual({ fast: before.fast, handedBack: before.handedBack + 1 });
  });

  it.each<[string, string, number]>([
    ['errors the gateway masks', '{"data":{"rawName":"x"},"errors":[{"message":"db at 10.0.0.7 down"}]}\n', 200],
    ['extensions the gateway drops', '{"data":{"rawName":"x"},"extensions":{"internal":"10.0.0.7"}}\n', 200],
    ['an HTTP error', '{"errors":[{"message":"bad signature"}]}\n', 401],
  ])('answers a subgraph answer with %s as the normal path', async (_what, body, status) => {
    raw.answer = body;
    raw.status = status;
    try {
      const answer = await compare({ query: RAW_NAME }, auth(reader));
      expect(answer.body).not.toContain('10.0.0.7');
    } finally {
      raw.answer = '{"data":{"rawName":"x"}}\n';
      raw.status = 200;
    }
  });

  it('leaves requests with other shapes to Apollo Server (extensions, another Accept)', async () => {
    const before = fast.gateway.fastPath!.served.fast;
    await compare({ query: SHELVES, variables: { n: 3 }, operationName: 'Shelves', extensions: {} }, auth(reader));
    await compare(
      { query: SHELVES, variables: { n: 3 }, operationName: 'Shelves' },
      { ...auth(reader), accept: 'application/json;q=0.5, application/graphql-response+json' },
    );
    await compare({ query: SHELVES, variables: { n: 3 }, operationName: 'Shelves' }, { ...auth(reader), accept: 'text/html' });
    expect(fast.gateway.fastPath!.served.fast).toBe(before);
  });
});
