/**
 * Audit recording benchmark (ADR 0008 §3): what recording costs per request. The network
 * subgraph runs twice in this process on one throwaway database (`mcbench_audit_*` on the server
 * of TEST_DATABASE_URL, else DATABASE_URL, else the local default; dropped at the end): once as
 * shipped (every Student read recorded, one AuditRecorded INSERT per request), once without an
 * audit sink (fields still collected, nothing written) and once not audited at all (no field
 * wrapped: the whole cost of recording). The same signed requests go to each, in rotating order; prints p50/p95 latency
 * of each and the difference, and the CPU time this process spent per request (client and
 * subgraph share the process and requests run one at a time, so the difference is the
 * recording's own JavaScript work: collecting, validating and serialising the entries). Under a
 * loaded machine the latency is mostly queueing; the CPU difference is the steadier figure.
 *
 *   pnpm bench:audit [--requests 2000] [--page 50]
 */
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { type Actor, parseCommandLine, runSubgraph, type RunningSubgraph, signActorHeaders, withDatabase } from '@medcollab/kit';
import { networkSubgraph } from '@medcollab/network';

const args = parseCommandLine(
  `Usage: pnpm bench:audit [--requests 2000] [--page 50]

Times the same student-list request against the network subgraph recorded, collected but not written, and not audited.`,
  { requests: { type: 'string', default: '2000' }, page: { type: 'string', default: '50' } },
);
const REQUESTS = Number(args.requests);
const PAGE = Number(args.page);
const SECRET = 'bench-audit-signing-secret-0123456789abcdef';
const serverUrl = process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const redisUrl = process.env.TEST_REDIS_URL ?? process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const admin: Actor = { personId: '00000000-0000-4000-8000-000000000001', institutionId: null, roles: ['NETWORK_ADMIN'] };

let n = 0;
async function call(url: string, query: string, variables: Record<string, unknown> = {}): Promise<unknown> {
  const body = JSON.stringify({ query, variables });
  const headers = signActorHeaders(admin, { secret: SECRET, requestId: `bench-${++n}`, body });
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  const json = (await res.json()) as { errors?: unknown };
  if (json.errors) throw new Error(JSON.stringify(json.errors));
  return json;
}

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

async function main(): Promise<void> {
  const database = `mcbench_audit_${randomBytes(4).toString('hex')}`;
  const pg = new Client({ connectionString: serverUrl });
  await pg.connect();
  await pg.query(`CREATE DATABASE ${database}`);
  const started: RunningSubgraph[] = [];
  try {
    const url = withDatabase(serverUrl, database);
    const recorded = await runSubgraph(networkSubgraph, { databaseUrl: url, redisUrl, port: 0, secret: SECRET, migrate: true });
    started.push(recorded);
    const plain = await runSubgraph(
      { ...networkSubgraph, audit: undefined },
      { databaseUrl: url, redisUrl, port: 0, secret: SECRET, migrate: false },
    );
    started.push(plain);
    const unaudited = await runSubgraph(
      { ...networkSubgraph, audit: undefined, audited: undefined },
      { databaseUrl: url, redisUrl, port: 0, secret: SECRET, migrate: false },
    );
    started.push(unaudited);
    const school = (await call(
      recorded.url,
      `mutation { createInstitution(input: { name: "Bench School", kind: SCHOOL, timezone: "Europe/Berlin" }) { id } }`,
    )) as {
      data: { createInstitution: { id: string } };
    };
    const schoolId = school.data.createInstitution.id;
    for (let i = 0; i < PAGE; i++) {
      await call(recorded.url, `mutation($input: RegisterStudentInput!) { registerStudent(input: $input) { id } }`, {
        input: { schoolId, givenName: 'Bench', familyName: `Student ${i}`, email: `bench-${i}@example.edu`, cohortYear: 2024 },
      });
    }
    const query = `query Bench($first: Int) { students(first: $first) { edges { node { id givenName familyName email cohortYear } } } }`;
    type Side = 'recorded' | 'plain' | 'unaudited';
    const times: Record<Side, number[]> = { recorded: [], plain: [], unaudited: [] };
    const cpu: Record<Side, number[]> = { recorded: [], plain: [], unaudited: [] };
    const sides: [Side, RunningSubgraph][] = [
      ['recorded', recorded],
      ['plain', plain],
      ['unaudited', unaudited],
    ];
    // Warm-up, then rotate the order so load on the machine hits every side alike.
    for (let i = 0; i < 100; i++) for (const [, s] of sides) await call(s.url, query, { first: PAGE });
    for (let i = 0; i < REQUESTS; i++) {
      for (const [name, s] of [...sides.slice(i % 3), ...sides.slice(0, i % 3)]) {
        const t0 = process.hrtime.bigint();
        const c0 = process.cpuUsage();
        await call(s.url, query, { first: PAGE });
        const c1 = process.cpuUsage(c0);
        times[name].push(Number(process.hrtime.bigint() - t0) / 1e6);
        cpu[name].push((c1.user + c1.system) / 1000);
      }
    }
    const [written] = (await recorded.dataSource.query(
      `SELECT count(*)::int AS batches FROM outbox WHERE event_type = 'AuditRecorded'`,
    )) as { batches: number }[];
    console.log(
      `${REQUESTS} requests each, ${PAGE} students per page (${PAGE} audit entries per recorded request); ${written!.batches} AuditRecorded rows written`,
    );
    const summary: Record<string, { p50: number; p95: number; cpu50: number; cpuMean: number }> = {};
    for (const name of ['recorded', 'plain', 'unaudited'] as const) {
      const sorted = [...times[name]].sort((a, b) => a - b);
      const cpuSorted = [...cpu[name]].sort((a, b) => a - b);
      const cpuMean = cpuSorted.reduce((a, b) => a + b, 0) / cpuSorted.length;
      summary[name] = { p50: pct(sorted, 50), p95: pct(sorted, 95), cpu50: pct(cpuSorted, 50), cpuMean };
      console.log(
        `${name.padEnd(10)} p50 ${summary[name]!.p50.toFixed(2)} ms   p95 ${summary[name]!.p95.toFixed(2)} ms   ` +
          `process CPU p50 ${summary[name]!.cpu50.toFixed(2)} ms, mean ${cpuMean.toFixed(2)} ms`,
      );
    }
    console.log(
      `CPU of recording in this process: p50 +${(summary.recorded!.cpu50 - summary.plain!.cpu50).toFixed(2)} ms, ` +
        `mean +${(summary.recorded!.cpuMean - summary.plain!.cpuMean).toFixed(2)} ms per request`,
    );
    console.log(
      `CPU of recording and collecting (against not audited at all): p50 +${(summary.recorded!.cpu50 - summary.unaudited!.cpu50).toFixed(2)} ms, ` +
        `mean +${(summary.recorded!.cpuMean - summary.unaudited!.cpuMean).toFixed(2)} ms per request`,
    );
    console.log(
      `cost of recording and collecting: p50 +${(summary.recorded!.p50 - summary.unaudited!.p50).toFixed(2)} ms, p95 +${(summary.recorded!.p95 - summary.unaudited!.p95).toFixed(2)} ms per request`,
    );
    console.log(
      `cost of recording: p50 +${(summary.recorded!.p50 - summary.plain!.p50).toFixed(2)} ms, p95 +${(summary.recorded!.p95 - summary.plain!.p95).toFixed(2)} ms per request`,
    );
  } finally {
    for (const s of started.reverse()) await s.stop();
    await pg.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await pg.end();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
