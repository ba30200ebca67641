/**
 * The gateway's own CPU per request (issue 16, ADR 0039), with and without the single-fetch path,
 * for the dashboard operations one subgraph answers (5, 6a, 6b). This process runs only the
 * two gateways (the committed supergraph, every subgraph URL pointing at a stub); the stub
 * subgraph and the load generator are child processes, so `process.cpuUsage()` here is the
 * gateways' alone. CPU time rather than latency, so a figure holds on a loaded machine; the
 * variants alternate round by round, so a change of load favours neither.
 *
 * The stub answers every fetch with the operation's answer, made once from the API schema
 * (lists as long as the page asked for, every leaf a plausible value), which is what a subgraph
 * sends when the fetch is the client's selection.
 *
 * Variants (`--variants`, any two or more): planned (single-fetch path off), single-fetch (through
 * Apollo Server: OPERATION_FAST_PATH=false), fast-path (as shipped, ADR 0062), express (as shipped but every request through express: PLAIN_HTTP_PATH=false, ADR 0051),
 * parsed (as shipped but every subgraph answer parsed and serialized again: SINGLE_FETCH_RAW_DATA=false, ADR 0059).
 *
 * Usage: pnpm bench:gateway-cpu [--ops qualityReport,institutionsAgreements,studentsPage]
 *   [--variants single-fetch,fast-path] [--requests 2000] [--concurrency 16] [--rounds 3] [--log-level warn] [--profile <dir>]
 *   [--latency <requests>]
 *
 * The gateways run as deployed, NODE_ENV=production (the package script sets it unless the
 * environment already does, since graphql-js reads it once, when it is loaded): with secrets,
 * issuer and audience of the bench's own (deployed-gateway.ts). `NODE_ENV=development pnpm
 * bench:gateway-cpu` measures the development mode instead.
 *
 * --replay <file>: instead of the stub's made-up answers, the operations and subgraph answers of a
 * recording (`pnpm bench:operations --record <file>`, ./operations/recording.ts): operations whose
 * query plans fetch from several subgraphs, with real answers. Every operation of the recording
 * unless --ops names some; every variant's answer must be the recorded answer's bytes, and every
 * request's answer must be those bytes too (the load generator counts any other as failed).
 *
 * --latency n: after the CPU rounds, each round also sends n requests one at a time to every
 * variant and straight to the stub ("direct"), and prints the p50/p90 round trips: what the
 * gateway adds to one request's latency when nothing waits for a CPU (ADR 0059).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import {
  buildASTSchema,
  execute,
  getNamedType,
  GraphQLEnumType,
  isListType,
  isNonNullType,
  parse,
  type GraphQLFieldResolver,
  type GraphQLOutputType,
} from 'graphql';
import { createGateway, DEFAULT_SUPERGRAPH_PATH, mintToken, type Gateway } from '@medcollab/gateway';
import { type Role } from '@medcollab/kit';
import { DASHBOARD_OPERATIONS, type AnyDashboardOperation } from '@medcollab/operations';
import { deployedGatewaySettings, tokenOptionsFor } from './deployed-gateway';
import { type Recording } from './operations/recording';

const { values } = parseArgs({
  options: {
    ops: { type: 'string' },
    replay: { type: 'string' },
    requests: { type: 'string', default: '2000' },
    concurrency: { type: 'string', default: '16' },
    rounds: { type: 'string', default: '3' },
    variants: { type: 'string', default: 'single-fetch,fast-path' },
    'log-level': { type: 'string', default: 'warn' },
    profile: { type: 'string' },
    latency: { type: 'string' },
  },
});
const requests = Number(values.requests);
const concurrency = Number(values.concurrency);
const rounds = Number(values.rounds);
const ID = '00000000-0000-4000-8000-000000000001';
/**
 * Secrets of the bench's own, so the gateways can run as deployed (NODE_ENV=production refuses
 * the repository's development secrets, config.ts); tokens are minted with the same. NODE_ENV is
 * the one the package script set (production unless the environment says otherwise).
 */
const DEPLOYED = deployedGatewaySettings();
const AUTH = { ...DEPLOYED, NODE_ENV: process.env.NODE_ENV ?? 'production' };
const mint = (sub: string, institutionId: string | null, roles: Role[]) =>
  mintToken({ sub, institutionId, roles, ...tokenOptionsFor(DEPLOYED) });

/** Each variant's gateway settings. */
const VARIANTS = {
  planned: { SINGLE_FETCH_PATH: false, PLAIN_HTTP_PATH: true },
  'single-fetch': { SINGLE_FETCH_PATH: true, PLAIN_HTTP_PATH: true, SINGLE_FETCH_RAW_DATA: true, OPERATION_FAST_PATH: false },
  'fast-path': { SINGLE_FETCH_PATH: true, PLAIN_HTTP_PATH: true, SINGLE_FETCH_RAW_DATA: true, OPERATION_FAST_PATH: true },
  express: { SINGLE_FETCH_PATH: true, PLAIN_HTTP_PATH: false },
  parsed: { SINGLE_FETCH_PATH: true, PLAIN_HTTP_PATH: true, SINGLE_FETCH_RAW_DATA: false, OPERATION_FAST_PATH: false },
} as const;
type Variant = keyof typeof VARIANTS;
const variants = values.variants.split(',').map((v) => {
  if (!(v in VARIANTS)) throw new Error(`unknown variant ${v}: ${Object.keys(VARIANTS).join(', ')}`);
  return v as Variant;
});

/** Plausible variables for each operation (the stub ignores them; the gateway checks them). */
const SUBJECTS: Record<string, Record<string, unknown>> = {
  qualityReport: { hospitalId: ID, academicYear: '2026-2027' },
  institutionsAgreements: { first: 50 },
  studentsPage: { first: 50 },
};

/** The answer to `op` made from the API schema: lists as long as `first`, leaves of their type. */
function syntheticAnswer(supergraphSdl: string, op: AnyDashboardOperation, variables: Record<string, unknown>): unknown {
  const schema = buildASTSchema(parse(supergraphSdl), { assumeValidSDL: true });
  let n = 0;
  const leaf = (type: GraphQLOutputType): unknown => {
    const named = getNamedType(type);
    n++;
    if (named instanceof GraphQLEnumType) return named.getValues()[0]!.value;
    switch (named.name) {
      case 'Int':
        return n % 97;
      case 'Float':
        return (n % 50) / 10;
      case 'Boolean':
        return n % 2 === 0;
      case 'ID':
        return `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
      case 'Date':
        return '2026-12-07';
      case 'DateTime':
        return '2026-12-07T08:00:00.000Z';
      default:
        return `text ${n}`;
    }
  };
  const list = (size: number) => Array.from({ length: size }, () => ({}));
  const resolve: GraphQLFieldResolver<unknown, unknown> = (source, args, _ctx, info) => {
    let type = info.returnType as GraphQLOutputType;
    if (isNonNullType(type)) type = type.ofType;
    const named = getNamedType(type);
    const size = typeof args.first === 'number' ? args.first : 3;
    // A connection's edges are as many as the page (its own `first`) asked for.
    if (info.fieldName === 'edges') return list((source as { first?: number }).first ?? size);
    if (isListType(type)) return 'getFields' in named ? list(size) : Array.from({ length: 3 }, () => leaf(named));
    if ('getFields' in named) return typeof args.first === 'number' ? { first: args.first } : {};
    return leaf(type);
  };
  const result = execute({ schema, document: parse(op.query), variableValues: variables, fieldResolver: resolve });
  if ('then' in result || result.errors?.length) throw new Error(`could not make an answer for ${op.key}`);
  return { data: result.data };
}

/**
 * Answers from a recording: by the subgraph its URL path names and the fetch's body. Keeps idle
 * sockets longer than the gateway does (as the subgraphs do, the kit's KEEP_ALIVE_TIMEOUT_MS): with
 * Node's 5 s a loaded machine saw the stub close sockets the gateway was sending on.
 */
const REPLAY_STUB = `
const { fetches } = JSON.parse(require('node:fs').readFileSync(process.env.RECORDING, 'utf8'));
Object.assign(require('node:http').createServer((req, res) => { let body = ''; req.on('data', (c) => (body += c)); req.on('end', () => {
  const answer = fetches[/^\\/([a-z-]+)\\//.exec(req.url)?.[1] + '\\n' + body];
  if (answer === undefined) console.error('replay stub: no recorded answer for ' + req.url + ' ' + body.slice(0, 300));
  res.writeHead(answer === undefined ? 500 : 200, { 'content-type': 'application/json' }); res.end(answer ?? '{}'); }); }),
  { keepAliveTimeout: 65000, headersTimeout: 66000 }).listen(0, '127.0.0.1', function () { console.log(this.address().port); });`;

/** One operation as the bench sends it, and what a gateway must answer (when known). */
interface Case {
  key: string;
  title: string;
  operationName: string;
  body: string;
  token: string;
  /** The synthetic stub's answer to the operation's one fetch. */
  stubAnswer?: string;
  /** The recorded answer's bytes. */
  expected?: string;
}

/** The single-subgraph operations, each answered by the stub with a made-up answer. */
async function syntheticCases(supergraphSdl: string): Promise<Case[]> {
  const token = await mint(ID, ID, ['NETWORK_ADMIN', 'QUALITY_OFFICER', 'COORDINATOR']);
  return (values.ops ?? 'qualityReport,institutionsAgreements,studentsPage').split(',').map((key) => {
    const op = DASHBOARD_OPERATIONS.find((o) => o.key === key) as AnyDashboardOperation | undefined;
    if (!op?.owner || !SUBJECTS[key]) throw new Error(`${key}: not a single-subgraph dashboard operation`);
    const variables = op.variables(SUBJECTS[key]);
    return {
      key,
      title: op.title,
      operationName: op.operationName,
      body: JSON.stringify({ query: op.query, variables, operationName: op.operationName }),
      token,
      // With the newline Apollo Server writes after every answer (its prettyJSONStringify), as a subgraph sends it.
      stubAnswer: JSON.stringify(syntheticAnswer(supergraphSdl, op, variables)) + '\n',
    };
  });
}

/** A recording's operations (those --ops names, else all), each sent with a token of its recorded reader. */
async function replayedCases(recording: Recording): Promise<Case[]> {
  const wanted = values.ops?.split(',');
  const cases: Case[] = [];
  for (const op of recording.operations.filter((o) => !wanted || wanted.includes(o.key))) {
    const { personId, institutionId, roles } = op.actor;
    const token = await mint(personId, institutionId, roles);
    const operationName = (JSON.parse(op.body) as { operationName: string }).operationName;
    cases.push({ key: op.key, title: op.title, operationName, body: op.body, token, expected: op.answer });
  }
  if (!cases.length) throw new Error(`no operation of ${values.replay} matches --ops`);
  return cases;
}

const STUB = `
const answers = JSON.parse(process.env.ANSWERS);
require('node:http').createServer((req, res) => { let body = ''; req.on('data', (c) => (body += c)); req.on('end', () => {
  const name = /"operationName":"([A-Za-z]+)(?:__|")/.exec(body)?.[1];
  res.writeHead(200, { 'content-type': 'application/json' }); res.end(answers[name] ?? '{}'); }); })
  .listen(0, '127.0.0.1', function () { console.log(this.address().port); });`;

const LOAD = `
const http = require('node:http');
const agent = new http.Agent({ keepAlive: true });
process.on('message', ({ port, body, token, requests, concurrency, expected }) => {
  let next = 0; let failed = 0; const took = [];
  const one = () => new Promise((resolve) => { const start = process.hrtime.bigint();
    const req = http.request({ host: '127.0.0.1', port, path: '/graphql', method: 'POST', agent,
      headers: { 'content-type': 'application/json', authorization: 'Bearer ' + token } }, (res) => {
      let text = ''; res.on('data', (c) => (text += c)); res.on('end', () => { if (res.statusCode !== 200 || (expected === undefined ? text.includes('"errors"') : text !== expected)) failed++; took.push(Number(process.hrtime.bigint() - start) / 1e6); resolve(); }); });
    req.on('error', () => { failed++; resolve(); }); req.end(body); });
  const worker = async () => { while (next++ < requests) await one(); };
  Promise.all(Array.from({ length: concurrency }, worker)).then(() => {
    took.sort((a, b) => a - b);
    process.send({ failed, p50: took[Math.floor(took.length / 2)], p90: took[Math.floor(took.length * 0.9)] });
  });
});`;

function startChild(script: string, env: Record<string, string> = {}, ipc = false): ChildProcess {
  return spawn(process.execPath, ['-e', script], {
    stdio: ['ignore', 'pipe', 'inherit', ...(ipc ? ['ipc' as const] : [])],
    env: { ...process.env, ...env },
  });
}

async function main(): Promise<void> {
  const supergraphSdl = readFileSync(DEFAULT_SUPERGRAPH_PATH, 'utf8');
  const recording = values.replay ? (JSON.parse(readFileSync(values.replay, 'utf8')) as Recording) : undefined;
  const cases = recording ? await replayedCases(recording) : await syntheticCases(supergraphSdl);
  const stub = recording
    ? startChild(REPLAY_STUB, { RECORDING: path.resolve(values.replay!) })
    : startChild(STUB, { ANSWERS: JSON.stringify(Object.fromEntries(cases.map((c) => [c.operationName, c.stubAnswer]))) });
  const stubPort = await new Promise<string>((resolve) => stub.stdout!.once('data', (d: Buffer) => resolve(d.toString().trim())));
  const stubUrl = (name: string) => `http://127.0.0.1:${stubPort}/${recording ? `${name}/` : ''}graphql`;
  const load = startChild(LOAD, {}, true);
  process.once('exit', () => [stub, load].forEach((child) => child.kill()));

  const gateways = {} as Record<Variant, { gateway: Gateway; port: number }>;
  for (const variant of variants) {
    const names = [...supergraphSdl.matchAll(/@join__graph\(name: "([a-z-]+)"/g)].map((m) => m[1]!);
    const gateway = await createGateway({
      supergraphSdl,
      subgraphUrls: Object.fromEntries(names.map((name) => [name, stubUrl(name)])),
      env: { ...process.env, ...AUTH },
      config: { METRICS_PORT: false, LOG_LEVEL: values['log-level'] as never, ...VARIANTS[variant] },
    });
    gateways[variant] = { gateway, port: await gateway.listen(0, '127.0.0.1') };
  }
  // Every variant must give the recorded bytes, to the first request and to every one after (the load generator's check).
  for (const c of cases) {
    for (const variant of variants) {
      if (c.expected === undefined) continue;
      const answer = await fetch(`http://127.0.0.1:${gateways[variant].port}/graphql`, {
        method: 'POST',
        body: c.body,
        headers: { 'content-type': 'application/json', authorization: `Bearer ${c.token}` },
      }).then((r) => r.text());
      if (answer !== c.expected)
        throw new Error(`${c.key} via ${variant}: the answer differs from the recorded one: ${answer.slice(0, 300)}`);
    }
  }

  interface Sent {
    failed: number;
    p50: number;
    p90: number;
  }
  const sendTimed = ({ body, token, expected }: Case, port: number, n: number, c = concurrency) =>
    new Promise<Sent>((resolve) => {
      load.once('message', (m: Sent) => resolve(m));
      load.send({ port, body, token, requests: n, concurrency: c, expected });
    });
  const send = async (c: Case, variant: Variant, n: number) => (await sendTimed(c, gateways[variant].port, n)).failed;

  const session = values.profile ? new Session() : undefined;
  if (session) {
    session.connect();
    await session.post('Profiler.enable');
    mkdirSync(values.profile!, { recursive: true });
  }

  console.log(
    `gateway CPU per request: ${requests} requests × ${rounds} rounds, ${concurrency} connections, log level ${values['log-level']}, NODE_ENV=${AUTH.NODE_ENV}`,
  );
  try {
    for (const op of cases) {
      const figures = Object.fromEntries(variants.map((v) => [v, [] as number[]]));
      for (const variant of variants) {
        const failed = await send(op, variant, Math.max(200, requests / 5)); // warm-up
        if (failed) throw new Error(`${op.key} via ${variant}: ${failed} warm-up requests failed`);
      }
      for (let round = 1; round <= rounds; round++) {
        for (const variant of variants) {
          if (session) await session.post('Profiler.start');
          const before = process.cpuUsage();
          const failed = await send(op, variant, requests);
          const used = process.cpuUsage(before);
          if (session) {
            const { profile } = await session.post('Profiler.stop');
            writeFileSync(path.join(values.profile!, `${op.key}-${variant}-${round}.cpuprofile`), JSON.stringify(profile));
          }
          if (failed) throw new Error(`${op.key} via ${variant}: ${failed} requests failed`);
          figures[variant]!.push((used.user + used.system) / 1000 / requests);
        }
      }
      for (const [variant, ms] of Object.entries(figures) as [Variant, number[]][]) {
        const mean = ms.reduce((a, b) => a + b, 0) / ms.length;
        console.log(
          `${op.title.padEnd(44)} ${variant.padEnd(12)} ${ms.map((m) => m.toFixed(3)).join(' / ')} ms  (mean ${mean.toFixed(3)})`,
        );
      }
      if (values.latency) {
        const n = Number(values.latency);
        // Straight to the stub only where one fetch is the whole answer (not a replay's query plans).
        const targets: [string, number][] = [
          ...(recording ? [] : [['direct', Number(stubPort)] as [string, number]]),
          ...variants.map((v) => [v, gateways[v].port] as [string, number]),
        ];
        const timed = Object.fromEntries(targets.map(([name]) => [name, [] as Sent[]]));
        for (let round = 1; round <= rounds; round++) {
          for (const [name, port] of targets) {
            const sent = await sendTimed(op, port, n, 1);
            if (sent.failed) throw new Error(`${op.key} via ${name}: ${sent.failed} requests failed`);
            timed[name]!.push(sent);
          }
        }
        for (const [name, runs] of Object.entries(timed)) {
          const p50s = runs.map((r) => r.p50);
          const mean = p50s.reduce((a, b) => a + b, 0) / p50s.length;
          console.log(
            `${op.title.padEnd(44)} ${name.padEnd(12)} one at a time p50 ${p50s.map((m) => m.toFixed(3)).join(' / ')} ms (mean ${mean.toFixed(3)}), p90 ${runs.map((r) => r.p90.toFixed(3)).join(' / ')} ms`,
          );
        }
      }
      for (const variant of variants) {
        const served = gateways[variant].gateway.singleFetch?.served;
        if (served)
          console.log(
            `${''.padEnd(44)} ${variant}: single-fetch path served ${served.singleFetch} (${served.rawData} as the subgraph's bytes), planned ${served.planned} so far, fast path ${gateways[variant].gateway.fastPath?.served.fast ?? 0}`,
          );
      }
    }
  } finally {
    for (const { gateway } of Object.values(gateways)) await gateway.stop();
    stub.kill();
    load.kill();
    session?.disconnect();
  }
}

void main().catch((error: Error) => {
  console.error(error);
  process.exit(1);
});
