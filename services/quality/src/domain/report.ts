import { type Mark, protectTree } from '@medcollab/anonymity';
import { medianOf, meanOf } from './cells';
import { isEvaluationMetric, type Metric, type ScopeKind } from './metrics';

/**
 * Turns the rollup cells of a scope and everything below it into report rows: a tree of
 * scopes, each with one figure per metric (and, for evaluations, per item), evaluation figures
 * protected over the whole tree (k distinct evaluators, complementary suppression so that no
 * hidden figure is a parent minus its other children).
 */
export interface CellRow {
  metric: Metric;
  scopeKind: ScopeKind;
  scopeId: string;
  item: string;
  parent: string | null;
  n: number;
  totalMilli: number;
  histogram: Record<string, number>;
  evaluators: number;
  /** The period, when cells of several periods are read together. */
  periodKind?: string;
  periodId?: string;
  /** Each evaluator's contributions (snapshots keep them, to tell a revision's change apart). */
  evaluatorCounts?: Record<string, number>;
}

/**
 * How one (metric, item) of a report is protected: a mark per scope node (same order). The
 * default is the tree alone; the data layer passes the year-and-blocks system or a snapshot's
 * published decisions.
 */
export type Protection = (metric: Metric, item: string, nodes: readonly ScopeNode[], row: ReadonlyMap<number, CellRow>) => Mark[];

export const protectAsTree =
  (k: number): Protection =>
  (_metric, _item, nodes, row) =>
    protectTree(
      nodes.map((_, i) => ({ evaluations: row.get(i)?.n ?? 0, evaluators: row.get(i)?.evaluators ?? 0 })),
      nodes.map((n) => n.parentIndex),
      k,
    );

export interface ScopeNode {
  kind: ScopeKind;
  id: string;
  depth: number;
  parentIndex: number;
}

export interface Figure {
  metric: Metric;
  item: string | null;
  released: boolean;
  suppression: Mark;
  count: number | null;
  mean: number | null;
  median: number | null;
  distribution: { value: string; count: number }[] | null;
  evaluatorCount: number | null;
}

export interface ReportRow {
  key: string;
  kind: ScopeKind;
  id: string;
  depth: number;
  figures: Figure[];
  children: ReportRow[];
  /**
   * The metrics with a cell at this scope in the period (buildReport's rows only): whether the
   * scope is a row of the same report narrowed to fewer metrics (domain/report-slice.ts).
   */
  cellMetrics?: ReadonlySet<Metric>;
}

const VALUED: ReadonlySet<Metric> = new Set([
  'SITE_SCORE',
  'TEACHER_SCORE',
  'SITE_SCORE_BY_MODULE',
  'TEACHER_SCORE_BY_MODULE',
  'DAYS_TO_SUBMIT',
  'REMINDERS_PER_TASK',
  'ESCALATIONS_PER_TASK',
  'COMPETENCY_SCORE',
  'ENTRUSTMENT_LEVEL',
  'BELOW_EXPECTED',
  'READINESS',
  'MEETINGS_PER_MENTEE',
  'PLACEMENTS_CANCELLED_SHARE',
  'SPECIALTY_PLACEMENTS_CANCELLED_SHARE',
  'FIRST_CHOICE',
  'PREFERENCE_RANK',
  'PLACED_UNRANKED',
  'RUN_FIRST_CHOICE',
  'RUN_PREFERENCE_RANK',
  'RUN_PLACED_UNRANKED',
  'RUN_SPECIALTY_FIRST_CHOICE',
  'RUN_SPECIALTY_PREFERENCE_RANK',
  'RUN_SPECIALTY_PLACED_UNRANKED',
]);

/** A released figure hidden after the fact (a guard over figures already built): the mark, no numbers. */
export const hiddenFigure = (f: Figure, mark: Mark): Figure => ({
  ...f,
  released: false,
  suppression: mark,
  count: null,
  mean: null,
  median: null,
  distribution: null,
  evaluatorCount: null,
});

function figureOf(metric: Metric, item: string, cell: CellRow | undefined, mark: Mark): Figure {
  const evaluation = isEvaluationMetric(metric);
  const hidden = mark !== null;
  const n = cell?.n ?? 0;
  const valued = VALUED.has(metric);
  return {
    metric,
    item: item || null,
    released: !hidden,
    suppression: mark,
    count: hidden ? null : n,
    mean: hidden || !valued ? null : meanOf(n, cell?.totalMilli ?? 0),
    median: hidden || !valued ? null : medianOf(cell?.histogram ?? {}),
    distribution:
      hidden || !valued
        ? null
        : Object.entries(cell?.histogram ?? {})
            .map(([value, count]) => ({ value, count }))
            .sort((a, b) => Number(a.value) - Number(b.value)),
    evaluatorCount: hidden || !evaluation ? null : (cell?.evaluators ?? 0),
  };
}

const nodeKey = (kind: ScopeKind, id: string): string => `${kind}:${id}`;

/** Orders the scopes depth first (children by id), from the cells' parent links. */
export function scopeTree(root: { kind: ScopeKind; id: string }, cells: readonly CellRow[]): ScopeNode[] {
  const childrenOf = new Map<string, { kind: ScopeKind; id: string }[]>();
  const seen = new Set<string>([nodeKey(root.kind, root.id)]);
  for (const c of [...cells].sort((a, b) => a.scopeId.localeCompare(b.scopeId))) {
    const k = nodeKey(c.scopeKind, c.scopeId);
    if (seen.has(k) || c.parent === null) continue;
    seen.add(k);
    childrenOf.set(c.parent, [...(childrenOf.get(c.parent) ?? []), { kind: c.scopeKind, id: c.scopeId }]);
  }
  const nodes: ScopeNode[] = [];
  const visit = (n: { kind: ScopeKind; id: string }, depth: number, parentIndex: number) => {
    const index = nodes.push({ ...n, depth, parentIndex }) - 1;
    for (const child of childrenOf.get(n.id) ?? []) visit(child, depth + 1, index);
  };
  visit(root, 0, -1);
  return nodes;
}

/**
 * The report rows. `items` lists, per evaluation metric, the item keys to show ('' = the
 * evaluation as a whole). Each (metric, item) is protected over the whole tree at once.
 */
export function buildReport(
  root: { kind: ScopeKind; id: string },
  cells: readonly CellRow[],
  metrics: readonly Metric[],
  k: number,
  protection: Protection = protectAsTree(k),
): ReportRow {
  const nodes = scopeTree(root, cells);
  const index = new Map(nodes.map((n, i) => [nodeKey(n.kind, n.id), i]));
  const byMetricItem = new Map<string, Map<number, CellRow>>();
  for (const c of cells) {
    const i = index.get(nodeKey(c.scopeKind, c.scopeId));
    if (i === undefined) continue;
    const mk = `${c.metric}\u0001${c.item}`;
    if (!byMetricItem.has(mk)) byMetricItem.set(mk, new Map());
    byMetricItem.get(mk)!.set(i, c);
  }
  const figures: Figure[][] = nodes.map(() => []);
  const cellMetrics = nodes.map(() => new Set<Metric>());
  for (const metric of metrics) {
    const items = [
      ...new Set([...byMetricItem.keys()].filter((mk) => mk.startsWith(`${metric}\u0001`)).map((mk) => mk.slice(metric.length + 1))),
    ].sort();
    if (!items.length) items.push('');
    for (const item of items) {
      const row = byMetricItem.get(`${metric}\u0001${item}`) ?? new Map<number, CellRow>();
      const marks: Mark[] = isEvaluationMetric(metric) ? protection(metric, item, nodes, row) : nodes.map(() => null);
      nodes.forEach((_, i) => figures[i]!.push(figureOf(metric, item, row.get(i), marks[i] ?? null)));
      for (const i of row.keys()) cellMetrics[i]!.add(metric);
    }
  }
  const rows: ReportRow[] = nodes.map((n, i) => ({
    key: nodeKey(n.kind, n.id),
    kind: n.kind,
    id: n.id,
    depth: n.depth,
    figures: figures[i]!,
    children: [],
    cellMetrics: cellMetrics[i]!,
  }));
  nodes.forEach((n, i) => {
    if (n.parentIndex >= 0) rows[n.parentIndex]!.children.push(rows[i]!);
  });
  return rows[0]!;
}

/** Every row of a report, depth first. */
export const flatten = (row: ReportRow): ReportRow[] => [row, ...row.children.flatMap(flatten)];
