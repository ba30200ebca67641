import { guarded, ref } from '@medcollab/kit';
import { z } from 'zod';
import { type QualityContext } from '../context';
import { allocationRunsById } from '../data/allocation-runs';
import { readableReport, resolveScope } from '../data/reports';
import { type AllocationRunInfo } from '../domain/allocation-runs';
import { RUN_METRICS } from '../domain/metrics';
import { isPeriodId } from '../domain/periods';
import { flatten, type ReportRow } from '../domain/report';
import { scopeSchema } from '../domain/validation';

const argsSchema = z.object({
  scope: scopeSchema,
  year: z.string().refine((y) => isPeriodId('YEAR', y), { message: 'must be an academic year like 2026-2027' }),
});

const RUN_METRIC_SET: ReadonlySet<string> = new Set(RUN_METRICS);

/** The report's rows with only one run's figures (its protected RUN_* figures, as the report marked them). */
function runRows(row: ReportRow, runId: string): ReportRow {
  return {
    ...row,
    figures: row.figures.filter((f) => RUN_METRIC_SET.has(f.metric) && f.item === runId),
    children: row.children.map((c) => runRows(c, runId)),
  };
}

/** A run counts at a scope when it offered or filled seats there (seat counts are never hidden). */
const hasSeats = (row: ReportRow, runId: string): boolean =>
  row.figures.some((f) => (f.metric === 'RUN_SEATS_OFFERED' || f.metric === 'RUN_SEATS_FILLED') && f.item === runId && (f.count ?? 0) > 0);

export const allocationRunResolvers = {
  Query: {
    /**
     * Every published run with seats at the scope in the academic year, superseded ones too,
     * each with its own figures there. Authorized and protected by the year's canonical report
     * of the RUN_* metrics (the caller's cohort, k distinct students per run tree); the runs'
     * names come from one more statement, whatever their number.
     */
    allocationRuns: guarded({ input: argsSchema, from: 'args' }, async (args, ctx: QualityContext) => {
      const scope = await resolveScope(ctx, args.scope);
      const { row } = await readableReport(ctx, scope, { kind: 'YEAR', id: args.year }, RUN_METRICS);
      const runIds = [...new Set(row.figures.flatMap((f) => (f.item && hasSeats(row, f.item) ? [f.item] : [])))];
      const runs = await allocationRunsById(ctx.dataSource.manager, runIds);
      return [...runs.values()]
        .sort((a, b) => a.publishedAt.getTime() - b.publishedAt.getTime() || a.name.localeCompare(b.name))
        .map((run) => ({ run, tree: runRows(row, run.runId) }));
    }),
  },
  QualityAllocationRun: {
    runId: (r: { run: AllocationRunInfo }) => r.run.runId,
    name: (r: { run: AllocationRunInfo }) => r.run.name,
    school: (r: { run: AllocationRunInfo }) => ref(r.run.schoolId),
    academicYear: (r: { run: AllocationRunInfo }) => r.run.academicYear,
    ordinal: (r: { run: AllocationRunInfo }) => r.run.ordinal,
    variation: (r: { run: AllocationRunInfo }) => r.run.variation,
    publishedAt: (r: { run: AllocationRunInfo }) => r.run.publishedAt,
    superseded: (r: { run: AllocationRunInfo }) => r.run.superseded,
    supersededAt: (r: { run: AllocationRunInfo }) => r.run.supersededAt,
    supersededByName: (r: { run: AllocationRunInfo }) => r.run.supersededByName,
    figures: (r: { tree: ReportRow }) => r.tree.figures,
    rows: (r: { tree: ReportRow }) => flatten(r.tree),
  },
};
