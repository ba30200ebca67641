import { ALL_SCHOOLS, type Metric } from '../domain/metrics';
import { benchmarkMetrics, LOWER_IS_BETTER, percentile, valueOf } from '../domain/peers';
import { type PeriodRef } from '../domain/periods';
import { type QualityContext } from '../context';
import { scopeCells } from './cells';

/** The department's percentile among the network's departments of its specialty (two statements). */
export async function peerPercentile(ctx: QualityContext, departmentId: string, metric: Metric, period: PeriodRef): Promise<number | null> {
  const specialty = await ctx.loaders.specialty.load(departmentId);
  if (!specialty) return null;
  const peers = (
    (await ctx.dataSource.query('SELECT id::text AS id FROM known_department WHERE specialty = $1 AND id <> $2', [
      specialty,
      departmentId,
    ])) as { id: string }[]
  ).map((r) => r.id);
  const metrics = benchmarkMetrics(metric);
  const cells = await scopeCells(ctx.dataSource.manager, 'DEPARTMENT', [departmentId, ...peers], ALL_SCHOOLS, period, metrics);
  const k = ctx.settings.minEvaluators;
  return percentile(
    valueOf(metric, cells, departmentId, k),
    peers.map((p) => valueOf(metric, cells, p, k)),
    LOWER_IS_BETTER.has(metric),
  );
}
