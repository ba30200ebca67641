/**
 * A hospital's first (cold) year report: the canonical report quality computes and protects
 * before the first answer is cached (ADR 0020), timed in-process against an existing quality
 * database — the large world's (`pnpm seed --scale large --database-prefix P` gives `P_quality`)
 * or one kept by quality.ts (`--keep --db-prefix P`).
 *
 *   pnpm --filter @medcollab/bench exec tsx cold-report.ts --db-prefix mcbench_s7world [--hospital ID] [--year 2025-2026] [--runs 3]
 *
 * Each run empties the process's protection memo first (every system solved again, as after a
 * restart), then computes the hospital's year report over every report metric; a second call with
 * the memo kept tells the part that is not protection (reading the cells, building the rows).
 * The hospital is the one with the most cells in the year unless named.
 */
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { createDataSource, initializeDataSource, withDatabase } from '@medcollab/kit';
import { canonicalReport, protectionMemo, qualitySubgraph, REPORT_METRICS } from '@medcollab/quality';

const { values: args } = parseArgs({
  options: {
    'db-prefix': { type: 'string' },
    hospital: { type: 'string' },
    year: { type: 'string' },
    runs: { type: 'string', default: '3' },
  },
});
const serverUrl = process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const load = () =>
  loadavg()
    .map((l) => l.toFixed(1))
    .join(' ');

async function main(): Promise<void> {
  if (!args['db-prefix']) throw new Error('--db-prefix names the database (<prefix>_quality)');
  const ds = createDataSource({
    url: withDatabase(serverUrl, `${args['db-prefix']}_quality`),
    entities: qualitySubgraph.entities,
    migrations: qualitySubgraph.migrations,
    poolSize: 2,
  });
  await initializeDataSource(ds, { migrate: false });
  try {
    const year =
      args.year ??
      ((await ds.query(`SELECT max(period_id) AS id FROM quality_period WHERE period_kind = 'YEAR'`)) as { id: string }[])[0]!.id;
    const hospitalId =
      args.hospital ??
      (
        (await ds.query(
          `SELECT parent AS id FROM rollup_cell
            WHERE school = '*' AND scope_kind = 'DEPARTMENT' AND period_kind = 'YEAR' AND period_id = $1
            GROUP BY parent ORDER BY count(*) DESC, parent LIMIT 1`,
          [year],
        )) as { id: string }[]
      )[0]!.id;
    const [{ periods }] = (await ds.query(
      `SELECT count(*)::int AS periods FROM quality_period WHERE (period_kind = 'YEAR' AND period_id = $1) OR year_id = $1 OR (period_kind = 'TERM' AND split_part(period_id, '/', 1) = $1)`,
      [year],
    )) as [{ periods: number }];
    console.log(`hospital ${hospitalId}, year ${year} (${periods} periods); load ${load()}`);
    const root = { kind: 'INSTITUTION' as const, id: hospitalId };
    const period = { kind: 'YEAR' as const, id: year };
    for (let i = 0; i < Number(args.runs); i++) {
      protectionMemo.clear();
      const cpu = process.cpuUsage();
      let t = performance.now();
      const report = await canonicalReport(ds.manager, root, '*', period, REPORT_METRICS, 5);
      const cold = performance.now() - t;
      const coldCpu = ((u) => (u.user + u.system) / 1000)(process.cpuUsage(cpu));
      const systems = protectionMemo.misses;
      t = performance.now();
      await canonicalReport(ds.manager, root, '*', period, REPORT_METRICS, 5);
      const kept = performance.now() - t;
      const rows = (function count(r: { children: unknown[] }): number {
        return 1 + (r.children as { children: unknown[] }[]).reduce((n, c) => n + count(c), 0);
      })(report!.report as unknown as { children: unknown[] });
      console.log(
        `run ${i + 1}: cold ${cold.toFixed(0)} ms (CPU ${coldCpu.toFixed(0)} ms, ${systems} systems solved); memo kept ${kept.toFixed(0)} ms; ${rows} rows; load ${load()}`,
      );
    }
  } finally {
    await ds.destroy();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
