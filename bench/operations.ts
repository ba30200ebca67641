/**
 * The dashboard operations of issue #16 through the gateway, side by side with a bare
 * @apollo/gateway, Hive Gateway and (for single-subgraph operations) the owning subgraph
 * called directly with gateway-signed headers.
 *
 *   pnpm bench:operations                       # demo world in its own databases (mcbench_ops_*), all targets
 *   pnpm bench:operations --db-prefix medcollab --no-seed   # the databases of `pnpm start` (or a large world)
 *   pnpm bench:operations --targets ours,hive --ops portfolio --seconds 5
 *   pnpm bench:operations --gateway-url http://127.0.0.1:4000/graphql --subgraph-urls network=http://127.0.0.1:4001/graphql
 *
 * Every process (subgraphs, gateways) is started here as its own Node process on ports from
 * --port-base (default 16600; +1… subgraphs, +20… gateways, +30… their metrics, +40… workers)
 * unless URLs are given; the load generators run in this process. Per operation and target:
 * p50/p99 at fixed arrival rates (an open model, `open-loop.ts`: evenly spaced requests, latency
 * from when each was due), then the maximum throughput with autocannon's closed loop of
 * --connections; the RSS of every process and the CPU milliseconds each spent per request
 * during the maximum-throughput run.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { Client } from 'pg';
import {
  baseConfigShape,
  createDataSource,
  DEV_INTERNAL_SECRET,
  ensureDatabase,
  initializeDataSource,
  loadConfig,
  parseCommandLine,
  serviceDatabaseName,
  signActorHeaders,
  withDatabase,
  type Actor,
  type Role,
} from '@medcollab/kit';
import { interleavedOpenLoop, openLoop } from './open-loop';
import { mintToken, type MintTokenOptions } from '@medcollab/gateway';
import { deployedGatewaySettings, tokenOptionsFor } from './deployed-gateway';
import { seedDemoNetwork } from '@medcollab/network';
import { seedDemoCurriculum } from '@medcollab/curriculum';
import { seedDemoRotations } from '@medcollab/rotations';
import { seedDemoAssessment } from '@medcollab/assessment';
import { seedDemoMentorship } from '@medcollab/mentorship';
import { DASHBOARD_OPERATIONS as OPERATIONS, type AnyDashboardOperation as BenchOperation } from '@medcollab/operations';
import { SUBGRAPH_MODULES, SUBGRAPH_NAMES } from './operations/subgraphs';
import { recordingProxy, type Recording } from './operations/recording';
import { Redis } from 'ioredis';

/**
 * The bench world's BullMQ prefix, named after its databases: its queues never mix with another
 * world's on the same Redis, not even with another bench's world seeded at the same time.
 */
const eventsPrefixOf = (databasePrefix: string) => `mcbench16ops_${databasePrefix}`;
/** Workers that carry the demo world's events into the other services' projections (notifications would try to send mail). */
const DRAIN_WORKERS = SUBGRAPH_NAMES.filter((n) => n !== 'notifications');

const ROOT = path.resolve(__dirname, '..');
const USAGE = `Usage: pnpm bench:operations [--seconds 10] [--rates 100,300] [--connections 32] [--targets ours,bare,hive,direct]
  [--ops blockBoard,portfolio,…] [--db-prefix mcbench_ops] [--no-seed] [--port-base 16600] [--cpu-prof <dir>]
  [--gateway-url <url>] [--subgraph-urls name=url,…] [--log-level info] [--record <file>]
  [--interleave] [--ours2-env NAME=value,…]

--interleave: per operation and rate, one open loop whose requests take turns among the targets
(request i to target i mod n; the rate is the total), so every target meets the same machine
load; no maximum run. Targets beside ours, bare, hive and direct: relay (a process that only
forwards to the owning subgraph, ./operations/relay.ts: the cost of one more process on the
path) and ours2 (a second gateway of ours with the settings of --ours2-env, for A/B).

--record <file>: only our gateway, its subgraph fetches through a proxy (port base + 50) that keeps
every answer; sends each operation once and writes the operations, the gateway's answers and the
subgraphs' answers to <file> for \`pnpm bench:gateway-cpu --replay <file>\` (./operations/recording.ts).
Into an existing file, adds the subgraph answers and checks that the gateway's answers are the same bytes.

Runs the issue #16 operations through the gateway (and the reference gateways) under open-model load.
Operations: ${OPERATIONS.map((o) => o.key).join(', ')}.`;

type TargetName = 'ours' | 'ours2' | 'bare' | 'hive' | 'direct' | 'relay';
/** Targets that call the owning subgraph with the bench's own signature (no gateway's). */
const signsItself = (target: TargetName) => target === 'direct' || target === 'relay';

interface Proc {
  name: string;
  child?: ChildProcess;
  pid?: number;
  /** How to stop what is not a child process (the recording proxy). */
  stop?: () => Promise<void>;
}

interface Prepared {
  op: BenchOperation;
  variables: Record<string, unknown>;
  actor: Actor;
  token: string;
}

interface Point {
  rate: number | 'max';
  p50: number;
  p99: number;
  rps: number;
  errors: number;
}

async function main(): Promise<void> {
  const values = parseCommandLine(USAGE, {
    seconds: { type: 'string', default: '10' },
    rates: { type: 'string', default: '100,300' },
    connections: { type: 'string', default: '32' },
    targets: { type: 'string', default: 'ours,bare,hive,direct' },
    ops: { type: 'string', default: OPERATIONS.map((o) => o.key).join(',') },
    'db-prefix': { type: 'string', default: 'mcbench_ops' },
    'no-seed': { type: 'boolean', default: false },
    'port-base': { type: 'string', default: '16600' },
    'cpu-prof': { type: 'string' },
    'gateway-url': { type: 'string' },
    'subgraph-urls': { type: 'string' },
    'log-level': { type: 'string', default: 'info' },
    record: { type: 'string' },
    interleave: { type: 'boolean', default: false },
    'ours2-env': { type: 'string', default: '' },
  });
  const config = loadConfig(baseConfigShape);
  const seconds = Number(values.seconds);
  const rates = values.rates.split(',').filter(Boolean).map(Number);
  const connections = Number(values.connections);
  // Our gateway's answers are the reference every other target must match (ADR 0010): it runs first.
  const listed = (values.record ? 'ours' : values.targets).split(',') as TargetName[];
  const targets: TargetName[] = ['ours', ...listed.filter((t) => t !== 'ours')];
  const referenceOnly = !listed.includes('ours');
  const ops = OPERATIONS.filter((o) => values.ops.split(',').includes(o.key));
  const prefix = values['db-prefix'];
  const portBase = Number(values['port-base']);
  const dbUrl = (name: string) => withDatabase(config.DATABASE_URL, serviceDatabaseName(name, prefix));

  const external = Boolean(values['gateway-url']);
  // Our gateway runs as deployed (NODE_ENV=production, so graphql-js skips its development
  // checks), which needs secrets of its own; every process started here (subgraphs, reference
  // gateways) inherits them, and the bench's tokens and signatures use them (deployed-gateway.ts).
  const deployed = external ? undefined : deployedGatewaySettings();
  if (deployed) {
    process.env.INTERNAL_SIGNING_SECRET = deployed.INTERNAL_SIGNING_SECRET;
    process.env.JWT_SECRET = deployed.JWT_SECRET;
  }
  const subgraphUrls: Record<string, string> = Object.fromEntries(
    SUBGRAPH_NAMES.map((name, i) => [name, `http://127.0.0.1:${portBase + 1 + i}/graphql`]),
  );
  for (const pair of (values['subgraph-urls'] ?? '').split(',').filter(Boolean)) {
    const [name, url] = pair.split('=');
    if (name && url) subgraphUrls[name] = url;
  }

  const procs: Proc[] = [];
  const stopAll = async () => {
    await Promise.all(procs.map((p) => stopProcess(p)));
  };
  process.once('SIGINT', () => void stopAll().then(() => process.exit(130)));

  try {
    if (!external) {
      const world = { DATABASE_PREFIX: prefix, EVENTS_PREFIX: eventsPrefixOf(prefix), LOG_LEVEL: values['log-level'] };
      const seeded = await prepareDatabases(config.DATABASE_URL, prefix, !values['no-seed']);
      if (seeded) await drainEvents(world, portBase, dbUrl, config.REDIS_URL);
      for (const [i, name] of SUBGRAPH_NAMES.entries()) {
        procs.push(startNode(name, `services/${name}/src/index.ts`, [], { ...world, PORT: String(portBase + 1 + i) }, values['cpu-prof']));
      }
      await Promise.all(SUBGRAPH_NAMES.map((name) => waitForReady(subgraphUrls[name]!.replace(/\/graphql$/, '/readyz'))));
    }
    const prepared = await prepareOperations(ops, dbUrl, config.DATABASE_URL, deployed ? tokenOptionsFor(deployed) : {});
    const recording: Recording | undefined = values.record ? { operations: [], fetches: {} } : undefined;
    const proxy = recording ? recordingProxy(subgraphUrls, recording.fetches) : undefined;
    if (proxy) {
      await new Promise<void>((resolve) => proxy.listen(portBase + 50, '127.0.0.1', resolve));
      procs.push({ name: 'recording proxy', stop: () => new Promise((resolve) => proxy.close(() => resolve())) });
    }
    const gatewaySubgraphUrls = proxy
      ? Object.fromEntries(SUBGRAPH_NAMES.map((n) => [n, `http://127.0.0.1:${portBase + 50}/${n}/graphql`]))
      : subgraphUrls;

    const load = () =>
      loadavg()
        .map((l) => l.toFixed(2))
        .join(' ');
    console.log(
      `\noperations bench: ${seconds} s per point, rates ${rates.join(', ')} req/s, max with ${connections} connections; load average ${load()}`,
    );
    const results: { target: string; op: string; points: Point[]; refused?: string }[] = [];
    const references = new Map<string, unknown>();
    const processReport: string[] = [];

    // Every gateway runs from the start, and each operation is measured on every target back to
    // back: on a shared machine whose load moves by the minute, the targets of one operation then
    // meet the same load, which is what makes their ratio mean something (ours always first).
    const gatewayUrls = new Map<TargetName, string>();
    for (const target of targets) {
      if (target === 'direct') continue;
      if (target === 'relay' && !external) {
        const port = portBase + 24;
        procs.push(
          startNode('relay', 'bench/operations/relay.ts', [], { PORT: String(port), RELAY_TARGETS: JSON.stringify(subgraphUrls) }),
        );
        gatewayUrls.set(target, `http://127.0.0.1:${port}`);
        continue;
      }
      if (external) {
        if (target === 'ours') gatewayUrls.set(target, values['gateway-url']!); // an external gateway is "ours"
        continue;
      }
      const port = portBase + 20 + ['ours', 'bare', 'hive', 'ours2'].indexOf(target);
      const env = {
        PORT: String(port),
        GATEWAY_PORT: String(port),
        // Off the default 4100, which a `pnpm start` on this machine holds (our gateway refused to start beside one).
        METRICS_PORT: String(port + 10),
        LOG_LEVEL: values['log-level'],
        ...(target === 'ours' || target === 'ours2' ? deployed : {}),
        ...(target === 'ours2' ? settingsOf(values['ours2-env']) : {}),
        BENCH_SUBGRAPH_URLS: JSON.stringify(gatewaySubgraphUrls),
        ...Object.fromEntries(SUBGRAPH_NAMES.map((n) => [`SUBGRAPH_${n.toUpperCase()}_URL`, gatewaySubgraphUrls[n]!])),
      };
      const scripts = {
        ours: 'gateway/src/index.ts',
        ours2: 'gateway/src/index.ts',
        bare: 'bench/operations/bare-gateway.ts',
        hive: 'bench/operations/hive-gateway.ts',
      };
      const script = scripts[target as keyof typeof scripts];
      procs.push(startNode(`gateway-${target}`, script, [], env, values['cpu-prof']));
      gatewayUrls.set(target, `http://127.0.0.1:${port}/graphql`);
    }
    await Promise.all([...gatewayUrls.entries()].map(([t, u]) => waitForGraphql(t === 'relay' ? `${u}/${SUBGRAPH_NAMES[0]}/graphql` : u)));
    if (recording) {
      await recordOperations(prepared, gatewayUrls.get('ours')!, recording);
      mergeEarlierRecording(values.record!, recording);
      writeFileSync(values.record!, JSON.stringify(recording));
      console.log(
        `recorded ${recording.operations.length} operations, ${Object.keys(recording.fetches).length} subgraph answers: ${values.record}`,
      );
      return;
    }

    for (const p of prepared) {
      // --interleave: the targets that passed their checks, measured together after the loop.
      const together: { target: TargetName; url: string; headers: () => Record<string, string> }[] = [];
      for (const target of targets) {
        if (target !== 'direct' && !gatewayUrls.has(target)) continue;
        const gatewayUrl = gatewayUrls.get(target) ?? '';
        if (signsItself(target) && !p.op.owner) continue;
        const url =
          target === 'direct' ? subgraphUrls[p.op.owner!]! : target === 'relay' ? `${gatewayUrl}/${p.op.owner!}/graphql` : gatewayUrl;
        const body = JSON.stringify({ query: p.op.query, variables: p.variables, operationName: operationName(p.op) });
        const headers = (): Record<string, string> => ({
          'content-type': 'application/json',
          ...(signsItself(target)
            ? signActorHeaders(p.actor, {
                secret: process.env.INTERNAL_SIGNING_SECRET || DEV_INTERNAL_SECRET,
                requestId: 'bench',
                body,
                operationName: operationName(p.op),
              })
            : { authorization: `Bearer ${p.token}` }),
        });
        const allowed = p.op.policyRefusals ?? [];
        const reply = await probe(url, body, headers(), allowed);
        if (reply.problem) {
          console.log(`${target.padEnd(6)} ${p.op.title}: ${reply.problem}`);
          results.push({ target, op: p.op.title, points: [] });
          continue;
        }
        // A target is only measured when it gives our gateway's answer: the same data, no errors.
        // The policy's refusals (where the operation declares them) are part of the answer: the same
        // fields refused, the same data otherwise.
        const answer = { data: reply.data, refusals: reply.refusals };
        if (target === 'ours') references.set(p.op.key, answer);
        if (reply.refusals.length)
          console.log(
            `${target.padEnd(6)} ${p.op.title}: ${reply.refusals.length} field(s) refused by policy: ${reply.refusals.slice(0, 3).join(', ')}…`,
          );
        const difference = firstDifference(references.get(p.op.key), answer);
        if (difference) {
          console.log(`${target.padEnd(6)} ${p.op.title}: REFUSED, its answer differs from ours at ${difference}`);
          results.push({ target, op: p.op.title, points: [], refused: `answer differs at ${difference}` });
          continue;
        }
        // The same work for every request: a burst of identical concurrent requests must cause as
        // many subgraph operations per request as one request alone, or the target merges or
        // caches calls across requests. (Targets may differ from each other here: a planner that
        // batches one subgraph's entity fetches into one operation does the same work in fewer.)
        const alone = await subgraphWorkPerRequest(Object.values(subgraphUrls), url, body, headers, 1);
        const perRequest = await subgraphWorkPerRequest(Object.values(subgraphUrls), url, body, headers, 8);
        if (target !== 'direct' && perRequest < 0.9 * alone) {
          const why = `subgraphs served ${perRequest.toFixed(2)} operations per request in a burst of 8, ${alone.toFixed(2)} for one alone`;
          console.log(`${target.padEnd(6)} ${p.op.title}: REFUSED, ${why}`);
          results.push({ target, op: p.op.title, points: [], refused: why });
          continue;
        }
        if (target === 'ours' && referenceOnly) continue;
        if (values.interleave) {
          together.push({ target, url, headers });
          continue;
        }
        const points: Point[] = [];
        await run(url, body, headers, { connections: 4, seconds: 2, allowed }); // warm-up: plans, pools, JIT
        for (const rate of rates) {
          // Fixed arrival rates: evenly spaced requests, latency from when each was due (bench/open-loop.ts).
          const o = await openLoop(url, () => ({ body, headers: headers() }), {
            rate,
            seconds,
            acceptsErrors: (text) => onlyRefusals(text, allowed),
          });
          points.push({ p50: o.p50, p99: o.p99, rps: o.achieved, errors: o.offered - o.answered, rate });
        }
        const cpuBefore = procs.map(cpuTicks);
        const rssPeak = procs.map(() => 0);
        const sampler = setInterval(() => procs.forEach((pr, i) => (rssPeak[i] = Math.max(rssPeak[i]!, rssMb(pr)))), 250);
        const max = await run(url, body, headers, { connections, seconds, allowed });
        clearInterval(sampler);
        const requests = max.rps * seconds;
        points.push({ ...max, rate: 'max' });
        const perProc = procs
          .map((pr, i) => ({ name: pr.name, cpuMs: ((cpuTicks(pr) - cpuBefore[i]!) * 10) / Math.max(requests, 1), rss: rssPeak[i]! }))
          .filter((x) => x.cpuMs >= 0.05 || x.name.startsWith('gateway'));
        processReport.push(
          `${target.padEnd(6)} ${p.op.title.padEnd(34)} ` +
            perProc
              .map((x) => `${x.name} ${requests >= 20 ? `${x.cpuMs.toFixed(1)} ms/req` : 'n/a (too few requests)'} ${x.rss.toFixed(0)} MB`)
              .join(' | ') +
            ` | subgraph operations per request ${alone.toFixed(2)} alone, ${perRequest.toFixed(2)} in a burst of 8`,
        );
        console.log(`${target.padEnd(6)} ${p.op.title.padEnd(34)} ${points.map(fmtPoint).join('  ')}  (load ${load()})`);
        results.push({ target, op: p.op.title, points });
      }
      if (together.length) {
        const body = JSON.stringify({ query: p.op.query, variables: p.variables, operationName: operationName(p.op) });
        const allowed = p.op.policyRefusals ?? [];
        for (const t of together) await run(t.url, body, t.headers, { connections: 4, seconds: 2, allowed }); // warm-up
        const points = together.map(() => [] as Point[]);
        for (const rate of rates) {
          const cpuBefore = procs.map(cpuTicks);
          const outcomes = await interleavedOpenLoop(
            together.map((t) => ({ url: t.url, request: () => ({ body, headers: t.headers() }) })),
            { rate, seconds, acceptsErrors: (text) => onlyRefusals(text, allowed) },
          );
          outcomes.forEach((o, i) => points[i]!.push({ p50: o.p50, p99: o.p99, rps: o.achieved, errors: o.offered - o.answered, rate }));
          // CPU per request of each forwarding process, over the requests sent to it.
          const forwarders = procs
            .map((pr, i) => ({ pr, ms: (cpuTicks(pr) - cpuBefore[i]!) * 10 }))
            .filter((x) => x.pr.name.startsWith('gateway') || x.pr.name === 'relay' || x.ms / (rate * seconds) >= 0.05)
            .map((x) => {
              const t = together.find((tt) => x.pr.name === `gateway-${tt.target}` || x.pr.name === tt.target);
              const n = t ? outcomes[together.indexOf(t)]!.offered : rate * seconds;
              return `${x.pr.name} ${(x.ms / Math.max(n, 1)).toFixed(2)} ms/req`;
            });
          processReport.push(
            `${p.op.title.padEnd(34)} @${rate}/s interleaved ${together.map((t) => t.target).join('/')}: ${forwarders.join(' | ')}`,
          );
        }
        together.forEach((t, i) => {
          console.log(
            `${t.target.padEnd(6)} ${p.op.title.padEnd(34)} ${points[i]!.map(fmtPoint).join('  ')}  (interleaved, load ${load()})`,
          );
          results.push({ target: t.target, op: p.op.title, points: points[i]! });
        });
      }
    }

    console.log(
      `\n| operation | target | ${rates.map((r) => `${r}/s p50 / p99 (achieved)`).join(' | ')} | max req/s (p50 / p99) | errors |`,
    );
    console.log(`| --- | --- | ${rates.map(() => '---').join(' | ')} | --- | --- |`);
    for (const op of ops) {
      for (const r of results.filter((x) => x.op === op.title)) {
        if (!r.points.length) {
          const why = r.refused ? 'not measured' : 'failed';
          console.log(`| ${r.op} | ${r.target} | ${rates.map(() => why).join(' | ')} | ${why} | ${r.refused ?? '–'} |`);
          continue;
        }
        const at = (rate: number) => r.points.find((x) => x.rate === rate)!;
        const m = r.points.find((x) => x.rate === 'max');
        // --interleave makes no maximum run (the targets share one stream).
        const max = m ? `${m.rps.toFixed(0)} (${m.p50} / ${m.p99} ms)` : '– (interleaved)';
        console.log(
          `| ${r.op} | ${r.target} | ${rates.map((rate) => `${at(rate).p50} / ${at(rate).p99} ms (${at(rate).rps.toFixed(0)})`).join(' | ')} | ` +
            `${max} | ${r.points.reduce((s, x) => s + x.errors, 0)} |`,
        );
      }
    }
    console.log('\nCPU per request and peak RSS per process during the maximum-throughput run:');
    for (const line of processReport) console.log(line);
    console.log(`\nload average at the end: ${load()}`);
  } finally {
    await stopAll();
  }
}

const operationName = (op: BenchOperation) => op.operationName;
const fmtPoint = (p: Point) =>
  `${p.rate === 'max' ? 'max' : `@${p.rate}`}: ${p.rps.toFixed(0)}/s p50 ${p.p50} p99 ${p.p99}${p.errors ? ` err ${p.errors}` : ''}`;

async function run(
  url: string,
  body: string,
  headers: () => Record<string, string>,
  opts: { connections: number; seconds: number; rate?: number; allowed: readonly string[] },
): Promise<Omit<Point, 'rate'>> {
  let graphqlErrors = 0;
  const result = await autocannon({
    url,
    method: 'POST',
    connections: opts.connections,
    duration: opts.seconds,
    ...(opts.rate ? { overallRate: opts.rate } : {}),
    // A fresh set of headers per request: direct calls need a new signature and nonce each time.
    requests: [
      {
        method: 'POST',
        body,
        setupRequest: (req: Record<string, unknown>) => ({ ...req, headers: headers() }),
        // An HTTP 200 carrying GraphQL errors is a failed request, not a fast one.
        onResponse: (status: number, responseBody: string) => {
          if (status === 200 && responseBody.includes('"errors":') && !onlyRefusals(responseBody, opts.allowed)) graphqlErrors += 1;
        },
      },
    ],
  } as unknown as autocannon.Options);
  return {
    p50: result.latency.p50,
    p99: result.latency.p99,
    rps: result.requests.total / opts.seconds,
    errors: result.errors + result.non2xx + result.timeouts + graphqlErrors,
  };
}

interface GraphqlError {
  path?: (string | number)[];
  extensions?: { code?: string };
}

/** True when every error of an answer is the policy's FORBIDDEN at one of the `allowed` fields. */
function onlyRefusals(text: string, allowed: readonly string[]): boolean {
  if (!allowed.length) return false;
  try {
    const errors = (JSON.parse(text) as { errors?: GraphqlError[] }).errors ?? [];
    return errors.every((e) => e.extensions?.code === 'FORBIDDEN' && allowed.includes(String(e.path?.at(-1))));
  } catch {
    return false;
  }
}

/**
 * One request before loading: its data and the fields the policy refused (only where the
 * operation declares such refusals), or the problem when it has other errors or no data.
 */
async function probe(
  url: string,
  body: string,
  headers: Record<string, string>,
  allowed: readonly string[],
): Promise<{ data?: unknown; refusals: string[]; problem?: string }> {
  const res = await fetch(url, { method: 'POST', body, headers });
  const text = await res.text();
  if (!res.ok) return { refusals: [], problem: `HTTP ${res.status}: ${text.slice(0, 300)}` };
  const json = JSON.parse(text) as { data?: unknown; errors?: GraphqlError[] };
  const refusals = json.errors?.length && onlyRefusals(text, allowed) ? json.errors.map((e) => (e.path ?? []).join('.')).sort() : [];
  if (json.errors?.length && !refusals.length) return { refusals, problem: `errors: ${JSON.stringify(json.errors).slice(0, 400)}` };
  return json.data ? { data: json.data, refusals } : { refusals, problem: 'no data' };
}

/**
 * Each operation sent once through our gateway (after one warm-up request) with its answer kept;
 * refuses an answer with errors other than the operation's declared refusals.
 */
async function recordOperations(prepared: Prepared[], url: string, recording: Recording): Promise<void> {
  for (const p of prepared) {
    const body = JSON.stringify({ query: p.op.query, variables: p.variables, operationName: operationName(p.op) });
    const headers = { 'content-type': 'application/json', authorization: `Bearer ${p.token}` };
    const reply = await probe(url, body, headers, p.op.policyRefusals ?? []);
    if (reply.problem) throw new Error(`${p.op.title}: ${reply.problem}`);
    const answer = await fetch(url, { method: 'POST', body, headers }).then((r) => r.text());
    recording.operations.push({ key: p.op.key, title: p.op.title, body, actor: p.actor, answer });
  }
}

/**
 * A second recording into the same file (the gateway set otherwise, e.g. a change to how it
 * fetches) adds the subgraph answers its fetches got; the gateway's answers must be the first
 * recording's bytes, which stay the reference.
 */
function mergeEarlierRecording(file: string, recording: Recording): void {
  if (!existsSync(file)) return;
  const earlier = JSON.parse(readFileSync(file, 'utf8')) as Recording;
  for (const op of recording.operations) {
    const before = earlier.operations.find((o) => o.key === op.key);
    if (before && before.answer !== op.answer) {
      writeFileSync(`${file}.${op.key}.differs`, op.answer);
      const at = firstDifference(JSON.parse(before.answer), JSON.parse(op.answer), '');
      throw new Error(`${op.title}: the answer differs from the one recorded in ${file} at ${at ?? 'no value (the bytes only)'}`);
    }
    if (before) console.log(`${op.title}: the same answer as recorded before (${op.answer.length} bytes)`);
    else earlier.operations.push(op);
  }
  recording.operations = earlier.operations;
  recording.fetches = { ...earlier.fetches, ...recording.fetches };
}

/** The path of the first place two answers differ (undefined when they are equal). */
function firstDifference(a: unknown, b: unknown, at = 'data'): string | undefined {
  if (Object.is(a, b)) return undefined;
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.max(a.length, b.length); i++) {
      const d = i < a.length && i < b.length ? firstDifference(a[i], b[i], `${at}[${i}]`) : `${at} (length ${a.length} vs ${b.length})`;
      if (d) return d;
    }
    return undefined;
  }
  if (a && b && typeof a === 'object' && typeof b === 'object' && !Array.isArray(a) && !Array.isArray(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])];
    for (const k of keys) {
      const d = firstDifference((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${at}.${k}`);
      if (d) return d;
    }
    return undefined;
  }
  return `${at} (${JSON.stringify(a)?.slice(0, 60)} vs ${JSON.stringify(b)?.slice(0, 60)})`;
}

/** GraphQL operations the subgraphs have served so far (their /metrics operation histograms' counts). */
async function subgraphOperations(graphqlUrls: readonly string[]): Promise<number> {
  let total = 0;
  for (const url of graphqlUrls) {
    const text = await fetch(url.replace(/\/graphql$/, '/metrics')).then(
      (r) => (r.ok ? r.text() : ''),
      () => '',
    );
    for (const m of text.matchAll(/^medcollab_graphql_operation_duration_seconds_count\{[^}]*\} (\d+)/gm)) total += Number(m[1]);
  }
  return total;
}

/** Waits until the subgraphs' operation count stops moving (earlier load drained); returns it. */
async function quietCount(graphqlUrls: readonly string[]): Promise<number> {
  let last = await subgraphOperations(graphqlUrls);
  for (let i = 0; i < 60; i++) {
    await new Promise((r) => setTimeout(r, 500));
    const now = await subgraphOperations(graphqlUrls);
    if (now === last) return now;
    last = now;
  }
  return last;
}

/** Subgraph operations per request for a burst of `n` identical concurrent requests. */
async function subgraphWorkPerRequest(
  graphqlUrls: readonly string[],
  url: string,
  body: string,
  headers: () => Record<string, string>,
  n: number,
): Promise<number> {
  const before = await quietCount(graphqlUrls);
  await Promise.all(Array.from({ length: n }, () => fetch(url, { method: 'POST', body, headers: headers() }).then((r) => r.text())));
  return ((await quietCount(graphqlUrls)) - before) / n;
}

function startNode(name: string, script: string, args: string[], env: Record<string, string>, cpuProfDir?: string): Proc {
  const nodeArgs = [
    '--import',
    'tsx',
    // One directory per process and Node's own file names: tsx's loader runs in a worker thread,
    // whose (nearly empty) profile overwrote the main thread's when both had the same name.
    ...(cpuProfDir ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(cpuProfDir, name)}`] : []),
  ];
  const child = spawn(process.execPath, [...nodeArgs, path.join(ROOT, script), ...args], {
    cwd: ROOT,
    env: { ...process.env, MIGRATE_ON_START: 'false', OTEL_SDK_DISABLED: 'true', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  child.stderr?.on('data', (chunk: Buffer) => process.stderr.write(`[${name}] ${chunk.toString()}`));
  return { name, child, pid: child.pid };
}

async function stopProcess(p: Proc): Promise<void> {
  if (p.stop) return p.stop();
  if (!p.child || p.child.exitCode !== null) return;
  const exited = new Promise((resolve) => p.child!.once('exit', resolve));
  p.child.kill('SIGTERM');
  await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
  if (p.child.exitCode === null) p.child.kill('SIGKILL');
}

function cpuTicks(p: Proc): number {
  try {
    const fields = readFileSync(`/proc/${p.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return Number(fields[11]) + Number(fields[12]); // utime + stime, in 1/100 s
  } catch {
    return 0;
  }
}

function rssMb(p: Proc): number {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${p.pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

async function waitForReady(url: string, timeoutMs = 300_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (
      await fetch(url).then(
        (r) => r.ok,
        () => false,
      )
    )
      return;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`${url} not ready within ${timeoutMs / 1000} s`);
}

async function waitForGraphql(url: string, timeoutMs = 300_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const up = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{__typename}"}' }).then(
      () => true,
      () => false,
    );
    if (up) return;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`${url} not answering within ${timeoutMs / 1000} s`);
}

/**
 * Runs the workers until every event the seed wrote has reached its consumers (outboxes
 * published, queues empty), so projections (hospital access grants, known institutions…) are
 * there as in a running system; then stops them, so they take no CPU from the measurement.
 */
async function drainEvents(
  world: Record<string, string>,
  portBase: number,
  dbUrl: (name: string) => string,
  redisUrl: string,
): Promise<void> {
  const workers = DRAIN_WORKERS.map((name, i) =>
    startNode(`${name}-worker`, `services/${name}/src/worker.ts`, [], { ...world, HEALTH_PORT: String(portBase + 40 + i) }),
  );
  const redis = new Redis(redisUrl, { lazyConnect: true });
  await redis.connect();
  try {
    let quiet = 0;
    const deadline = Date.now() + 600_000;
    while (quiet < 3 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 2_000));
      let pending = 0;
      for (const name of SUBGRAPH_NAMES) {
        const row = await one<{ n: string }>(dbUrl(name), 'SELECT count(*) AS n FROM outbox_delivery WHERE published_at IS NULL').catch(
          () => ({ n: '0' }),
        );
        pending += Number(row?.n ?? 0);
      }
      for (const name of DRAIN_WORKERS) {
        const q = `${world.EVENTS_PREFIX}:events.${name}`;
        pending +=
          (await redis.llen(`${q}:wait`)) +
          (await redis.llen(`${q}:active`)) +
          (await redis.zcard(`${q}:delayed`)) +
          (await redis.zcard(`${q}:prioritized`));
      }
      quiet = pending === 0 ? quiet + 1 : 0;
      process.stdout.write(`draining the seed's events: ${pending} pending\r`);
    }
    console.log('');
  } finally {
    await Promise.all(workers.map((w) => stopProcess(w)));
    // The bench world's queues are its own: remove them so Redis keeps nothing of this run.
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${world.EVENTS_PREFIX}:*`, 'COUNT', 500);
      if (keys.length) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
    await redis.quit();
  }
}

/** `NAME=value,…` as environment settings (--ours2-env). */
function settingsOf(list: string): Record<string, string> {
  return Object.fromEntries(
    list
      .split(',')
      .filter(Boolean)
      .map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]),
  );
}

/** Creates and migrates the prefix's databases, then loads the demo world into them unless told not to. */
async function prepareDatabases(serverUrl: string, prefix: string, seed: boolean): Promise<boolean> {
  const sources: Record<string, Awaited<ReturnType<typeof initializeDataSource>>> = {};
  try {
    for (const name of SUBGRAPH_NAMES) {
      const mod = SUBGRAPH_MODULES[name]!;
      await ensureDatabase(serverUrl, serviceDatabaseName(name, prefix));
      const ds = createDataSource({
        url: withDatabase(serverUrl, serviceDatabaseName(name, prefix)),
        entities: mod.entities,
        migrations: mod.migrations,
        poolSize: 2,
      });
      sources[name] = await initializeDataSource(ds, { migrate: true });
    }
    if (!seed) return false;
    const network = await seedDemoNetwork(sources.network!);
    await seedDemoCurriculum(sources.curriculum!, network);
    await seedDemoRotations(sources.rotations!, network);
    await seedDemoAssessment(sources.assessment!, network);
    await seedDemoMentorship(sources.mentorship!, network);
    return true;
  } finally {
    await Promise.all(Object.values(sources).map((ds) => ds.destroy()));
  }
}

async function one<T>(url: string, sql: string, params: unknown[] = []): Promise<T | undefined> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows[0] as T | undefined;
  } finally {
    await client.end();
  }
}

/**
 * Picks each operation's subject from the data (the busiest block, student, department and
 * assessor), so the same bench runs on the demo world and on a large one.
 */
async function prepareOperations(
  ops: BenchOperation[],
  dbUrl: (name: string) => string,
  serverUrl: string,
  tokenOptions: Partial<MintTokenOptions>,
): Promise<Prepared[]> {
  void serverUrl;
  const need = <T>(row: T | undefined, what: string): T => {
    if (!row) throw new Error(`no ${what} in the bench databases: load a world first`);
    return row;
  };
  const block = need(
    await one<{ block_id: string; school_id: string; academic_year: string }>(
      dbUrl('rotations'),
      `SELECT p.block_id, p.school_id, b.academic_year FROM placement p JOIN rotation_block b ON b.id = p.block_id
       GROUP BY 1, 2, 3 ORDER BY count(*) DESC, 1 LIMIT 1`,
    ),
    'placements',
  );
  const staffOf = async (institutionId: string, role: string) =>
    (
      await one<{ id: string }>(
        dbUrl('network'),
        `SELECT id FROM staff_member WHERE institution_id = $1 AND $2 = ANY(roles) ORDER BY id LIMIT 1`,
        [institutionId, role],
      )
    )?.id;
  const coordinatorId = (await staffOf(block.school_id, 'COORDINATOR')) ?? '00000000-0000-4000-8000-000000000001';
  const student = need(
    await one<{ student_id: string; school_id: string }>(
      dbUrl('rotations'),
      `SELECT student_id, school_id FROM placement GROUP BY 1, 2 ORDER BY count(*) DESC, 1 LIMIT 1`,
    ),
    'students with placements',
  );
  // Only the portfolio asks for one (its readiness): the student's school's own post profile
  // (a generated world has one per program), else any.
  const postProfile = await one<{ id: string }>(
    dbUrl('curriculum'),
    `SELECT id FROM post_profile ORDER BY owner_institution_id = $1 DESC NULLS LAST, id LIMIT 1`,
    [student.school_id],
  );
  if (!postProfile && ops.some((o) => o.key === 'portfolio')) need(postProfile, 'post profile');
  const department = need(
    await one<{ department_id: string; hospital_id: string }>(
      dbUrl('rotations'),
      `SELECT department_id, hospital_id FROM placement WHERE block_id = $1 GROUP BY 1, 2 ORDER BY count(*) DESC, 1 LIMIT 1`,
      [block.block_id],
    ),
    'department',
  );
  const hospitalOfficer = await staffOf(department.hospital_id, 'QUALITY_OFFICER');
  const hospitalCoordinator = await staffOf(department.hospital_id, 'COORDINATOR');
  const assessor = ops.some((o) => o.key === 'taskInbox') ? await inboxAssessor(dbUrl) : undefined;
  const admin = await one<{ id: string; institution_id: string }>(
    dbUrl('network'),
    `SELECT id, institution_id FROM staff_member WHERE 'NETWORK_ADMIN' = ANY(roles) ORDER BY id LIMIT 1`,
  );

  const year = block.academic_year;
  // Each operation's subject (its variables come from the shared list's builder) and its reader.
  const subjects: Record<string, { subject: Record<string, unknown>; actor: Actor }> = {
    blockBoard: {
      subject: { blockId: block.block_id, first: 200 }, // the board's real size, one page (rotations' PLACEMENT_PAGE_MAX)
      actor: { personId: coordinatorId, institutionId: block.school_id, roles: ['COORDINATOR'] },
    },
    portfolio: {
      subject: { studentId: student.student_id, postProfileId: postProfile?.id },
      actor: { personId: student.student_id, institutionId: student.school_id, roles: ['STUDENT'] },
    },
    departmentPage: {
      subject: { departmentId: department.department_id, academicYear: year },
      actor: {
        personId: hospitalCoordinator ?? coordinatorId,
        institutionId: department.hospital_id,
        roles: ['COORDINATOR', 'QUALITY_OFFICER'],
      },
    },
    taskInbox: {
      subject: { first: 50 },
      actor: assessor ?? { personId: coordinatorId, institutionId: block.school_id, roles: ['COORDINATOR'] },
    },
    qualityReport: {
      subject: { hospitalId: department.hospital_id, academicYear: year },
      actor: { personId: hospitalOfficer ?? coordinatorId, institutionId: department.hospital_id, roles: ['QUALITY_OFFICER'] },
    },
    institutionsAgreements: {
      subject: { first: 50 }, // a page of each (the large world has 52 institutions and 120 agreements)
      actor: { personId: admin?.id ?? coordinatorId, institutionId: admin?.institution_id ?? null, roles: ['NETWORK_ADMIN'] },
    },
    studentsPage: {
      subject: { first: 50 },
      actor: { personId: admin?.id ?? coordinatorId, institutionId: admin?.institution_id ?? null, roles: ['NETWORK_ADMIN'] },
    },
  };
  const prepared: Prepared[] = [];
  for (const op of ops) {
    const s = subjects[op.key]!;
    const token = await mintToken({
      sub: s.actor.personId,
      institutionId: s.actor.institutionId,
      roles: s.actor.roles,
      expiresIn: '2h',
      ...tokenOptions,
    });
    prepared.push({ op, variables: op.variables(s.subject), actor: s.actor, token });
  }
  return prepared;
}

/** The inbox's page size (operation 4). */
const INBOX_PAGE = 50;

/**
 * The assessor whose inbox the bench opens: the busiest one whose first page of 50 tasks names
 * only students the policy lets them see, else the busiest one. A hospital's clinical instructor
 * sees a student while a placement grant at their hospital is live (valid_until in the future or
 * open) and the placement is in their department or supervised by them; their school's own
 * students and themself always (network's canReadStudent). On the demo world such a page exists;
 * on a generated world it does not (an instructor has a few tasks per four-week block and a
 * grant outlives its placement by 30 days, so any full page reaches back to placements whose
 * access ended): there the page holds tasks whose `subjectStudent` the policy refuses, which the
 * operation declares as the policy's answer (`policyRefusals`), so they count as served, and
 * every target must refuse the same fields (bench/README.md, "Session 8").
 */
async function inboxAssessor(dbUrl: (name: string) => string): Promise<Actor> {
  const assessment = new Client({ connectionString: dbUrl('assessment') });
  const network = new Client({ connectionString: dbUrl('network') });
  await assessment.connect();
  await network.connect();
  try {
    // The 50 busiest assessors' first pages (listAssessorTasks: assigned_at DESC, id), busiest first.
    const pages = (
      await assessment.query(
        `WITH busiest AS (SELECT assessor_id, count(*) AS total FROM assessment_task GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 50)
         SELECT b.assessor_id, p.students FROM busiest b
          CROSS JOIN LATERAL (SELECT array_agg(f.student_id) FILTER (WHERE f.student_id IS NOT NULL) AS students
                                FROM (SELECT student_id FROM assessment_task t WHERE t.assessor_id = b.assessor_id
                                       ORDER BY t.assigned_at DESC, t.id LIMIT $1) f) p
          ORDER BY b.total DESC, b.assessor_id`,
        [INBOX_PAGE],
      )
    ).rows as { assessor_id: string; students: string[] }[];
    let busiest: Actor | undefined;
    for (const page of pages) {
      const staff = (
        await network.query(`SELECT id, institution_id, department_id, roles FROM staff_member WHERE id = $1`, [page.assessor_id])
      ).rows[0] as { id: string; institution_id: string; department_id: string | null; roles: string[] } | undefined;
      if (!staff) continue; // a student assessing their site and teacher
      const actor: Actor = {
        personId: staff.id,
        institutionId: staff.institution_id,
        roles: (staff.roles.filter((r) => r !== 'NETWORK_ADMIN') as Role[]).slice(0, 3),
      };
      busiest ??= actor;
      const outside = (
        await network.query(
          `SELECT count(*)::int AS n FROM unnest($1::uuid[]) AS s(id)
            WHERE s.id <> $2
              AND NOT EXISTS (SELECT 1 FROM student st WHERE st.id = s.id AND st.school_id = $3)
              AND NOT EXISTS (SELECT 1 FROM hospital_access_grant g
                               WHERE g.student_id = s.id AND g.hospital_id = $3 AND (g.valid_until IS NULL OR g.valid_until > now())
                                 AND (g.supervisor_id = $2 OR g.department_id = $4))`,
          [page.students, staff.id, staff.institution_id, staff.department_id],
        )
      ).rows[0] as { n: number };
      if (outside.n === 0) {
        console.log(`task inbox: assessor ${staff.id}, whose first page is within grant`);
        return actor;
      }
    }
    if (!busiest) throw new Error('no assessor among staff: load a world first');
    console.log(`task inbox: assessor ${busiest.personId} (no busy assessor's first page is all within grant; refusals count as served)`);
    return busiest;
  } finally {
    await assessment.end();
    await network.end();
  }
}

main().catch((error: Error) => {
  console.error(error);
  process.exit(1);
});
