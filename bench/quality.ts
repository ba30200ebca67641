/**
 * Quality rollups: incremental apply rate, rebuild time, report latency and table sizes.
 *
 *   pnpm --filter @medcollab/bench exec tsx quality.ts [--placements 1000] [--bulk 20000] [--concurrency 8] [--requests 200]
 *                                               [--cold 10] [--changed 5] [--rate 100] [--seconds 20] [--rate-query rows|table]
 *                                               [--freeze] [--freeze-late 100] [--freeze-rounds 2] [--freeze-year-only]
 *
 * A throwaway database (`mcbench_quality_*`) is created on TEST_DATABASE_URL / DATABASE_URL's
 * server with quality's migrations, and dropped at the end. The history is generated
 * (services/quality/test/support/generate.ts): each placement brings ~9–10 events (placement
 * confirmed/completed or cancelled; three tasks assigned and submitted, declined or expired;
 * two evaluations) over a network of 4 schools, 20 hospitals × 10 departments × 5 teachers and
 * 10 blocks, with one student per placement.
 *   apply:   `--placements` histories through quality's consumer (inbox + handler, one
 *            transaction per event), `--concurrency` at a time, as the worker would;
 *   bulk:    `--bulk` more histories written straight into applied_event (no rollups), then
 *   rebuild: rebuildRollups over everything held;
 *   apply after: `--apply-after` more histories through the consumer, into the rebuilt cells (the
 *            network's and schools' years then hold thousands of evaluators: ADR 0037's large values);
 *   report:  qualityReport for a hospital's year (drill-down to teachers, all metrics) against
 *            the subgraph in-process (not through the gateway): `--cold` sequential calls each
 *            recomputing the protected report (its generation bumped before each, ADR 0020), `--changed`
 *            pairs of calls each after one more placement of the hospital was applied (recomputed after a change),
 *            with the protection memo kept and emptied alternately,
 *            `--requests` sequential warm calls (served from the report cache), then an open
 *            loop of `--rate` calls/s for `--seconds` (latency includes any queueing);
 *   freeze:  with `--freeze`, the worker's snapshot sweep once the year has ended (every block, term and the
 *            year frozen), then `--freeze-rounds` sweeps each after `--freeze-late` more placements applied late
 *            (later revisions, the network's module pairs one system: ADR 0053), each period timed
 *            (bench/quality-freeze.ts);
 *   sizes:   the rollup tables' sizes.
 *
 * `--reuse --db-prefix P` rebuilds the history already held in `P_quality` (kept by an earlier run's `--keep`, or a copy
 * of it) and stops, keeping the database: the rebuild line with its phases (RebuildPhases), this process's CPU (every
 * thread) and PostgreSQL's (the database's backends and their parallel workers, from /proc), then the tables' sizes.
 * `--shares N` and `--in-process` choose the rebuild's shares and whether each folds in a worker thread (ADR 0046).
 * `--reuse --report-only --db-prefix P` rebuilds nothing: the report through the gateway (as `--gateway`) on the rollups
 * `P_quality` holds, e.g. a kept 1,000,000-event history's.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { loadavg } from 'node:os';
import path from 'node:path';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { Client } from 'pg';
import { createConsumer, createWorkerRuntime, type EventEnvelope, EventQueues } from '@medcollab/events';
import { mintToken } from '@medcollab/gateway';
import { createDataSource, createLogger, initializeDataSource, runSubgraph, signActorHeaders, withDatabase } from '@medcollab/kit';
import {
  createQualitySubgraph,
  KNOWN_BLOCKS,
  protectionMemo,
  qualityEventHandlers,
  qualitySubgraph,
  rebuildRollups,
} from '@medcollab/quality';
// The history generator is the one quality's property tests use; it is test support, not the service's API.
// eslint-disable-next-line no-restricted-imports
import { makeNetwork, placementHistory, prng } from '../services/quality/test/support/generate';
import { openLoop } from './open-loop';
import { timedFreezes } from './quality-freeze';
import { watchPostgresCpu } from './postgres-cpu';

const { values: args } = parseArgs({
  options: {
    placements: { type: 'string', default: '1000' },
    bulk: { type: 'string', default: '20000' },
    concurrency: { type: 'string', default: '8' },
    requests: { type: 'string', default: '200' },
    cold: { type: 'string', default: '10' },
    changed: { type: 'string', default: '5' },
    rate: { type: 'string', default: '100' },
    seconds: { type: 'string', default: '20' },
    /** What the open loop asks: the figures as rows of objects, or in columns (QualityReport.figureTable). */
    'rate-query': { type: 'string', default: 'rows' },
    /** How many students the placements draw from (0: nearly one student per placement). */
    students: { type: 'string', default: '0' },
    /** Apply through the real worker runtime (BullMQ queue events.quality, quality's consumer) instead of calling the consumer. */
    worker: { type: 'boolean', default: false },
    /** The open loop through the real gateway (its own process, in front of the quality subgraph in its own process), with bench/open-loop.ts. */
    gateway: { type: 'boolean', default: false },
    /** The database is <prefix>_quality (DATABASE_PREFIX of the subgraph process). */
    'db-prefix': { type: 'string' },
    /** CPU profiles of the subgraph and gateway processes (with --gateway) into this directory. */
    'cpu-prof': { type: 'string' },
    /** Placements applied through the consumer after the rebuild, into cells that already hold the bulk's evaluators. */
    'apply-after': { type: 'string', default: '0' },
    /** Keep the database at the end (drop it by hand). */
    keep: { type: 'boolean', default: false },
    /**
     * Rebuild the history already held in `<db-prefix>_quality` (a database an earlier run kept, or a copy of it) and
     * stop: no generation, no apply, no report; the database is kept.
     */
    reuse: { type: 'boolean', default: false },
    /** With --reuse: no rebuild; the report through the gateway (--requests sequential, then --rate/s for --seconds) on the rollups held. */
    'report-only': { type: 'boolean', default: false },
    /** The rebuild's shares (RebuildOptions.shares; default: its own choice). */
    shares: { type: 'string' },
    /** Fold the rebuild's shares in this thread instead of one worker thread each. */
    'in-process': { type: 'boolean', default: false },
    /** At the end: the snapshot sweep after the year (revision 0 of every period), then --freeze-rounds more after late placements. */
    freeze: { type: 'boolean', default: false },
    /** Placements applied late before each later sweep. */
    'freeze-late': { type: 'string', default: '100' },
    /** Sweeps after the first (revisions 1…N of the periods the late placements change). */
    'freeze-rounds': { type: 'string', default: '2' },
    /** Freeze only the network year, each round (bench/quality-freeze.ts). */
    'freeze-year-only': { type: 'boolean', default: false },
  },
});
const PLACEMENTS = Number(args.placements);
const BULK = Number(args.bulk);
const CONCURRENCY = Number(args.concurrency);
const REQUESTS = Number(args.requests);
const COLD = Number(args.cold);
const CHANGED = Number(args.changed);
const RATE = Number(args.rate);
const SECONDS = Number(args.seconds);
const APPLY_AFTER = Number(args['apply-after']);
const serverUrl = process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const redisUrl = process.env.TEST_REDIS_URL ?? process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const STUDENTS = Number(args.students) || undefined;
const dbPrefix = args['db-prefix'] ?? `mcbench_quality_${randomBytes(4).toString('hex')}`;
const database = `${dbPrefix}_quality`;
const ROOT = path.resolve(__dirname, '..');
const load = () =>
  loadavg()
    .map((l) => l.toFixed(1))
    .join(' ');
const SETTINGS = {
  academicYearStartMonth: 9,
  minEvaluators: 5,
  rebuildPollMs: 1000,
  snapshotEveryMs: 3_600_000,
  snapshotGraceDays: 14,
  exportSecret: 'bench-export-secret-0123',
  exportTtlSeconds: 60,
  publicUrl: 'http://127.0.0.1',
  pseudonymKey: 'bench-quality-pseudonym-secret-0123456789',
};
const SECRET = 'bench-quality-signing-secret-0123456789';

const pct = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;

/** The report the bench reads: a hospital's year with drill-down to teachers, every metric (no `metrics` argument). */
const REPORT_QUERIES = {
  query: `query($scope: QualityScopeInput!, $period: QualityPeriodInput!) { qualityReport(scope: $scope, period: $period) {
      rows { key depth figures { metric item released count mean median evaluatorCount } } } }`,
  // The same figures in columns (QualityReport.figureTable): one list per field instead of an object per figure.
  tableQuery: `query($scope: QualityScopeInput!, $period: QualityPeriodInput!) { qualityReport(scope: $scope, period: $period) {
      figureTable { rowKeys depths columns { metric item } released count mean median evaluatorCount } } }`,
  packedQuery: `query($scope: QualityScopeInput!, $period: QualityPeriodInput!) { qualityReport(scope: $scope, period: $period) {
      packedFigureTable } }`,
};
const reportVariables = (hospital: string) => ({ scope: { kind: 'INSTITUTION', id: hospital }, period: { kind: 'YEAR', id: '2026-2027' } });
/** The generated network's shape (the same seed-free generator every run: its first hospital is the report's). */
const benchNetwork = () => makeNetwork('bench', { schools: 4, hospitals: 20, departmentsPer: 10, teachersPer: 5, blocks: 10 });

async function main(): Promise<void> {
  console.log(`load average at start: ${load()}`);
  if (args.reuse && args['report-only']) return reportOnHeld();
  if (args.reuse) return rebuildHeld();
  const admin = new Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${database}"`);
  const url = withDatabase(serverUrl, database);
  const ds = createDataSource({
    url,
    entities: qualitySubgraph.entities,
    migrations: qualitySubgraph.migrations,
    poolSize: CONCURRENCY + 2,
  });
  try {
    await initializeDataSource(ds, { migrate: true });
    const net = benchNetwork();
    const rand = prng(2026);

    // apply: through the consumer, CONCURRENCY aggregates' histories at a time (each history in producer order).
    const consumer = createConsumer({
      service: 'quality',
      dataSource: ds,
      handlers: qualityEventHandlers(SETTINGS),
      log: createLogger('bench', 'warn'),
    });
    const histories = Array.from({ length: PLACEMENTS }, (_, n) => placementHistory(net, n, rand, 'a', { students: STUDENTS }));
    const applied = histories.reduce((s, h) => s + h.length, 0);
    const started = Date.now();
    if (args.worker && applied) await applyThroughWorker(ds, histories.flat());
    else {
      let next = 0;
      await Promise.all(
        Array.from({ length: CONCURRENCY }, async () => {
          for (let i = next++; i < histories.length; i = next++) {
            for (const e of histories[i] as EventEnvelope[]) await consumer.apply({ envelope: e, previousEventId: null });
          }
        }),
      );
    }
    const applySeconds = (Date.now() - started) / 1000;
    console.log(
      `apply${args.worker ? ' (real worker runtime, BullMQ)' : ''}: ${applied} events in ${applySeconds.toFixed(1)} s = ${Math.round(applied / applySeconds)} events/s (concurrency ${CONCURRENCY}); load ${load()}`,
    );

    // bulk: more history straight into applied_event, 5,000 events per statement.
    let bulkEvents = 0;
    const bulkStarted = Date.now();
    let buffer: EventEnvelope[] = [];
    const flush = async () => {
      if (!buffer.length) return;
      await ds.query(
        `INSERT INTO applied_event (event_id, event_type, aggregate_type, aggregate_id, sequence, occurred_at, payload)
         SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::int[], $6::timestamptz[], $7::jsonb[])`,
        [
          buffer.map((e) => e.id),
          buffer.map((e) => e.type),
          buffer.map((e) => e.aggregateType),
          buffer.map((e) => e.aggregateId),
          buffer.map((e) => e.sequence),
          buffer.map((e) => e.occurredAt),
          buffer.map((e) => JSON.stringify(e.payload)),
        ],
      );
      bulkEvents += buffer.length;
      buffer = [];
    };
    for (let n = 0; n < BULK; n++) {
      buffer.push(...placementHistory(net, PLACEMENTS + n, rand, 'b', { students: STUDENTS }));
      if (buffer.length >= 5000) await flush();
    }
    await flush();
    console.log(`bulk: ${bulkEvents} more events held in ${((Date.now() - bulkStarted) / 1000).toFixed(1)} s`);

    await timedRebuild(ds);

    // apply after the rebuild: more placements through the consumer into cells that already hold the bulk's evaluators
    // (the network's and schools' years with thousands), as the worker applies once a large history is in.
    if (APPLY_AFTER > 0) {
      const more = Array.from({ length: APPLY_AFTER }, (_, n) =>
        placementHistory(net, PLACEMENTS + BULK + n, rand, 'd', { students: STUDENTS }),
      );
      const events = more.reduce((s, h) => s + h.length, 0);
      const afterStarted = Date.now();
      const afterCpu = process.cpuUsage();
      let next = 0;
      await Promise.all(
        Array.from({ length: CONCURRENCY }, async () => {
          for (let i = next++; i < more.length; i = next++)
            for (const e of more[i] as EventEnvelope[]) await consumer.apply({ envelope: e, previousEventId: null });
        }),
      );
      const seconds = (Date.now() - afterStarted) / 1000;
      const cpu = ((u) => (u.user + u.system) / 1e6)(process.cpuUsage(afterCpu));
      const [top] = (await ds.query(
        `SELECT max(evaluators)::int AS evaluators FROM rollup_cell WHERE scope_kind = 'NETWORK' AND period_kind = 'YEAR'`,
      )) as { evaluators: number }[];
      console.log(
        `apply after rebuild: ${events} events in ${seconds.toFixed(1)} s = ${Math.round(events / seconds)} events/s (concurrency ${CONCURRENCY}, this process's CPU ${cpu.toFixed(1)} s; the largest network year cell has ${top?.evaluators ?? 0} evaluators); load ${load()}`,
      );
    }

    // sweep: the hourly block markers' school blocks read one row per school and block (quality_school_block), not the history.
    const plan = (await ds.query(`EXPLAIN (ANALYZE, FORMAT TEXT) WITH ${KNOWN_BLOCKS} SELECT * FROM known`, ['2027-08-31'])) as {
      'QUERY PLAN': string;
    }[];
    const planTime = plan.map((r) => r['QUERY PLAN']).find((l) => l.startsWith('Execution Time')) ?? '';
    const scans = plan
      .map((r) => r['QUERY PLAN'].trim())
      .filter((l) => /Scan/.test(l))
      .map((l) => l.replace(/^->\s*/, '').split('  ')[0]);
    console.log(`sweep blocks: ${scans.join('; ')}; ${planTime}`);

    // report: a hospital's year with drill-down to teachers, all metrics, as its quality officer.
    const running = await runSubgraph(createQualitySubgraph(SETTINGS), {
      databaseUrl: url,
      redisUrl,
      port: 0,
      secret: SECRET,
      migrate: false,
      handleSignals: false,
    });
    const hospital = net.hospitals[0] as string;
    const actor = { personId: '00000000-0000-4000-8000-000000000001', institutionId: hospital, roles: ['QUALITY_OFFICER' as const] };
    const { query, tableQuery } = REPORT_QUERIES;
    const variables = reportVariables(hospital);
    let rows = 0;
    let bytes = 0;
    const ask = async (i: number, q = query): Promise<number> => {
      const t = performance.now();
      const body = JSON.stringify({ query: q, variables });
      const res = await fetch(running.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...signActorHeaders(actor, { secret: SECRET, requestId: `bench-${i}`, body }) },
        body,
      });
      const text = await res.text();
      bytes = text.length;
      const answer = JSON.parse(text) as {
        data?: { qualityReport: { rows?: unknown[]; figureTable?: { rowKeys: unknown[] } } };
        errors?: unknown;
      };
      if (answer.errors) throw new Error(JSON.stringify(answer.errors));
      rows = answer.data?.qualityReport.rows?.length ?? answer.data?.qualityReport.figureTable?.rowKeys.length ?? 0;
      return performance.now() - t;
    };
    const summary = (times: number[]) => {
      const sorted = [...times].sort((a, b) => a - b);
      return `p50 ${pct(sorted, 50).toFixed(1)} ms, p99 ${pct(sorted, 99).toFixed(1)} ms, max ${(sorted[sorted.length - 1] ?? NaN).toFixed(1)} ms`;
    };
    let n = 0;
    // cold: every report recomputed (the generation bumped before each, outside the timing, as a change would).
    const cold: number[] = [];
    for (let i = 0; i < COLD; i++) {
      await ds.query(
        `INSERT INTO quality_generation (scope, generation) VALUES ('*', 1)
         ON CONFLICT (scope) DO UPDATE SET generation = quality_generation.generation + 1`,
      );
      cold.push(await ask(n++));
    }
    if (COLD)
      console.log(`report cold: ${rows} rows; ${summary(cold)} over ${COLD} sequential requests (computed and protected each time)`);
    // changed: one more placement of the hospital (its tasks and evaluations) applied through the consumer before
    // each request, outside the timing: the report recomputed after a real change of its own figures. Alternating
    // with the protection memo (ADR 0030) kept and emptied before the request (every system solved again), so both
    // see the same load; the memo's hits and misses tell how many systems the change made solve again.
    const changed = { memo: [] as number[], none: [] as number[], hits: 0, misses: 0 };
    for (let i = 0, m = 0; i < 2 * CHANGED; i++) {
      let history: EventEnvelope[];
      do history = placementHistory(net, PLACEMENTS + BULK + m++, rand, 'c');
      while ((history[0]?.payload as { hospitalId?: string }).hospitalId !== hospital);
      for (const e of history) await consumer.apply({ envelope: e, previousEventId: null });
      const keep = i % 2 === 1;
      if (!keep) protectionMemo.clear();
      const [hits, misses] = [protectionMemo.hits, protectionMemo.misses];
      const t = await ask(n++);
      if (keep) {
        changed.memo.push(t);
        changed.hits += protectionMemo.hits - hits;
        changed.misses += protectionMemo.misses - misses;
      } else changed.none.push(t);
    }
    if (CHANGED) {
      console.log(
        `report after a change, memo kept:    ${rows} rows; ${summary(changed.memo)} over ${CHANGED} (one placement of the hospital applied before each; ${(changed.misses / CHANGED).toFixed(0)} systems solved, ${(changed.hits / CHANGED).toFixed(0)} reused per report)`,
      );
      console.log(
        `report after a change, memo emptied: ${rows} rows; ${summary(changed.none)} over ${CHANGED} (alternating with the above)`,
      );
    }
    // explain: the cells a cold report of the hospital's year reads (subtreeCells: the year, its terms and blocks, every
    // metric; one statement per level of the tree), to tell the database's part of a recomputation from the protection's.
    const family = (await ds.query(
      `SELECT period_kind AS kind, period_id AS id FROM quality_period WHERE year_id = '2026-2027' OR (period_kind = 'YEAR' AND period_id = '2026-2027')`,
    )) as { kind: string; id: string }[];
    const base = `school = '*' AND (period_kind, period_id) IN (SELECT * FROM unnest($1::text[], $2::text[]))`;
    const levels = [
      [`scope_kind = 'INSTITUTION' AND scope_id = $3`, [hospital]],
      [`scope_kind = 'DEPARTMENT' AND parent = ANY($3)`, [[hospital]]],
      [
        `scope_kind = 'TEACHER' AND parent = ANY($3)`,
        [
          (
            (await ds.query(`SELECT DISTINCT scope_id FROM rollup_cell WHERE scope_kind = 'DEPARTMENT' AND parent = $1`, [hospital])) as {
              scope_id: string;
            }[]
          ).map((r) => r.scope_id),
        ],
      ],
    ] as const;
    for (const [where, extra] of levels) {
      const plan = (await ds.query(`EXPLAIN (ANALYZE, BUFFERS, FORMAT TEXT) SELECT * FROM rollup_cell WHERE ${base} AND ${where}`, [
        family.map((f) => f.kind),
        family.map((f) => f.id),
        ...extra,
      ])) as { 'QUERY PLAN': string }[];
      const lines = plan.map((r) => r['QUERY PLAN']);
      console.log(
        `explain cells (${where.split(' ')[2]}, ${family.length} periods): ${lines[0]?.trim()}; ${lines.find((l) => l.startsWith('Execution Time'))}`,
      );
    }

    // warm: sequential, nothing changes in between (served from the cache after the first).
    const warm: number[] = [];
    for (let i = 0; i < REQUESTS + 10; i++) {
      const t = await ask(n++);
      if (i >= 10) warm.push(t);
    }
    console.log(`report warm: ${rows} rows; ${summary(warm)} over ${REQUESTS} sequential requests`);
    // warm, rows against figureTable, alternating (the same load for both): latency, CPU of this process per
    // request (server and this client together) and answer size.
    const compare = { rows: [] as number[], table: [] as number[], rowsCpu: 0, tableCpu: 0, rowsBytes: 0, tableBytes: 0 };
    for (let i = 0; i < REQUESTS; i++)
      for (const kind of ['rows', 'table'] as const) {
        const cpu = process.cpuUsage();
        const t = await ask(n++, kind === 'rows' ? query : tableQuery);
        const used = process.cpuUsage(cpu);
        compare[kind].push(t);
        compare[kind === 'rows' ? 'rowsCpu' : 'tableCpu'] += (used.user + used.system) / 1000;
        compare[kind === 'rows' ? 'rowsBytes' : 'tableBytes'] = bytes;
      }
    if (REQUESTS)
      for (const kind of ['rows', 'table'] as const)
        console.log(
          `report warm ${kind === 'rows' ? 'rows { figures }' : 'figureTable     '}: ${summary(compare[kind])}, CPU ${(
            compare[kind === 'rows' ? 'rowsCpu' : 'tableCpu'] / REQUESTS
          ).toFixed(
            1,
          )} ms/request, ${Math.round(compare[kind === 'rows' ? 'rowsBytes' : 'tableBytes'] / 1024)} kB (alternating, ${REQUESTS} each)`,
        );
    // rate: open loop, RATE requests/s for SECONDS whatever the answers' pace (latency includes queueing).
    if (RATE > 0 && SECONDS > 0 && !args.gateway) {
      const total = Math.round(RATE * SECONDS);
      const startedAt = performance.now();
      const pending: Promise<number | null>[] = [];
      for (let i = 0; i < total; i++) {
        const due = startedAt + (i * 1000) / RATE;
        const wait = due - performance.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        // A failed request (e.g. a socket reset under overload) is counted, not fatal.
        pending.push(ask(n++, args['rate-query'] === 'table' ? tableQuery : query).catch(() => null));
      }
      const all = await Promise.all(pending);
      const lat = all.filter((t): t is number => t !== null);
      const took = (performance.now() - startedAt) / 1000;
      console.log(
        `report at ${RATE}/s (${args['rate-query'] === 'table' ? 'figureTable' : 'rows { figures }'}): ${total} requests in ${took.toFixed(1)} s (${(lat.length / took).toFixed(0)}/s answered, ${total - lat.length} failed); ${summary(lat)}`,
      );
    }
    await running.stop();
    if (args.gateway && RATE > 0 && SECONDS > 0) await throughGateway(url, hospital, variables, REPORT_QUERIES);

    // freeze: last, since a frozen year's report reads its snapshot (bench/quality-freeze.ts).
    if (args.freeze)
      await timedFreezes(ds, consumer, net, rand, {
        late: Number(args['freeze-late']),
        rounds: Number(args['freeze-rounds']),
        yearOnly: args['freeze-year-only'],
        k: SETTINGS.minEvaluators,
        graceDays: SETTINGS.snapshotGraceDays,
        firstPlacement: PLACEMENTS + BULK + APPLY_AFTER + 100_000,
        load,
      });

    await printSizes(ds);
  } finally {
    await ds.destroy().catch(() => undefined);
    if (!args.keep) await admin.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
    await admin.end();
    console.log(`load average at end: ${load()}`);
  }
}

/**
 * rebuildRollups over everything held, timed: wall time, this process's CPU, and the rebuild's own phases
 * (RebuildPhases: the read and fold of the history, the writes, the keys and indexes, the school blocks).
 */
async function timedRebuild(ds: Parameters<typeof rebuildRollups>[0]): Promise<void> {
  const rebuildStarted = Date.now();
  const rebuildCpu = process.cpuUsage();
  const postgresCpu = watchPostgresCpu((sql) => ds.query(sql));
  const lsn = async () => ((await ds.query('SELECT pg_current_wal_lsn()::text AS lsn')) as { lsn: string }[])[0]!.lsn;
  const walBefore = await lsn();
  let reported = 0;
  const { aggregates, phases } = await rebuildRollups(
    ds,
    SETTINGS,
    async (done, total) => {
      // Progress as the worker records it, at most every 10 s here.
      if (Date.now() - reported < 10_000) return;
      reported = Date.now();
      console.log(`rebuild progress: ${done} / ${total} aggregates after ${((Date.now() - rebuildStarted) / 1000).toFixed(0)} s`);
    },
    {
      ...(args.shares ? { shares: Number(args.shares) } : {}),
      ...(args['in-process'] ? { threads: false } : {}),
    },
  );
  const rebuildSeconds = (Date.now() - rebuildStarted) / 1000;
  const rebuildCpuSeconds = ((u) => (u.user + u.system) / 1e6)(process.cpuUsage(rebuildCpu));
  const postgresCpuSeconds = await postgresCpu.stop();
  const [wal] = (await ds.query('SELECT pg_wal_lsn_diff($1::pg_lsn, $2::pg_lsn)::float8 AS bytes', [await lsn(), walBefore])) as {
    bytes: number;
  }[];
  const held = ((await ds.query('SELECT count(*)::int AS n FROM applied_event')) as { n: number }[])[0]?.n ?? 0;
  console.log(
    `rebuild: ${held} events, ${aggregates} aggregates in ${rebuildSeconds.toFixed(1)} s = ${Math.round(held / rebuildSeconds)} events/s (this process's CPU ${rebuildCpuSeconds.toFixed(1)} s, PostgreSQL's ${postgresCpuSeconds.toFixed(1)} s); load ${load()}`,
  );
  console.log(
    `rebuild phases: ${Object.entries(phases)
      .map(([phase, ms]) => `${phase} ${(ms / 1000).toFixed(1)} s`)
      .join(', ')}; WAL written meanwhile (the whole server's) ${Math.round((wal?.bytes ?? 0) / 2 ** 20)} MB`,
  );
}

async function printSizes(ds: Parameters<typeof rebuildRollups>[0]): Promise<void> {
  const sizes = (await ds.query(
    `SELECT relname AS table, pg_size_pretty(pg_total_relation_size(relid)) AS size, n_live_tup AS rows
       FROM pg_stat_user_tables WHERE relname IN ('applied_event', 'rollup_cell', 'rollup_cell_evaluator', 'rollup_fact', 'inbox') ORDER BY relname`,
  )) as { table: string; size: string; rows: string }[];
  for (const s of sizes) console.log(`size: ${s.table} ${s.size} (~${s.rows} rows)`);
}

/** `--reuse`: the rebuild of a kept database's history alone (its migrations run first); the database stays. */
async function rebuildHeld(): Promise<void> {
  if (!args['db-prefix']) throw new Error('--reuse needs --db-prefix (the database <prefix>_quality to rebuild)');
  const ds = createDataSource({
    url: withDatabase(serverUrl, database),
    entities: qualitySubgraph.entities,
    migrations: qualitySubgraph.migrations,
  });
  try {
    await initializeDataSource(ds, { migrate: true });
    await timedRebuild(ds);
    await printSizes(ds);
  } finally {
    await ds.destroy().catch(() => undefined);
    console.log(`load average at end: ${load()}`);
  }
}

/** `--reuse --report-only`: the report through the gateway on a kept database's rollups as they are (no rebuild). */
async function reportOnHeld(): Promise<void> {
  if (!args['db-prefix']) throw new Error('--reuse needs --db-prefix (the database <prefix>_quality to read)');
  const hospital = benchNetwork().hospitals[0] as string;
  await throughGateway(withDatabase(serverUrl, database), hospital, reportVariables(hospital), REPORT_QUERIES);
  console.log(`load average at end: ${load()}`);
}

/**
 * The real worker's apply: the events are put on quality's queue (`events.quality`, a unique
 * BullMQ prefix) as the relay would, and the worker runtime consumes them with quality's handlers
 * (inbox + rollups + alerts, one transaction per event, CONCURRENCY at a time) until every event
 * is in the inbox. Predecessors are not enforced (previousEventId null), as in the consumer call.
 */
async function applyThroughWorker(ds: Parameters<typeof createConsumer>[0]['dataSource'], events: EventEnvelope[]): Promise<void> {
  const prefix = `mcbench-quality-${randomBytes(4).toString('hex')}`;
  const log = createLogger('bench-worker', 'warn');
  const queues = new EventQueues({ redisUrl, prefix }, log);
  const queue = queues.get('quality');
  for (let i = 0; i < events.length; i += 1_000)
    await queue.addBulk(
      events.slice(i, i + 1_000).map((e) => ({ name: e.type, data: { envelope: e, previousEventId: null }, opts: { jobId: e.id } })),
    );
  const runtime = createWorkerRuntime({
    service: 'quality',
    dataSource: ds,
    redisUrl,
    prefix,
    log,
    consumer: createConsumer({ service: 'quality', dataSource: ds, handlers: qualityEventHandlers(SETTINGS), log }),
    worker: { concurrency: CONCURRENCY },
    healthPort: null,
  });
  await runtime.start();
  for (let last = -1, since = Date.now(); ;) {
    const n = ((await ds.query('SELECT count(*)::int AS n FROM inbox')) as { n: number }[])[0]?.n ?? 0;
    if (n >= events.length) break;
    if (n !== last) [last, since] = [n, Date.now()];
    // A parked event never reaches the inbox: stop waiting once nothing has moved for two minutes.
    if (Date.now() - since > 120_000) throw new Error(`the worker stopped at ${n} of ${events.length} events`);
    await new Promise((r) => setTimeout(r, 200));
  }
  await runtime.stop();
  await queue.obliterate({ force: true });
  await queues.close();
}

const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

function startNode(name: string, script: string, env: Record<string, string>): ChildProcess {
  const prof = args['cpu-prof'] ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(args['cpu-prof'], name)}`] : [];
  const child = spawn(process.execPath, ['--import', 'tsx', ...prof, path.join(ROOT, script)], {
    cwd: ROOT,
    env: { ...process.env, MIGRATE_ON_START: 'false', OTEL_SDK_DISABLED: 'true', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  child.stderr?.on('data', (chunk: Buffer) => process.stderr.write(`[${name}] ${chunk.toString()}`));
  return child;
}

async function stopNode(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
  if (child.exitCode === null) child.kill('SIGKILL');
}

async function waitForGraphql(url: string, timeoutMs = 300_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    // Any HTTP answer will do: the subgraph refuses unsigned requests, but it is listening.
    const up = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{__typename}"}' }).then(
      () => true,
      () => false,
    );
    if (up) return;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`${url} not answering within ${timeoutMs / 1000} s`);
}

const cpuMs = (child: ChildProcess): number => {
  try {
    const fields = readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return 0;
  }
};

/**
 * The report through the real gateway: the quality subgraph (services/quality/src/index.ts) and
 * the gateway (gateway/src/index.ts) each in their own Node process on free ports, the quality
 * officer's JWT, the load generator in this process. Sequential warm requests first, then an open loop of
 * RATE evenly spaced requests/s (open-loop.ts: latency from when each was due) for SECONDS, for `figureTable` and `rows { figures }`;
 * with each process's CPU per request.
 */
async function throughGateway(
  url: string,
  hospital: string,
  variables: unknown,
  queries: { packedQuery: string; tableQuery: string; query: string },
): Promise<void> {
  void url;
  const [subgraphPort, gatewayPort, metricsPort] = [await freePort(), await freePort(), await freePort()];
  const subgraph = startNode('quality', 'services/quality/src/index.ts', {
    PORT: String(subgraphPort),
    DATABASE_URL: serverUrl,
    DATABASE_PREFIX: dbPrefix,
    REDIS_URL: redisUrl,
    INTERNAL_SIGNING_SECRET: SECRET,
  });
  const gateway = startNode('gateway', 'gateway/src/index.ts', {
    PORT: String(gatewayPort),
    GATEWAY_PORT: String(gatewayPort),
    METRICS_PORT: String(metricsPort),
    SUBGRAPH_QUALITY_URL: `http://127.0.0.1:${subgraphPort}/graphql`,
    INTERNAL_SIGNING_SECRET: SECRET,
  });
  try {
    const gatewayUrl = `http://127.0.0.1:${gatewayPort}/graphql`;
    await waitForGraphql(`http://127.0.0.1:${subgraphPort}/graphql`);
    await waitForGraphql(gatewayUrl);
    const token = await mintToken({
      sub: '00000000-0000-4000-8000-000000000001',
      institutionId: hospital,
      roles: ['QUALITY_OFFICER'],
      expiresIn: '2h',
    });
    const headers = { 'content-type': 'application/json', authorization: `Bearer ${token}` };
    for (const [name, q] of [
      ['packedFigureTable', queries.packedQuery],
      ['figureTable', queries.tableQuery],
      ['rows { figures }', queries.query],
    ] as const) {
      const body = JSON.stringify({ query: q, variables });
      // Warm-up (the first request computes the report), then sequential requests.
      const first = await fetch(gatewayUrl, { method: 'POST', headers, body }).then((r) => r.text());
      if (first.includes('"errors"')) throw new Error(`gateway answered errors: ${first.slice(0, 500)}`);
      const sequential: number[] = [];
      const [subCpu0, gwCpu0] = [cpuMs(subgraph), cpuMs(gateway)];
      for (let i = 0; i < REQUESTS; i++) {
        const t = performance.now();
        await fetch(gatewayUrl, { method: 'POST', headers, body }).then((r) => r.text());
        sequential.push(performance.now() - t);
      }
      const sorted = sequential.sort((a, b) => a - b);
      console.log(
        `gateway ${name} sequential: p50 ${pct(sorted, 50).toFixed(1)} ms, p99 ${pct(sorted, 99).toFixed(1)} ms over ${REQUESTS}; CPU per request: subgraph ${((cpuMs(subgraph) - subCpu0) / Math.max(1, REQUESTS)).toFixed(1)} ms, gateway ${((cpuMs(gateway) - gwCpu0) / Math.max(1, REQUESTS)).toFixed(1)} ms; ${Math.round(first.length / 1024)} kB; load ${load()}`,
      );
      const [subCpu1, gwCpu1] = [cpuMs(subgraph), cpuMs(gateway)];
      // An open model: evenly spaced requests, latency from when each was due (open-loop.ts).
      const o = await openLoop(gatewayUrl, () => ({ body, headers }), { rate: RATE, seconds: SECONDS });
      console.log(
        `gateway ${name} open loop at ${RATE}/s for ${SECONDS} s (evenly spaced): ${o.achieved.toFixed(1)}/s answered, p50 ${o.p50} ms, p90 ${o.p90} ms, p99 ${o.p99} ms, max ${o.max} ms, at most ${o.maxInFlight} in flight; ${o.offered - o.answered} failed; CPU per request: subgraph ${((cpuMs(subgraph) - subCpu1) / Math.max(1, o.answered)).toFixed(1)} ms, gateway ${((cpuMs(gateway) - gwCpu1) / Math.max(1, o.answered)).toFixed(1)} ms; load ${load()}`,
      );
    }
  } finally {
    await Promise.all([stopNode(gateway), stopNode(subgraph)]);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
