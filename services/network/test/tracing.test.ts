import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { signActorHeaders, SUBGRAPHS } from '@medcollab/kit';
import { TEST_SECRET, tokenFor } from '@medcollab/testing';

/**
 * Runs the gateway and the network subgraph as their own processes with
 * OTEL_EXPORTER_OTLP_ENDPOINT pointed at a stand-in collector, and follows one request's trace
 * from the gateway through the subgraph's GraphQL execution to PostgreSQL. (Auto-instrumentation patches Node's module loader, which Jest's own
 * loader bypasses: hence a real process.)
 */
interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  attributes: { key: string; value: { stringValue?: string } }[];
  /** service.name of the process that sent it (added here from the OTLP resource). */
  service?: string;
}

const root = join(__dirname, '..', '..', '..');
const spans: OtlpSpan[] = [];
let collector: Server;
let network: ChildProcess;
let gateway: ChildProcess;
let port: number;
let gatewayPort: number;
let output = '';

const listen = (server: Server) =>
  new Promise<number>((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));

async function waitFor(what: string, check: () => Promise<boolean> | boolean, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}\n${output}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function freePort(): Promise<number> {
  const probe = createServer();
  const free = await listen(probe);
  await new Promise((r) => probe.close(r));
  return free;
}

/** Starts an entry point as an operator would (through tsx), signing with the test secret. */
function start(entry: string, env: Record<string, string>): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, entry)], {
    cwd: root,
    env: { ...process.env, INTERNAL_SIGNING_SECRET: TEST_SECRET, LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
  return child;
}

beforeAll(async () => {
  collector = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      const payload = JSON.parse(body) as {
        resourceSpans: { resource: Pick<OtlpSpan, 'attributes'>; scopeSpans: { spans: OtlpSpan[] }[] }[];
      };
      for (const rs of payload.resourceSpans) {
        const service = rs.resource.attributes.find((a) => a.key === 'service.name')?.value.stringValue;
        for (const ss of rs.scopeSpans) spans.push(...ss.spans.map((span) => ({ ...span, service })));
      }
      res.setHeader('content-type', 'application/json').end('{}');
    });
  });
  const collectorPort = await listen(collector);
  const otel = { OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${collectorPort}`, OTEL_BSP_SCHEDULE_DELAY: '100' };
  // Three distinct ports: a probe may hand back a port it handed back before.
  const ports = new Set<number>();
  while (ports.size < 3) ports.add(await freePort());
  const metricsPort = [...ports][2]!;
  [port, gatewayPort] = [...ports] as [number, number];
  network = start('services/network/src/index.ts', {
    ...otel,
    PORT: String(port),
    DATABASE_URL: process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
    REDIS_URL: process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379',
  });
  // Only the network subgraph runs: the others point nowhere, which the query below never needs.
  const nowhere = Object.fromEntries(SUBGRAPHS.map((s) => [`SUBGRAPH_${s.name.toUpperCase()}_URL`, 'http://127.0.0.1:1/graphql']));
  gateway = start('gateway/src/index.ts', {
    ...otel,
    ...nowhere,
    PORT: String(gatewayPort),
    METRICS_PORT: String(metricsPort),
    SUBGRAPH_NETWORK_URL: `http://127.0.0.1:${port}/graphql`,
  });
  await waitFor(
    'the subgraph and the gateway to listen',
    async () => {
      for (const p of [network, gateway]) if (p.exitCode !== null) throw new Error(`a process exited:\n${output}`);
      const up = await Promise.all(
        [`http://127.0.0.1:${port}/readyz`, `http://127.0.0.1:${gatewayPort}/healthz`].map((url) =>
          fetch(url).then(
            (r) => r.ok,
            () => false,
          ),
        ),
      );
      return up.every(Boolean);
    },
    120_000,
  );
}, 240_000);

afterAll(async () => {
  for (const child of [gateway, network]) {
    if (!child || child.exitCode !== null) continue;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
  }
  await new Promise((r) => collector?.close(r));
});

describe('tracing through the gateway (OTEL_EXPORTER_OTLP_ENDPOINT set)', () => {
  it("one trace from the gateway's request into the subgraph's SQL", async () => {
    const traceId = randomBytes(16).toString('hex');
    const token = await tokenFor({ roles: ['NETWORK_ADMIN'] });
    const res = await fetch(`http://127.0.0.1:${gatewayPort}/graphql`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${token}`,
        traceparent: `00-${traceId}-${randomBytes(8).toString('hex')}-01`,
      },
      body: JSON.stringify({ query: 'query GatewayInstitutions { institutions { id name } }' }),
    });
    expect(res.status).toBe(200);
    const ofTrace = () => spans.filter((s) => s.traceId === traceId);
    await waitFor('spans of both processes', () => ofTrace().some((s) => s.service === 'network' && s.name.startsWith('pg.query')));
    const subgraphServer = ofTrace().find((s) => s.service === 'network' && s.kind === 2)!;
    await waitFor("the gateway's call to the subgraph", () => ofTrace().some((s) => s.spanId === subgraphServer.parentSpanId));
    const gatewayClient = ofTrace().find((s) => s.spanId === subgraphServer.parentSpanId);
    expect(gatewayClient).toMatchObject({ service: 'gateway', kind: 3 }); // SPAN_KIND_CLIENT: the gateway's fetch
  }, 240_000);
});

describe('tracing of a subgraph (OTEL_EXPORTER_OTLP_ENDPOINT set)', () => {
  it("continues the caller's trace: HTTP server span, GraphQL execution and its SQL, one trace", async () => {
    const traceId = randomBytes(16).toString('hex');
    const callerSpanId = randomBytes(8).toString('hex');
    const actor = { personId: randomUUID(), institutionId: null, roles: ['NETWORK_ADMIN' as const] };
    const body = JSON.stringify({ query: 'query Institutions { institutions { id name } }', operationName: 'Institutions' });
    const res = await fetch(`http://127.0.0.1:${port}/graphql`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        traceparent: `00-${traceId}-${callerSpanId}-01`,
        ...signActorHeaders(actor, { secret: TEST_SECRET, requestId: 'tracing-test', body, operationName: 'Institutions' }),
      },
      body,
    });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { errors?: unknown }).errors).toBeUndefined();

    const ofTrace = () => spans.filter((s) => s.traceId === traceId);
    const isSql = (s: OtlpSpan) => s.name.startsWith('pg.query');
    await waitFor('the spans of the request', () => ofTrace().some(isSql) && ofTrace().some((s) => s.kind === 2));
    const server = ofTrace().find((s) => s.kind === 2)!; // SPAN_KIND_SERVER
    expect(server.parentSpanId).toBe(callerSpanId);
    expect(ofTrace().map((s) => s.name)).toEqual(expect.arrayContaining(['query Institutions', 'graphql.resolve institutions']));
    // Every span of the request descends from the server span.
    const byId = new Map(ofTrace().map((s) => [s.spanId, s]));
    const descends = (s: OtlpSpan): boolean =>
      s === server || (!!s.parentSpanId && !!byId.get(s.parentSpanId) && descends(byId.get(s.parentSpanId)!));
    expect(ofTrace().filter(isSql).every(descends)).toBe(true);
  }, 240_000);
});
