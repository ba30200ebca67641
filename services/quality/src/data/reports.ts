import { ensure, hasRole, NotFoundError } from '@medcollab/kit';
import { cohortFor } from '../domain/access-policy';
import {
  ALL_SCHOOLS,
  cohortOf,
  cohortScopeId,
  REPORT_METRICS,
  type Metric,
  NETWORK_ID,
  type ScopeKind,
  teacherScopeId,
} from '../domain/metrics';
import { type PeriodRef } from '../domain/periods';
import { buildReport, flatten, type ReportRow } from '../domain/report';
import { sliceReport } from '../domain/report-slice';
import { type ScopeInput } from '../domain/validation';
import { type QualityContext } from '../context';
import { rootGeneration } from '../domain/generations';
import { reportCacheOf } from './report-cache';
import { canonicalReport, type ReportSource } from './snapshots';

export const DENIED = 'You may not see these quality figures';

/** What reading a report needs (a request's context, or an export link's holder). */
export type ReportReader = Pick<QualityContext, 'actor' | 'dataSource' | 'loaders' | 'settings'>;

/** A scope as the rollups name it, with the hospital it is in (null for the network). */
export interface ResolvedScope {
  kind: ScopeKind;
  id: string;
  hospitalId: string | null;
}

export async function resolveScope(ctx: ReportReader, input: ScopeInput): Promise<ResolvedScope> {
  switch (input.kind) {
    case 'NETWORK':
      return { kind: 'NETWORK', id: NETWORK_ID, hospitalId: null };
    case 'PROGRAM':
      return { kind: 'PROGRAM', id: input.id as string, hospitalId: null };
    case 'COHORT':
      return { kind: 'COHORT', id: cohortScopeId(input.id as string, input.cohortYear as number), hospitalId: null };
    case 'INSTITUTION':
      return { kind: 'INSTITUTION', id: input.id as string, hospitalId: input.id as string };
    case 'DEPARTMENT':
      return { kind: 'DEPARTMENT', id: input.id as string, hospitalId: await ctx.loaders.hospitalOfDepartment.load(input.id as string) };
    case 'TEACHER': {
      const departmentId = input.departmentId as string;
      return {
        kind: 'TEACHER',
        id: teacherScopeId(departmentId, input.id as string),
        hospitalId: await ctx.loaders.hospitalOfDepartment.load(departmentId),
      };
    }
  }
}

/** The cohort whose figures the caller may read in `scope`; FORBIDDEN when none. */
export async function requireCohort(ctx: ReportReader, scope: ResolvedScope): Promise<string> {
  const caller = ctx.actor.institutionId
    ? await ctx.loaders.institution.load(ctx.actor.institutionId)
    : { isSchool: false, partnerHospitals: [] as string[] };
  const cohort = cohortFor(ctx.actor, caller, { kind: scope.kind, hospitalId: scope.hospitalId });
  ensure(cohort !== null, DENIED);
  if (scope.kind === 'PROGRAM' || scope.kind === 'COHORT') ensure(await mayReadProgram(ctx, cohortOf(scope.id).programId), DENIED);
  return cohort as string;
}

/**
 * Another school's program (or cohort) is refused outright: its figures hold none of the
 * caller's students anyway. The program's school is the school cohort its cells are kept for.
 */
export async function mayReadProgram(ctx: ReportReader, programId: string): Promise<boolean> {
  if (hasRole(ctx.actor, 'NETWORK_ADMIN')) return true;
  const owner = await ctx.loaders.memo(`program-school:${programId}`, async () => {
    const [row] = (await ctx.dataSource.query(
      `SELECT school FROM rollup_cell WHERE scope_kind = 'PROGRAM' AND scope_id = $1 AND school <> $2 LIMIT 1`,
      [programId, ALL_SCHOOLS],
    )) as { school: string }[];
    return row?.school ?? null;
  });
  return owner === null || owner === ctx.actor.institutionId;
}

/**
 * The row of `scope` (with its children) in its CANONICAL report: every student's figures are
 * protected over the whole hospital's tree, a school's students' over the whole network's, so a
 * department's figures are marked the same whether read alone, in its hospital's report or in a
 * trend, and nothing can be learnt by comparing two views. Computed once per request.
 */
export async function readableRow(
  ctx: ReportReader,
  scope: ResolvedScope,
  period: PeriodRef,
  metrics: readonly Metric[] = REPORT_METRICS,
): Promise<ReportRow> {
  return (await readableReport(ctx, scope, period, metrics)).row;
}

/**
 * The row and where its figures come from: a frozen period's latest revision (or `revision`),
 * an open period's live figures. NOT_FOUND for a revision the period does not have.
 */
export async function readableReport(
  ctx: ReportReader,
  scope: ResolvedScope,
  period: PeriodRef,
  metrics: readonly Metric[] = REPORT_METRICS,
  revision: number | null = null,
): Promise<{ row: ReportRow; source: ReportSource; root: ReportRow }> {
  const cohort = await requireCohort(ctx, scope);
  const root =
    cohort === ALL_SCHOOLS && scope.kind !== 'NETWORK' && scope.hospitalId
      ? { kind: 'INSTITUTION' as const, id: scope.hospitalId }
      : { kind: 'NETWORK' as const, id: NETWORK_ID };
  const k = ctx.settings.minEvaluators;
  const computed = tableMetrics(root, metrics);
  const key = `${cohort}|${root.kind}:${root.id}|${period.kind}:${period.id}|${computed.join(',')}|${revision ?? 'latest'}|k${k}`;
  // Authorized above, on every request; the cache holds the protected canonical report of what the caller may see (ADR 0020).
  const found = await ctx.loaders.memo(key, () =>
    reportCacheOf(ctx.dataSource).get(
      ctx.dataSource.manager,
      key,
      [rootGeneration(root, cohort)],
      () => canonicalReport(ctx.dataSource.manager, root, cohort, period, computed, k, revision),
      (r) => (r ? flatten(r.report).reduce((n, row) => n + row.figures.length, 0) : 1),
    ),
  );
  if (!found) throw new NotFoundError(`Revision ${revision} of ${period.kind === 'BLOCK' ? 'this block' : period.id}`);
  const report = computed === metrics ? found.report : slicedReport(found.report, metrics);
  return {
    row: rowOf(report, scope) ?? buildReport({ kind: scope.kind, id: scope.id }, [], metrics, ctx.settings.minEvaluators),
    source: found.source,
    // The canonical report the row is part of (what a figure derived from several rows must be computed over).
    root: report,
  };
}

/**
 * What a canonical report is computed and cached over (ADR 0048): a hospital's tree over every
 * report metric, whatever a request asks, so each metric is protected once for all readers and
 * every request is a slice of the same table (one cold computation serves the department page,
 * the full report and a dashboard's few metrics). The network's trees (a school's students
 * everywhere) are too large for that and are computed over the metrics asked.
 */
function tableMetrics(root: { kind: ScopeKind }, metrics: readonly Metric[]): readonly Metric[] {
  return root.kind === 'INSTITUTION' && metrics.every((m) => REPORT_METRIC_SET.has(m)) ? REPORT_METRICS : metrics;
}

const REPORT_METRIC_SET: ReadonlySet<Metric> = new Set(REPORT_METRICS);

/**
 * Slices of the cached tables (shared objects, like the tables), made once per table and metrics;
 * the lists of metrics are the clients', so a table keeps its most recently made few.
 */
const slices = new WeakMap<ReportRow, Map<string, ReportRow>>();
const SLICES_PER_TABLE = 16;

function slicedReport(table: ReportRow, metrics: readonly Metric[]): ReportRow {
  let made = slices.get(table);
  if (!made) slices.set(table, (made = new Map()));
  const key = metrics.join(',');
  const known = made.get(key);
  if (known) return known;
  const slice = sliceReport(table, metrics);
  made.set(key, slice);
  if (made.size > SLICES_PER_TABLE) made.delete(made.keys().next().value as string);
  return slice;
}

/** Rows by scope, per report (shared): a scope's row is found once, not by a walk per request. */
const rowIndexes = new WeakMap<ReportRow, Map<string, ReportRow>>();

function rowOf(report: ReportRow, scope: { kind: ScopeKind; id: string }): ReportRow | undefined {
  let index = rowIndexes.get(report);
  if (!index) rowIndexes.set(report, (index = new Map(flatten(report).map((r) => [`${r.kind}:${r.id}`, r]))));
  return index.get(`${scope.kind}:${scope.id}`);
}
