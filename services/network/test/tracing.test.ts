import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { signActorHeaders } from '@medcollab/kit';
import { TEST_SECRET } from '@medcollab/testing';

/**
 * Runs the network subgraph as its own process with OTEL_EXPORTER_OTLP_ENDPOINT pointed at a
 * stand-in collector, and follows one request's trace from the incoming HTTP call through
 * GraphQL to PostgreSQL. (Auto-instrumentation patches Node's module loader, which Jest's own
 * loader bypasses: hence a real process.)
 */
interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  attributes: { key: string; value: { stringValue?: string } }[];
}

const root = join(__dirname, '..', '..', '..');
const spans: OtlpSpan[] = [];
let collector: Server;
let child: ChildProcess;
let port: number;
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

beforeAll(async () => {
  collector = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      const payload = JSON.parse(body) as { resourceSpans: { scopeSpans: { spans: OtlpSpan[] }[] }[] };
      for (const rs of payload.resourceSpans) for (const ss of rs.scopeSpans) spans.push(...ss.spans);
      res.setHeader('content-type', 'application/json').end('{}');
    });
  });
  const collectorPort = await listen(collector);
  const probe = createServer();
  port = await listen(probe);
  await new Promise((r) => probe.close(r));
  child = spawn(process.execPath, ['--import', 'tsx', join(root, 'services', 'network', 'src', 'index.ts')], {
    cwd: root,
    env: {
      ...process.env,
      PORT: String(port),
      INTERNAL_SIGNING_SECRET: TEST_SECRET,
      DATABASE_URL: process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
      REDIS_URL: process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379',
      OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${collectorPort}`,
      OTEL_BSP_SCHEDULE_DELAY: '100',
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
  await waitFor('the subgraph to be ready', async () => {
    if (child.exitCode !== null) throw new Error(`the subgraph exited:\n${output}`);
    return fetch(`http://127.0.0.1:${port}/readyz`).then(
      (r) => r.ok,
      () => false,
    );
  });
}, 90_000);

afterAll(async () => {
  if (child && child.exitCode === null) {
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
  }
  await new Promise((r) => collector?.close(r));
});

describe('tracing of a subgraph (OTEL_EXPORTER_OTLP_ENDPOINT set)', () => {
  it("continues the caller's trace: HTTP server span, GraphQL execution and its SQL, one trace", async () => {
    const traceId = randomBytes(16).toString('hex');
    const callerSpanId = randomBytes(8).toString('hex');
    const actor = { personId: randomUUID(), institutionId: null, roles: ['NETWORK_ADMIN' as const] };
    const res = await fetch(`http://127.0.0.1:${port}/graphql`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        traceparent: `00-${traceId}-${callerSpanId}-01`,
        ...signActorHeaders(actor, { secret: TEST_SECRET, requestId: 'tracing-test' }),
      },
      body: JSON.stringify({ query: 'query Institutions { institutions { id name } }' }),
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
  }, 90_000);
});
