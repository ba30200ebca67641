import { guarded, ref } from '@medcollab/kit';
import { z } from 'zod';
import { type QualityContext } from '../context';
import { allocationRunsById } from '../data/allocation-runs';
import { readableReport, resolveScope } from '../data/reports';
import { type AllocationRunInfo } from '../domain/allocation-runs';
import { type Metric, RUN_METRICS } from '../domain/metrics';
import { guardedRunTrees } from '../domain/run-guard';
import { withSpecialtyRows } from '../domain/run-specialties';
import { isPeriodId } from '../domain/periods';
import { flatten, type ReportRow } from '../domain/report';
import { scopeSchema } from '../domain/validation';

const argsSchema = z.object({
  scope: scopeSchema,
  year: z.string().refine((y) => isPeriodId('YEAR', y), { message: 'must be an academic year like 2026-2027' }),
});

const RUN_METRIC_SET: ReadonlySet<string> = new Set(RUN_METRICS);

/** The per-run figures, and the standing ones they are guarded against (domain/run-guard.ts). */
const READ: Metric[] = [...RUN_METRICS, 'FIRST_CHOICE', 'PREFERENCE_RANK', 'PLACED_UNRANKED'];

/** A run counts at a scope when it offered or filled seats there (seat counts are never hidden). */
const hasSeats = (row: ReportRow, runId: string): boolean =>
  row.figures.some((f) => (f.metric === 'RUN_SEATS_OFFERED' || f.metric === 'RUN_SEATS_FILLED') && f.item === runId && (f.count ?? 0) > 0);

export const allocationRunResolvers = {
  Query: {
    /**
     * Every published run with seats at the scope in the academic year, superseded ones too,
     * each with its own figures there and, at the network, per specialty (ADR 0043). Authorized and protected by the year's canonical report
     * of the RUN_* metrics (the caller's cohort, k distinct students per run tree); the runs'
     * names come from one more statement, whatever their number.
     */
    allocationRuns: guarded({ input: argsSchema, from: 'args' }, async (args, ctx: QualityContext) => {
      const scope = await resolveScope(ctx, args.scope);
      const { row, root } = await readableReport(ctx, scope, { kind: 'YEAR', id: args.year }, READ);
      const runIds = [
        ...new Set(row.figures.flatMap((f) => (f.item && RUN_METRIC_SET.has(f.metric) && hasSeats(row, f.item) ? [f.item] : []))),
      ];
      // Every run of the report's tree is guarded against, not only those at the scope: named in one statement.
      const rootIds = [...new Set(root.figures.flatMap((f) => (f.item && hasSeats(root, f.item) ? [f.item] : [])))];
      const { runs: all, specialtyOf } = await allocationRunsById(ctx.dataSource.manager, rootIds);
      const k = ctx.settings.minEvaluators;
      const trees = guardedRunTrees(root, [...all.values()], k);
      return [...all.values()]
        .filter((run) => runIds.includes(run.runId))
        .sort((a, b) => a.publishedAt.getTime() - b.publishedAt.getTime() || a.name.localeCompare(b.name))
        .map((run) => ({ run, tree: flatten(withSpecialtyRows(trees.get(run.runId)!, specialtyOf, k)).find((r) => r.key === row.key)! }));
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
