/**
 * Quality rollups: incremental apply rate, rebuild time, report latency and table sizes.
 *
 *   pnpm --filter @medcollab/bench exec tsx quality.ts [--placements 1000] [--bulk 20000] [--concurrency 8] [--requests 200]
 *                                               [--cold 10] [--changed 5] [--rate 100] [--seconds 20] [--rate-query rows|table]
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
 *   report:  qualityReport for a hospital's year (drill-down to teachers, all metrics) against
 *            the subgraph in-process (not through the gateway): `--cold` sequential calls each
 *            recomputing the protected report (its generation bumped before each, ADR 0020), `--changed`
 *            pairs of calls each after one more placement of the hospital was applied (recomputed after a change),
 *            with the protection memo kept and emptied alternately,
 *            `--requests` sequential warm calls (served from the report cache), then an open
 *            loop of `--rate` calls/s for `--seconds` (latency includes any queueing);
 *   sizes:   the rollup tables' sizes.
 */
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { Client } from 'pg';
import { createConsumer, type EventEnvelope } from '@medcollab/events';
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
const serverUrl = process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const redisUrl = process.env.TEST_REDIS_URL ?? process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const database = `mcbench_quality_${randomBytes(4).toString('hex')}`;
const SETTINGS = {
  academicYearStartMonth: 9,
  minEvaluators: 5,
  rebuildPollMs: 1000,
  snapshotEveryMs: 3_600_000,
  snapshotGraceDays: 14,
  exportSecret: 'bench-export-secret-0123',
  exportTtlSeconds: 60,
  publicUrl: 'http://127.0.0.1',
};
const SECRET = 'bench-quality-signing-secret-0123456789';

const pct = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;

async function main(): Promise<void> {
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
    const net = makeNetwork('bench', { schools: 4, hospitals: 20, departmentsPer: 10, teachersPer: 5, blocks: 10 });
    const rand = prng(2026);

    // apply: through the consumer, CONCURRENCY aggregates' histories at a time (each history in producer order).
    const consumer = createConsumer({
      service: 'quality',
      dataSource: ds,
      handlers: qualityEventHandlers(SETTINGS),
      log: createLogger('bench', 'warn'),
    });
    const histories = Array.from({ length: PLACEMENTS }, (_, n) => placementHistory(net, n, rand, 'a'));
    const applied = histories.reduce((s, h) => s + h.length, 0);
    let next = 0;
    const started = Date.now();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        for (let i = next++; i < histories.length; i = next++) {
          for (const e of histories[i] as EventEnvelope[]) await consumer.apply({ envelope: e, previousEventId: null });
        }
      }),
    );
    const applySeconds = (Date.now() - started) / 1000;
    console.log(
      `apply: ${applied} events in ${applySeconds.toFixed(1)} s = ${Math.round(applied / applySeconds)} events/s (concurrency ${CONCURRENCY})`,
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
      buffer.push(...placementHistory(net, PLACEMENTS + n, rand, 'b'));
      if (buffer.length >= 5000) await flush();
    }
    await flush();
    console.log(`bulk: ${bulkEvents} more events held in ${((Date.now() - bulkStarted) / 1000).toFixed(1)} s`);

    const rebuildStarted = Date.now();
    const { aggregates } = await rebuildRollups(ds, SETTINGS);
    const rebuildSeconds = (Date.now() - rebuildStarted) / 1000;
    const held = ((await ds.query('SELECT count(*)::int AS n FROM applied_event')) as { n: number }[])[0]?.n ?? 0;
    console.log(
      `rebuild: ${held} events, ${aggregates} aggregates in ${rebuildSeconds.toFixed(1)} s = ${Math.round(held / rebuildSeconds)} events/s`,
    );

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
    const query = `query($scope: QualityScopeInput!, $period: QualityPeriodInput!) { qualityReport(scope: $scope, period: $period) {
      rows { key depth figures { metric item released count mean median evaluatorCount } } } }`;
    // The same figures in columns (QualityReport.figureTable): one list per field instead of an object per figure.
    const tableQuery = `query($scope: QualityScopeInput!, $period: QualityPeriodInput!) { qualityReport(scope: $scope, period: $period) {
      figureTable { rowKeys depths columns { metric item } released count mean median evaluatorCount } } }`;
    const variables = { scope: { kind: 'INSTITUTION', id: hospital }, period: { kind: 'YEAR', id: '2026-2027' } };
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
    if (RATE > 0 && SECONDS > 0) {
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

    const sizes = (await ds.query(
      `SELECT relname AS table, pg_size_pretty(pg_total_relation_size(relid)) AS size, n_live_tup AS rows
         FROM pg_stat_user_tables WHERE relname IN ('applied_event', 'rollup_cell', 'rollup_cell_evaluator', 'rollup_fact', 'inbox') ORDER BY relname`,
    )) as { table: string; size: string; rows: string }[];
    for (const s of sizes) console.log(`size: ${s.table} ${s.size} (~${s.rows} rows)`);
  } finally {
    await ds.destroy().catch(() => undefined);
    await admin.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
    await admin.end();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
