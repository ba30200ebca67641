import { z } from 'zod';
import { isRunMetric, METRICS, SCOPE_KINDS } from './metrics';
import { isPeriodId, PERIOD_KINDS } from './periods';

export const periodSchema = z.object({ kind: z.enum(PERIOD_KINDS), id: z.string() }).refine((p) => isPeriodId(p.kind, p.id), {
  message: 'must be a block id, a term like 2026-2027/T1 or a year like 2026-2027',
  path: ['id'],
});

export const scopeSchema = z
  .object({
    // MODULE rows are read below their PROGRAM (the program's report), SPECIALTY rows below the
    // network in allocationRuns (ADR 0043): neither is a report's scope.
    kind: z.enum(
      SCOPE_KINDS.filter((k) => k !== 'STAFF' && k !== 'MODULE' && k !== 'SPECIALTY') as [
        'NETWORK',
        'INSTITUTION',
        'DEPARTMENT',
        'TEACHER',
        'PROGRAM',
        'COHORT',
      ],
    ),
    id: z.uuid().nullish(),
    departmentId: z.uuid().nullish(),
    cohortYear: z.number().int().min(1900).max(2200).nullish(),
  })
  .refine((s) => s.kind === 'NETWORK' || !!s.id, { message: 'is required below the network', path: ['id'] })
  .refine((s) => s.kind !== 'COHORT' || (s.cohortYear !== null && s.cohortYear !== undefined), {
    message: 'is required for a cohort',
    path: ['cohortYear'],
  })
  .refine((s) => s.kind !== 'TEACHER' || !!s.departmentId, { message: 'is required for a teacher', path: ['departmentId'] });

/** A metric a report may show: not a RUN_* one (read through allocationRuns, ADR 0030 point 7). */
export const reportMetricSchema = z.enum(METRICS).refine((m) => !isRunMetric(m), { message: 'is read through allocationRuns' });
export const metricsSchema = z.array(reportMetricSchema).min(1).nullish();

export const reportArgsSchema = z.object({ scope: scopeSchema, period: periodSchema, metrics: metricsSchema });
/** A report may ask for one revision of a frozen period; without it, the latest (or live figures while the period is open). */
export const reportQuerySchema = reportArgsSchema.extend({ revision: z.number().int().min(0).max(100_000).nullish() });
/** QualityReport.rows: how deep below the report's root. */
export const rowsArgsSchema = z.object({ maxDepth: z.number().int().min(0).max(10).nullish() });
export const trendArgsSchema = z.object({ scope: scopeSchema, metric: reportMetricSchema, periods: z.array(periodSchema).min(1).max(24) });

export type ScopeInput = z.infer<typeof scopeSchema>;
