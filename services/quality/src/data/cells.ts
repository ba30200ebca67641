import { type EntityManager } from 'typeorm';
import { type CellRow } from '../domain/report';
import { CHILD_KINDS, type Metric, type ScopeKind } from '../domain/metrics';
import { type PeriodRef } from '../domain/periods';

interface Raw {
  metric: Metric;
  scope_kind: ScopeKind;
  scope_id: string;
  item: string;
  parent: string | null;
  n: string;
  total_milli: string;
  histogram: Record<string, number>;
  evaluators: number;
  period_kind: string;
  period_id: string;
}

const toRow = (r: Raw): CellRow => ({
  metric: r.metric,
  scopeKind: r.scope_kind,
  scopeId: r.scope_id,
  item: r.item,
  parent: r.parent,
  n: Number(r.n),
  totalMilli: Number(r.total_milli),
  histogram: r.histogram,
  evaluators: r.evaluators,
  periodKind: r.period_kind,
  periodId: r.period_id,
});

const COLUMNS = 'metric, scope_kind, scope_id, item, parent, n, total_milli, histogram, evaluators, period_kind, period_id';

/**
 * The cells of a scope and every scope below it (one statement per level, at most four),
 * for one cohort, one period or several (a year and its blocks), and a set of metrics.
 * With `only`, metrics other than `only.across` are read in `only.period` alone (a report
 * protects its evaluation figures over the year's periods; its other figures are the period's).
 */
export async function subtreeCells(
  em: EntityManager,
  root: { kind: ScopeKind; id: string },
  school: string,
  period: PeriodRef | readonly PeriodRef[],
  metrics: readonly Metric[],
  only?: { period: PeriodRef; across: readonly Metric[] },
): Promise<CellRow[]> {
  const periods = Array.isArray(period) ? (period as readonly PeriodRef[]) : [period as PeriodRef];
  const base =
    'school = $1 AND (period_kind, period_id) IN (SELECT * FROM unnest($2::text[], $3::text[])) AND metric = ANY($4)' +
    (only ? ' AND (metric = ANY($7) OR (period_kind = $8 AND period_id = $9))' : '');
  const params = [school, periods.map((p) => p.kind), periods.map((p) => p.id), metrics];
  const narrowed = only ? [only.across, only.period.kind, only.period.id] : [];
  const rows = (
    (await em.query(`SELECT ${COLUMNS} FROM rollup_cell WHERE ${base} AND scope_kind = $5 AND scope_id = $6`, [
      ...params,
      root.kind,
      root.id,
      ...narrowed,
    ])) as Raw[]
  ).map(toRow);
  let level: { kinds: ScopeKind[]; ids: string[] } = { kinds: [root.kind], ids: [root.id] };
  for (;;) {
    const kinds = [...new Set(level.kinds.flatMap((k) => CHILD_KINDS[k] ?? []))];
    if (!kinds.length || !level.ids.length) break;
    const children = (
      (await em.query(`SELECT ${COLUMNS} FROM rollup_cell WHERE ${base} AND scope_kind = ANY($5) AND parent = ANY($6)`, [
        ...params,
        kinds,
        level.ids,
        ...narrowed,
      ])) as Raw[]
    ).map(toRow);
    rows.push(...children);
    level = { kinds: [...new Set(children.map((c) => c.scopeKind))], ids: [...new Set(children.map((c) => c.scopeId))] };
  }
  return rows;
}

/** The cells of single scopes (no children), e.g. a teacher's STAFF cells or peers' department cells. */
export async function scopeCells(
  em: EntityManager,
  kind: ScopeKind,
  ids: readonly string[],
  school: string,
  period: PeriodRef,
  metrics: readonly Metric[],
): Promise<CellRow[]> {
  if (!ids.length) return [];
  const rows = (await em.query(
    `SELECT ${COLUMNS} FROM rollup_cell
      WHERE school = $1 AND period_kind = $2 AND period_id = $3 AND metric = ANY($4) AND scope_kind = $5 AND scope_id = ANY($6)`,
    [school, period.kind, period.id, metrics, kind, ids],
  )) as Raw[];
  return rows.map(toRow);
}
