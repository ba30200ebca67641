import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import Redis from 'ioredis';
import { Client } from 'pg';
import { SUBGRAPHS } from '@medcollab/kit';
import { mintToken } from '@medcollab/tokens';
import { type CollectedSpan, formatTraceTree, type OtlpCollector, startOtlpCollector } from '../lib/otlp-collector';
import { freePort } from '../lib/ports';
import { migrateService } from '../lib/services';
import { startCommands } from '../lib/start-commands';

/**
 * Issue 17's "done when", on real processes started as `pnpm start` starts them (node --import
 * tsx, the same environment for all): with OTEL_EXPORTER_OTLP_ENDPOINT pointed at the local
 * collector (`pnpm trace:collector`'s), one mutation's trace runs gateway → network subgraph →
 * its SQL and outbox write → the quality worker consuming the event, and every process's
 * /metrics answers with the series, no id in any label. (Auto-instrumentation patches
 * Node's module loader, which Jest's bypasses: hence processes.)
 */
const root = join(__dirname, '..', '..');
const serverUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const redisUrl = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
// Databases named like the test harness's, so an aborted run's are dropped by a later globalSetup.
const databasePrefix = `mctest_ops_${process.env.TEST_RUN_ID ?? Math.floor(Date.now() / 1000)}_${randomBytes(3).toString('hex')}`;
const eventsPrefix = `test-ops-${randomBytes(4).toString('hex')}`;
const UUID = /[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}/i;

let collector: OtlpCollector;
const children: { name: string; child: ChildProcess }[] = [];
let output = '';
const ports: Record<'network' | 'networkWorker' | 'qualityWorker' | 'gateway' | 'gatewayMetrics', number> = {
  network: 0,
  networkWorker: 0,
  qualityWorker: 0,
  gateway: 0,
  gatewayMetrics: 0,
};

async function waitFor(what: string, check: () => Promise<boolean> | boolean, timeoutMs = 180_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    for (const { name, child } of children) if (child.exitCode !== null) throw new Error(`${name} exited:\n${output.slice(-5000)}`);
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}\n${output.slice(-5000)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** One process with the command `pnpm start` runs it with (scripts/lib/start-commands.ts), and the environment it was given. */
function start(name: string, env: Record<string, string>): void {
  const [node, ...args] = startCommands({})
    .find((c) => c.name === name)!
    .command.split(' ');
  expect(node).toBe('node');
  const child = spawn(process.execPath, args, {
    cwd: root,
    env: {
      ...process.env,
      DATABASE_URL: serverUrl,
      REDIS_URL: redisUrl,
      DATABASE_PREFIX: databasePrefix,
      EVENTS_PREFIX: eventsPrefix,
      MIGRATE_ON_START: 'false',
      LOG_LEVEL: 'warn',
      OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${collector.port}`,
      // Spans leave each process within 100 ms instead of the default 5 s.
      OTEL_BSP_SCHEDULE_DELAY: '100',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const prefix = (chunk: Buffer) => (output += chunk.toString().replace(/^(?=.)/gm, `[${name}] `));
  child.stdout!.on('data', prefix);
  child.stderr!.on('data', prefix);
  children.push({ name, child });
}

const up = (url: string) =>
  fetch(url).then(
    (r) => r.ok,
    () => false,
  );

async function scrape(url: string, headers: Record<string, string> = {}): Promise<string> {
  const res = await fetch(url, { headers });
  expect(res.status).toBe(200);
  return res.text();
}

/** The value of one series, its labels given in any order (a subset of them). */
function series(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    const match = /^([a-z_]+)(?:\{([^}]*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const have = Object.fromEntries([...(match[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
    if (Object.entries(labels).every(([k, v]) => have[k] === v)) return Number(match[3]);
  }
  return undefined;
}

const labelValues = (text: string) =>
  text
    .split('\n')
    .filter((l) => !l.startsWith('#'))
    .flatMap((l) => [...l.matchAll(/(\w+)="([^"]*)"/g)].map((m) => m[2]!));

beforeAll(async () => {
  collector = await startOtlpCollector();
  const previousPrefix = process.env.DATABASE_PREFIX;
  process.env.DATABASE_PREFIX = databasePrefix;
  try {
    // As `pnpm start` does before it starts the processes (they run with MIGRATE_ON_START=false).
    for (const name of ['network', 'quality']) await (await migrateService(serverUrl, name)).destroy();
  } finally {
    if (previousPrefix === undefined) delete process.env.DATABASE_PREFIX;
    else process.env.DATABASE_PREFIX = previousPrefix;
  }
  const taken = new Set<number>();
  for (const key of Object.keys(ports) as (keyof typeof ports)[]) ports[key] = await freePort(taken);
  // Only network and its consumer run: the gateway's other subgraphs point nowhere, which the operations below never need.
  const nowhere = Object.fromEntries(SUBGRAPHS.map((s) => [`SUBGRAPH_${s.name.toUpperCase()}_URL`, 'http://127.0.0.1:9/graphql']));
  start('network', { PORT: String(ports.network) });
  start('network-worker', { HEALTH_PORT: String(ports.networkWorker) });
  start('quality-worker', { HEALTH_PORT: String(ports.qualityWorker) });
  start('gateway', {
    ...nowhere,
    SUBGRAPH_NETWORK_URL: `http://127.0.0.1:${ports.network}/graphql`,
    PORT: String(ports.gateway),
    METRICS_PORT: String(ports.gatewayMetrics),
    // Its line per operation (info) must carry the trace's ids.
    LOG_LEVEL: 'info',
  });
  await waitFor('every process to be ready', async () => {
    const ready = await Promise.all([
      up(`http://127.0.0.1:${ports.network}/readyz`),
      up(`http://127.0.0.1:${ports.networkWorker}/readyz`),
      up(`http://127.0.0.1:${ports.qualityWorker}/readyz`),
      up(`http://127.0.0.1:${ports.gateway}/healthz`),
    ]);
    return ready.every(Boolean);
  });
}, 600_000);

afterAll(async () => {
  for (const { child } of children.reverse()) {
    if (child.exitCode !== null) continue;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
  }
  await collector?.close();
  const redis = new Redis(redisUrl);
  const keys = await redis.keys(`${eventsPrefix}:*`);
  if (keys.length) await redis.del(...keys);
  redis.disconnect();
  const admin = new Client({ connectionString: serverUrl });
  await admin.connect();
  for (const name of ['network', 'quality']) await admin.query(`DROP DATABASE IF EXISTS "${databasePrefix}_${name}" WITH (FORCE)`);
  await admin.end();
}, 240_000);

describe('operability of a running system (issue 17, done when)', () => {
  const traceId = randomBytes(16).toString('hex');
  const institutionName = `Trace School ${randomBytes(3).toString('hex')}`;
  let token: string;

  const graphql = async (query: string, variables: Record<string, unknown>, headers: Record<string, string> = {}) => {
    const res = await fetch(`http://127.0.0.1:${ports.gateway}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, ...headers },
      body: JSON.stringify({ query, variables }),
    });
    expect(res.status).toBe(200);
    return (await res.json()) as { data?: Record<string, unknown>; errors?: { extensions?: { code?: string } }[] };
  };

  beforeAll(async () => {
    token = await mintToken({ sub: '00000000-0000-4000-8000-0000000000a1', institutionId: null, roles: ['NETWORK_ADMIN'] });
  });

  it("shows a mutation's whole trace: gateway → subgraph → SQL and outbox → the consuming worker", async () => {
    const body = await graphql(
      'mutation CreateInstitution($input: CreateInstitutionInput!) { createInstitution(input: $input) { id name } }',
      { input: { name: institutionName, kind: 'SCHOOL', timezone: 'Europe/Paris' } },
      { traceparent: `00-${traceId}-${randomBytes(8).toString('hex')}-01` },
    );
    expect(body.errors).toBeUndefined();

    const spans = () => collector.trace(traceId);
    const consumed = () => spans().find((s) => s.service === 'quality-worker' && s.name === 'consume InstitutionCreated');
    await waitFor('the quality worker to consume the event, in the same trace', () => Boolean(consumed()));
    const byId = new Map<string, CollectedSpan>();
    const parentOf = (s: CollectedSpan) => (s.parentSpanId ? byId.get(s.parentSpanId) : undefined);
    const descends = (s: CollectedSpan | undefined, ancestor: CollectedSpan): boolean =>
      !!s && (s === ancestor || descends(parentOf(s), ancestor));
    const isSql = (s: CollectedSpan) => s.name.startsWith('pg.query');
    // The old and the stable semantic conventions name the attribute differently.
    const isRedis = (s: CollectedSpan) => (s.attributes['db.system.name'] ?? s.attributes['db.system']) === 'redis';
    const sqlText = (s: CollectedSpan) => String(s.attributes['db.statement'] ?? s.attributes['db.query.text'] ?? '');
    // The spans of the network and of the consumer's transaction arrive in batches: wait for the ones asserted.
    await waitFor('every span of the chain', () => {
      byId.clear();
      for (const s of spans()) byId.set(s.spanId, s);
      const networkServer = spans().find((s) => s.service === 'network' && s.kind === 2);
      return (
        !!networkServer &&
        !!parentOf(networkServer) &&
        spans().some((s) => s.service === 'network' && isSql(s) && /outbox/i.test(sqlText(s))) &&
        spans().some((s) => s.service === 'quality-worker' && isSql(s) && descends(s, consumed()!)) &&
        spans().some((s) => s.service === 'gateway' && s.kind === 2) &&
        spans().some((s) => s.service === 'network' && isRedis(s))
      );
    });

    const gatewayServer = spans().find((s) => s.service === 'gateway' && s.kind === 2)!; // SPAN_KIND_SERVER
    const networkServer = spans().find((s) => s.service === 'network' && s.kind === 2)!;
    // The subgraph's request is the gateway's fetch (SPAN_KIND_CLIENT), itself under the gateway's request.
    expect(parentOf(networkServer)).toMatchObject({ service: 'gateway', kind: 3 });
    expect(descends(networkServer, gatewayServer)).toBe(true);
    // Redis within the request: the subgraph's replay guard on the gateway's signature.
    expect(
      descends(
        spans().find((s) => s.service === 'network' && isRedis(s)),
        networkServer,
      ),
    ).toBe(true);
    const mutation = spans().find((s) => s.service === 'network' && s.name.startsWith('mutation CreateInstitution'))!;
    expect(descends(mutation, networkServer)).toBe(true);
    const outboxWrite = spans().find((s) => s.service === 'network' && isSql(s) && /insert into outbox \(/i.test(sqlText(s)));
    expect(outboxWrite).toBeDefined();
    expect(descends(outboxWrite, networkServer)).toBe(true);
    // The consumer continued the trace written with the event: it descends from the subgraph's request.
    expect(descends(consumed(), networkServer)).toBe(true);
    expect(consumed()!.attributes).toMatchObject({ 'messaging.destination.name': 'events.quality', 'medcollab.event.outcome': 'applied' });

    // Log lines written inside the request name its trace and span.
    const logged = output
      .split('\n')
      .filter((l) => l.startsWith('[gateway] {'))
      .map((l) => JSON.parse(l.slice('[gateway] '.length)) as Record<string, unknown>)
      .find((l) => l.trace_id === traceId);
    expect(logged).toMatchObject({ service: 'gateway', span_id: expect.stringMatching(/^[0-9a-f]{16}$/) });
    expect(spans().some((s) => s.spanId === logged!.span_id)).toBe(true);

    // What `pnpm trace:collector` prints: the worker's span nested below the subgraph's.
    const tree = formatTraceTree(spans()).split('\n');
    const line = (pattern: RegExp) => tree.findIndex((l) => pattern.test(l));
    // The column a span's name starts at (services are padded to one width): its depth.
    const indent = (i: number) => tree[i]!.length - tree[i]!.replace(/^\s*\S+\s+/, '').length;
    const [gw, net, consume] = [
      line(/^\s+gateway\s/),
      line(/^\s+network\s+\s*POST/),
      line(/quality-worker\s+\s*consume InstitutionCreated/),
    ];
    expect(gw).toBeGreaterThan(0);
    expect(net).toBeGreaterThan(gw);
    expect(consume).toBeGreaterThan(net);
    expect(indent(consume)).toBeGreaterThan(indent(net));
    expect(indent(net)).toBeGreaterThan(indent(gw));
  }, 600_000);

  it("answers /metrics on every process with the issue's series, no id in any label", async () => {
    // An error counted by code, and the consumer's lag observed (the event of the test above).
    const invalid = await graphql(
      'mutation BadInstitution { createInstitution(input: { name: "x", kind: SCHOOL, timezone: "Nowhere" }) { id } }',
      {},
    );
    expect(invalid.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');

    // `curl :4000/metrics`: the gateway's public port (open outside production, ADR 0025).
    const gateway = await scrape(`http://127.0.0.1:${ports.gateway}/metrics`);
    expect(
      series(gateway, 'medcollab_graphql_operation_duration_seconds_count', { service: 'gateway', operation: 'CreateInstitution' }),
    ).toBe(1);
    expect(series(gateway, 'medcollab_graphql_operation_errors_total', { operation: 'BadInstitution', code: 'BAD_USER_INPUT' })).toBe(1);
    expect(
      series(gateway, 'medcollab_gateway_subgraph_fetch_duration_seconds_count', { subgraph: 'network', outcome: 'ok' }),
    ).toBeGreaterThan(0);
    expect(await scrape(`http://127.0.0.1:${ports.gatewayMetrics}/metrics`)).toContain('medcollab_gateway_subgraph_fetch_duration_seconds');

    const subgraph = await scrape(`http://127.0.0.1:${ports.network}/metrics`);
    expect(
      series(subgraph, 'medcollab_graphql_operation_duration_seconds_count', { service: 'network', operation: 'CreateInstitution' }),
    ).toBe(1);
    expect(series(subgraph, 'medcollab_graphql_operation_errors_total', { operation: 'BadInstitution', code: 'BAD_USER_INPUT' })).toBe(1);
    expect(series(subgraph, 'medcollab_db_pool_connections', { state: 'in_use' })).toBeGreaterThanOrEqual(0);
    expect(series(subgraph, 'medcollab_db_pool_waiting_clients')).toBeGreaterThanOrEqual(0);

    const producer = await scrape(`http://127.0.0.1:${ports.networkWorker}/metrics`);
    expect(series(producer, 'medcollab_outbox_unpublished_deliveries', { service: 'network-worker' })).toBeGreaterThanOrEqual(0);
    expect(series(producer, 'medcollab_outbox_oldest_unpublished_age_seconds')).toBeGreaterThanOrEqual(0);

    const consumer = await scrape(`http://127.0.0.1:${ports.qualityWorker}/metrics`);
    const lag = { service: 'quality-worker', event_type: 'InstitutionCreated' };
    expect(series(consumer, 'medcollab_event_consume_lag_seconds_count', lag)).toBe(1);
    expect(series(consumer, 'medcollab_events_consumed_total', { ...lag, outcome: 'applied' })).toBe(1);
    expect(series(consumer, 'medcollab_events_parked', { service: 'quality-worker' })).toBe(0);
    for (const state of ['waiting', 'delayed', 'active', 'failed']) {
      expect(series(consumer, 'medcollab_queue_jobs', { queue: 'events.quality', state })).toBeGreaterThanOrEqual(0);
      // The queue of the worker's own task (the snapshot scheduler) too, on the same gauge.
      expect(series(consumer, 'medcollab_queue_jobs', { queue: 'quality-snapshots', state })).toBeGreaterThanOrEqual(0);
    }
    expect(consumer).toContain('# TYPE medcollab_quality_rollup_lag_seconds histogram');
    expect(series(consumer, 'medcollab_db_pool_waiting_clients')).toBeGreaterThanOrEqual(0);

    for (const text of [gateway, subgraph, producer, consumer]) {
      expect(text).toContain('process_cpu_seconds_total');
      expect(labelValues(text).filter((v) => UUID.test(v))).toEqual([]);
    }
  }, 600_000);
});
