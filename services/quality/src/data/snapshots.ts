import { type Mark } from '@medcollab/anonymity';
import { type DataSource, type EntityManager } from 'typeorm';
import { type CellDelta } from '../domain/cells';
import { ALL_SCHOOLS, EVALUATION_METRICS, type Metric, METRICS, NETWORK_ID, type ScopeKind } from '../domain/metrics';
import { type PeriodKind, type PeriodRef, termsOfYear } from '../domain/periods';
import { modulePair, pairedEquations, pairedParents, partitionEquations, residualStats } from '../domain/partitions';
import { productEquations, protectColumns, protectGrid, treeEquations } from '../domain/protection';
import { cellIndex, ITEM_SUMMED, markKey, revisionProtection, statsOf } from '../domain/revision-protection';
import { pseudonymEpoch } from './pseudonym-key';
import { buildReport, type CellRow, type Protection, type ReportRow, scopeTree } from '../domain/report';
import { subtreeCells } from './cells';
import { bumpEverything } from './generations';

/**
 * Period snapshots and revisions (ADR 0012). When a period closes its cells are frozen as
 * revision 0 with the release decision of every canonical report; from then on the published
 * figures of the period are its latest revision, and an event that changes the period's cells
 * (a late evaluation, a cancelled placement) adds a revision in the event's own transaction —
 * never a silent change. Revisions are protected against each other (domain/protection).
 */

export interface PeriodState {
  /** The latest revision; null while the period is open (figures are live). */
  revision: number | null;
  frozenAt: Date | null;
}

export interface RevisionInfo {
  revision: number;
  frozenAt: Date;
  /** CLOSED (revision 0, the period ended) or LATE_EVENTS (events changed a frozen period). */
  reason: string;
  /** Cells (across cohorts, scopes, metrics and items) whose figures differ from the previous revision. */
  changedCells: number;
}

const DAY_MS = 86_400_000;
const nodeKey = (kind: string, id: string): string => `${kind}:${id}`;
const EVALUATION_METRICS_LIST: Metric[] = [...EVALUATION_METRICS];
const addMonths = (year: number, month: number, by: number): string => {
  const m = month - 1 + by;
  return `${year + Math.floor(m / 12)}-${String((m % 12) + 1).padStart(2, '0')}-01`;
};

/** The last day of a term or year (its end is the day before the next one starts); null for a block (placements tell). */
export function lastDayOf(period: PeriodRef, startMonth: number): string | null {
  if (period.kind === 'BLOCK') return null;
  const first = Number(period.id.slice(0, 4));
  const months = period.kind === 'YEAR' ? 12 : period.id.endsWith('/T1') ? 6 : 12;
  const next = addMonths(first, startMonth, months);
  return new Date(Date.parse(`${next}T00:00:00Z`) - DAY_MS).toISOString().slice(0, 10);
}

/**
 * Records the periods a change touches (and a block's year and last day, from what placements
 * say), and marks those already frozen as changed: the change must become a revision of each.
 */
export async function notePeriods(
  em: EntityManager,
  deltas: readonly CellDelta[],
  block: { id: string; endsOn: string } | null,
  startMonth: number,
  /** Told when a period is new or a block's term or year was learnt: every cached report of its year is stale (ADR 0020). */
  onReshaped: () => void = () => undefined,
): Promise<PeriodRef[]> {
  const periods = new Map<string, { kind: PeriodKind; id: string; yearId: string | null; termId: string | null; endsOn: string | null }>();
  for (const d of deltas) {
    const p = { kind: d.key.periodKind, id: d.key.periodId };
    periods.set(`${p.kind}\u0001${p.id}`, { ...p, yearId: null, termId: null, endsOn: lastDayOf(p, startMonth) });
  }
  // One aggregate counts in one block, one term and one year: those are the block's term and year.
  const years = [...new Set(deltas.filter((d) => d.key.periodKind === 'YEAR').map((d) => d.key.periodId))];
  const terms = [...new Set(deltas.filter((d) => d.key.periodKind === 'TERM').map((d) => d.key.periodId))];
  for (const p of periods.values())
    if (p.kind === 'BLOCK') {
      if (years.length === 1) p.yearId = years[0]!;
      if (terms.length === 1) p.termId = terms[0]!;
    }
  if (block) {
    const known = periods.get(`BLOCK\u0001${block.id}`);
    periods.set(`BLOCK\u0001${block.id}`, {
      kind: 'BLOCK',
      id: block.id,
      yearId: known?.yearId ?? null,
      termId: known?.termId ?? null,
      endsOn: block.endsOn,
    });
  }
  if (!periods.size) return [];
  const list = [...periods.values()].sort((a, b) => (a.kind + a.id < b.kind + b.id ? -1 : 1));
  // `before` sees the rows as they were (one snapshot for the whole statement): what the upsert reshaped.
  const rows = (await em.query(
    `WITH before AS (
       SELECT period_kind, period_id, year_id, term_id FROM quality_period
        WHERE (period_kind, period_id) IN (SELECT * FROM unnest($1::text[], $2::text[]))),
     up AS (
       INSERT INTO quality_period (period_kind, period_id, year_id, term_id, ends_on)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::date[])
       ON CONFLICT (period_kind, period_id) DO UPDATE SET
         year_id = COALESCE(quality_period.year_id, EXCLUDED.year_id),
         term_id = COALESCE(quality_period.term_id, EXCLUDED.term_id),
         ends_on = GREATEST(quality_period.ends_on, EXCLUDED.ends_on)
       RETURNING period_kind, period_id, revision, year_id, term_id)
     SELECT up.period_kind, up.period_id, up.revision,
            (b.period_id IS NULL OR b.year_id IS DISTINCT FROM up.year_id OR b.term_id IS DISTINCT FROM up.term_id) AS reshaped
       FROM up LEFT JOIN before b USING (period_kind, period_id)`,
    [list.map((p) => p.kind), list.map((p) => p.id), list.map((p) => p.yearId), list.map((p) => p.termId), list.map((p) => p.endsOn)],
  )) as { period_kind: PeriodKind; period_id: string; revision: number | null; reshaped: boolean }[];
  if (rows.some((r) => r.reshaped)) onReshaped();
  // The institutions with figures in each period: its freeze waits for midnight in each one's time zone.
  const places = new Map<string, [string, string, string]>();
  for (const d of deltas)
    for (const inst of [d.key.scopeKind === 'INSTITUTION' ? d.key.scopeId : null, d.key.school === ALL_SCHOOLS ? null : d.key.school])
      if (inst) places.set(`${d.key.periodKind}\u0001${d.key.periodId}\u0001${inst}`, [d.key.periodKind, d.key.periodId, inst]);
  if (places.size) {
    const list = [...places.keys()].sort().map((k) => places.get(k)!);
    await em.query(
      `INSERT INTO quality_period_institution (period_kind, period_id, institution_id)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[]) ON CONFLICT DO NOTHING`,
      [list.map((x) => x[0]), list.map((x) => x[1]), list.map((x) => x[2])],
    );
  }
  const touched = new Set(deltas.map((d) => `${d.key.periodKind}\u0001${d.key.periodId}`));
  const frozen = rows
    .filter((r) => r.revision !== null && touched.has(`${r.period_kind}\u0001${r.period_id}`))
    .map((r) => ({ kind: r.period_kind, id: r.period_id }));
  // The published figures stay as they are; the next sweep turns the change into a revision.
  if (frozen.length)
    await em.query(
      `UPDATE quality_period SET changed_since = COALESCE(changed_since, now())
        WHERE (period_kind, period_id) IN (SELECT * FROM unnest($1::text[], $2::text[]))`,
      [frozen.map((p) => p.kind), frozen.map((p) => p.id)],
    );
  return frozen;
}

/**
 * A period with its state and the year's period tree as columns: the year first, then its two
 * terms, then its blocks, each with its parent column (a block's term, from the facts counted
 * in it; the year when unknown).
 */
export interface PeriodFamily {
  state: PeriodState;
  yearId: string | null;
  columns: { period: PeriodRef; revision: number | null; parent: number }[];
}

/** Everything about a period a report needs, in one statement. */
export async function periodFamily(em: EntityManager, period: PeriodRef): Promise<PeriodFamily> {
  const rows = (await em.query(
    `WITH y AS (
       SELECT CASE WHEN $1 = 'YEAR' THEN $2::text
                   WHEN $1 = 'TERM' THEN split_part($2::text, '/', 1)
                   WHEN $1 = 'BLOCK' THEN (SELECT year_id FROM quality_period WHERE period_kind = 'BLOCK' AND period_id = $2) END AS id)
     SELECT p.period_kind, p.period_id, p.revision, p.frozen_at, p.term_id, y.id AS year_id FROM quality_period p, y
      WHERE (p.period_kind = $1 AND p.period_id = $2)
         OR (p.period_kind = 'YEAR' AND p.period_id = y.id)
         OR (p.period_kind = 'TERM' AND split_part(p.period_id, '/', 1) = y.id)
         OR (p.period_kind = 'BLOCK' AND p.year_id = y.id)
      ORDER BY p.period_kind DESC, p.period_id`,
    [period.kind, period.id],
  )) as {
    period_kind: PeriodKind;
    period_id: string;
    revision: number | null;
    frozen_at: Date | null;
    term_id: string | null;
    year_id: string | null;
  }[];
  const self = rows.find((r) => r.period_kind === period.kind && r.period_id === period.id);
  const yearId = rows[0]?.year_id ?? (period.kind === 'YEAR' ? period.id : period.kind === 'TERM' ? period.id.split('/')[0]! : null);
  const columns: PeriodFamily['columns'] = [];
  if (yearId !== null) {
    const revisionOf = (kind: PeriodKind, id: string) => rows.find((r) => r.period_kind === kind && r.period_id === id)?.revision ?? null;
    columns.push({ period: { kind: 'YEAR', id: yearId }, revision: revisionOf('YEAR', yearId), parent: -1 });
    for (const t of termsOfYear(yearId)) columns.push({ period: { kind: 'TERM', id: t }, revision: revisionOf('TERM', t), parent: 0 });
    for (const r of rows)
      if (r.period_kind === 'BLOCK') {
        const term = columns.findIndex((c) => c.period.kind === 'TERM' && c.period.id === r.term_id);
        // Every block with cells has a term (its first aggregate's, noted with it); a block without one has no cells.
        columns.push({ period: { kind: 'BLOCK', id: r.period_id }, revision: r.revision, parent: term > 0 ? term : 0 });
      }
    if (!columns.some((c) => c.period.kind === period.kind && c.period.id === period.id))
      columns.push({ period, revision: null, parent: 0 });
  }
  return { state: { revision: self?.revision ?? null, frozenAt: self?.frozen_at ?? null }, yearId, columns };
}

export async function periodState(em: EntityManager, period: PeriodRef): Promise<PeriodState> {
  const [row] = (await em.query('SELECT revision, frozen_at FROM quality_period WHERE period_kind = $1 AND period_id = $2', [
    period.kind,
    period.id,
  ])) as { revision: number | null; frozen_at: Date | null }[];
  return { revision: row?.revision ?? null, frozenAt: row?.frozen_at ?? null };
}

/** The pseudonym key epoch of each revision of a period (ADR 0047). */
async function revisionEpochs(em: EntityManager, period: PeriodRef): Promise<Map<number, number>> {
  const rows = (await em.query('SELECT revision, pseudonym_epoch FROM quality_snapshot WHERE period_kind = $1 AND period_id = $2', [
    period.kind,
    period.id,
  ])) as { revision: number; pseudonym_epoch: number }[];
  return new Map(rows.map((r) => [r.revision, r.pseudonym_epoch]));
}

export async function revisionsOf(em: EntityManager, period: PeriodRef): Promise<RevisionInfo[]> {
  const rows = (await em.query(
    `SELECT revision, frozen_at, reason, changed_cells FROM quality_snapshot WHERE period_kind = $1 AND period_id = $2 ORDER BY revision`,
    [period.kind, period.id],
  )) as { revision: number; frozen_at: Date; reason: string; changed_cells: number }[];
  return rows.map((r) => ({ revision: r.revision, frozenAt: r.frozen_at, reason: r.reason, changedCells: r.changed_cells }));
}

interface SnapshotRaw {
  metric: Metric;
  school: string;
  scope_kind: ScopeKind;
  scope_id: string;
  item: string;
  parent: string | null;
  n: string;
  total_milli: string;
  histogram: Record<string, number>;
  evaluators: number;
  evaluator_counts: Record<string, number>;
}

const fromSnapshot = (r: SnapshotRaw): CellRow & { school: string } => ({
  school: r.school,
  metric: r.metric,
  scopeKind: r.scope_kind,
  scopeId: r.scope_id,
  item: r.item,
  parent: r.parent,
  n: Number(r.n),
  totalMilli: Number(r.total_milli),
  histogram: r.histogram,
  evaluators: r.evaluators,
  evaluatorCounts: r.evaluator_counts,
});

/** A revision's cells, for one cohort (or every cohort) and a set of metrics. */
export async function snapshotCells(
  em: EntityManager,
  period: PeriodRef,
  revision: number,
  school: string | null,
  metrics: readonly Metric[],
): Promise<(CellRow & { school: string })[]> {
  const rows = (await em.query(
    `SELECT metric, school, scope_kind, scope_id, item, parent, n, total_milli, histogram, evaluators, evaluator_counts
       FROM quality_snapshot_cell
      WHERE period_kind = $1 AND period_id = $2 AND revision = $3 AND ($4::text IS NULL OR school = $4) AND metric = ANY($5)`,
    [period.kind, period.id, revision, school, metrics],
  )) as SnapshotRaw[];
  return rows.map(fromSnapshot);
}

/** A revision's hidden figures in one canonical report (every other figure of the revision is released). */
export async function snapshotMarks(
  em: EntityManager,
  period: PeriodRef,
  revision: number,
  school: string,
  root: { kind: ScopeKind; id: string },
): Promise<Map<string, Mark>> {
  const rows = (await em.query(
    `SELECT metric, item, scope_kind, scope_id, mark FROM quality_snapshot_mark
      WHERE period_kind = $1 AND period_id = $2 AND revision = $3 AND school = $4 AND root = $5`,
    [period.kind, period.id, revision, school, nodeKey(root.kind, root.id)],
  )) as { metric: string; item: string; scope_kind: string; scope_id: string; mark: Mark }[];
  return new Map(rows.map((r) => [markKey(r.metric, r.item, r.scope_kind, r.scope_id), r.mark]));
}

/** A published revision's decisions as a protection: what was shown is shown again, nothing recomputed. */
export const publishedProtection =
  (marks: ReadonlyMap<string, Mark>): Protection =>
  (metric, item, nodes) =>
    nodes.map((n) => marks.get(markKey(metric, item, n.kind, n.id)) ?? null);

/**
 * The live protection of a period's canonical report: a block, a term or a year is protected
 * together with its year's whole period tree (scope tree × (year → terms → blocks)), with the
 * published decisions of every frozen block, term and year fixed; learner outcomes kept per
 * competency are crossed with their items as well.
 */
export async function liveProtection(
  em: EntityManager,
  root: { kind: ScopeKind; id: string },
  school: string,
  period: PeriodRef,
  metrics: readonly Metric[],
  k: number,
  known?: PeriodFamily,
): Promise<{ cells: CellRow[]; protection: Protection }> {
  const family = known ?? (await periodFamily(em, period));
  if (!metrics.some((m) => EVALUATION_METRICS.has(m)) || family.yearId === null) {
    const cells = await subtreeCells(em, root, school, period, metrics);
    return {
      cells,
      protection: (_m, _i, nodes, row) =>
        protectColumns(
          nodes.map((n) => n.parentIndex),
          [{ stats: nodes.map((_, x) => statsOf(row.get(x))) }],
          [-1],
          k,
          partitionEquations(
            nodes.map((n) => n.parentIndex),
            nodes.map((n) => n.kind),
            (x) => !!row.get(x)?.n,
          ),
        )[0]!,
    };
  }
  const columns = family.columns;
  // Evaluation figures over the year's whole period tree (what they are protected over), the
  // others in the period asked for only: protection reads no other figure (ADR 0042). A scope with
  // figures of other metrics only is no position of any system (no evaluations: never hidden).
  // A metric of a module pair is decided with its partner (domain/partitions.ts), so both are read.
  const paired = root.kind === 'NETWORK';
  const all = await subtreeCells(
    em,
    root,
    school,
    columns.map((c) => c.period),
    paired ? [...new Set(metrics.flatMap((m) => modulePair(m) ?? [m]))] : metrics,
    { period, across: EVALUATION_METRICS_LIST },
  );
  const byColumn = columns.map((c) => cellIndex(all.filter((x) => x.periodKind === c.period.kind && x.periodId === c.period.id)));
  const fixedMarks = await Promise.all(
    columns.map((c) => (c.revision === null ? null : snapshotMarks(em, c.period, c.revision, school, root))),
  );
  const self = columns.findIndex((c) => c.period.kind === period.kind && c.period.id === period.id);
  const cells = all.filter((x) => x.periodKind === period.kind && x.periodId === period.id && metrics.includes(x.metric));
  // Every column's scopes, so a scope with figures in a block only still counts in the year's equations.
  const union = scopeTree(root, all);
  const at = new Map(union.map((n, x) => [nodeKey(n.kind, n.id), x]));
  // Per metric: the items protected together (all competencies and each one), decided once.
  const decided = new Map<string, Map<string, Mark[]>>();
  const network = union.findIndex((n) => n.kind === 'NETWORK');
  const decide = (metric: Metric, item: string): Map<string, Mark[]> => {
    const pair = paired && network >= 0 ? modulePair(metric) : null;
    if (pair) return decidePair(pair, item).get(metric)!;
    const summed = ITEM_SUMMED.has(metric);
    const group = summed ? `${metric}` : `${metric}\u0001${item}`;
    const known = decided.get(group);
    if (known) return known;
    const items = summed ? ['', ...[...new Set(all.filter((c) => c.metric === metric && c.item).map((c) => c.item))].sort()] : [item];
    // Blocks where the metric has no figures at all are left out (readiness is kept per term and
    // year only): an empty block would claim that its term adds up to nothing.
    const used = columns.map(
      (c, ci) => c.period.kind !== 'BLOCK' || ci === self || [...byColumn[ci]!.values()].some((x) => x.metric === metric),
    );
    const kept = columns.map((_, ci) => ci).filter((ci) => used[ci]);
    const position = new Map(kept.map((ci, x) => [ci, x]));
    const keptParents = kept.map((ci) => (columns[ci]!.parent < 0 ? -1 : (position.get(columns[ci]!.parent) ?? 0)));
    // Column (period ci, item ii) at ci * items + ii: the period tree per item, the item tree ('' → each competency) per period.
    const grid = productEquations(
      keptParents,
      items.map((_, ii) => (ii === 0 ? -1 : 0)),
    );
    const gridColumns = kept.flatMap((ci) =>
      items.map((it) => ({
        stats: union.map((n) => statsOf(byColumn[ci]!.get(markKey(metric, it, n.kind, n.id)))),
        fixed: fixedMarks[ci]
          ? new Map(
              union.flatMap((n, x): [number, Mark][] =>
                byColumn[ci]!.get(markKey(metric, it, n.kind, n.id))?.n
                  ? [[x, fixedMarks[ci]!.get(markKey(metric, it, n.kind, n.id)) ?? null]]
                  : [],
              ),
            )
          : undefined,
      })),
    );
    // A program split into cohorts and modules gets an equation for each (domain/partitions.ts).
    const scopeEquations = partitionEquations(
      union.map((n) => n.parentIndex),
      union.map((n) => n.kind),
      (x) => kept.some((ci) => items.some((it) => !!byColumn[ci]!.get(markKey(metric, it, union[x]!.kind, union[x]!.id))?.n)),
    );
    const marks = protectGrid(
      union.map((n) => n.parentIndex),
      gridColumns,
      grid,
      k,
      scopeEquations,
    );
    const selfAt = position.get(self) ?? 0;
    const result = new Map(items.map((it, ii) => [it, marks[selfAt * items.length + ii]!]));
    decided.set(group, result);
    return result;
  };
  /**
   * A module pair's item (SITE_SCORE with SITE_SCORE_BY_MODULE, …) decided as one system over the
   * year's period tree: each metric's tree and their network figures bound through the residual
   * (domain/partitions.ts). Both metrics' marks are kept.
   */
  const decidePair = ([tree, modules]: [Metric, Metric], item: string): Map<Metric, Map<string, Mark[]>> => {
    const groups = [tree, modules].map((m) => `${m}\u0001${item}`);
    if (decided.has(groups[0]!)) return new Map([tree, modules].map((m, i) => [m, decided.get(groups[i]!)!]));
    const held = (m: Metric, ci: number, x: number) => byColumn[ci]!.get(markKey(m, item, union[x]!.kind, union[x]!.id));
    const used = columns.map(
      (c, ci) =>
        c.period.kind !== 'BLOCK' || ci === self || [...byColumn[ci]!.values()].some((x) => x.metric === tree || x.metric === modules),
    );
    const kept = columns.map((_, ci) => ci).filter((ci) => used[ci]);
    const position = new Map(kept.map((ci, x) => [ci, x]));
    const keptParents = kept.map((ci) => (columns[ci]!.parent < 0 ? -1 : (position.get(columns[ci]!.parent) ?? 0)));
    const n = union.length;
    const gridColumns = kept.map((ci) => {
      const stats = [tree, modules].flatMap((m) => union.map((_, x) => statsOf(held(m, ci, x))));
      stats.push(residualStats(stats[network]!, stats[n + network]!));
      const fixed = fixedMarks[ci]
        ? new Map(
            [tree, modules].flatMap((m, mi) =>
              union.flatMap((u, x): [number, Mark][] =>
                held(m, ci, x)?.n ? [[mi * n + x, fixedMarks[ci]!.get(markKey(m, item, u.kind, u.id)) ?? null]] : [],
              ),
            ),
          )
        : undefined;
      return { stats, fixed };
    });
    const holds = (m: Metric) => (x: number) => kept.some((ci) => !!held(m, ci, x)?.n);
    const parents = union.map((u) => u.parentIndex);
    const marks = protectGrid(
      pairedParents(parents),
      gridColumns,
      treeEquations(keptParents),
      k,
      pairedEquations(
        parents,
        union.map((u) => u.kind),
        holds(tree),
        holds(modules),
        network,
      ),
    );
    const own = marks[position.get(self) ?? 0]!;
    const result = new Map([tree, modules].map((m, mi) => [m, new Map([[item, own.slice(mi * n, mi * n + n)]])]));
    groups.forEach((g, i) => decided.set(g, result.get([tree, modules][i]!)!));
    return result;
  };
  const protection: Protection = (metric, item, nodes) => {
    const marks = decide(metric, item).get(item) ?? [];
    return nodes.map((n) => marks[at.get(nodeKey(n.kind, n.id)) ?? -1] ?? null);
  };
  return { cells, protection };
}

/** The canonical reports of a cohort: every hospital's and the network's for all schools' students; the network's for one school's. */
function canonicalRoots(school: string, cells: readonly CellRow[]): { kind: ScopeKind; id: string }[] {
  const roots: { kind: ScopeKind; id: string }[] = [{ kind: 'NETWORK', id: NETWORK_ID }];
  if (school === ALL_SCHOOLS)
    for (const id of [...new Set(cells.filter((c) => c.scopeKind === 'INSTITUTION').map((c) => c.scopeId))].sort())
      roots.push({ kind: 'INSTITUTION', id });
  return roots;
}

const metricItems = (cells: readonly CellRow[]): [Metric, string][] =>
  [...new Set(cells.filter((c) => EVALUATION_METRICS.has(c.metric)).map((c) => `${c.metric}\u0001${c.item}`))]
    .sort()
    .map((mi) => mi.split('\u0001') as [Metric, string]);

/**
 * Freezes a period as its next revision: copies its cells (with their evaluators' counts),
 * decides every canonical report's marks (revision 0 as live reads did; later ones against the
 * previous revision, so its change stays hidden when too few evaluators are behind it) and
 * records what changed. Returns the revision, or null when nothing changed since the last one.
 */
export async function freezeRevision(em: EntityManager, period: PeriodRef, now: Date, k: number): Promise<number | null> {
  // Every cached report of the period (and of its year, whose protection fixes its published marks) is stale.
  await bumpEverything(em);
  const state = await periodState(em, period);
  const revision = state.revision === null ? 0 : state.revision + 1;
  const current = (
    (await em.query(
      `SELECT c.metric, c.school, c.scope_kind, c.scope_id, c.item, c.parent, c.n, c.total_milli, c.histogram, c.evaluators,
              COALESCE((SELECT jsonb_object_agg(x.key, x.value) FROM rollup_cell_evaluator e, jsonb_each(e.counts) x
                         WHERE (e.metric, e.school, e.scope_kind, e.scope_id, e.period_kind, e.period_id, e.item)
                             = (c.metric, c.school, c.scope_kind, c.scope_id, c.period_kind, c.period_id, c.item)), '{}') AS evaluator_counts
         FROM rollup_cell c WHERE c.period_kind = $1 AND c.period_id = $2`,
      [period.kind, period.id],
    )) as SnapshotRaw[]
  ).map(fromSnapshot);
  const previous = state.revision === null ? [] : await snapshotCells(em, period, state.revision, null, METRICS);
  const cellKey = (c: CellRow & { school: string }) => `${c.school}\u0001${markKey(c.metric, c.item, c.scopeKind, c.scopeId)}`;
  const before = new Map(previous.map((c) => [cellKey(c), c]));
  const after = new Map(current.map((c) => [cellKey(c), c]));
  const same = (a: CellRow | undefined, b: CellRow | undefined) =>
    (a?.n ?? 0) === (b?.n ?? 0) &&
    (a?.totalMilli ?? 0) === (b?.totalMilli ?? 0) &&
    JSON.stringify(Object.entries(a?.histogram ?? {}).sort()) === JSON.stringify(Object.entries(b?.histogram ?? {}).sort());
  const changed = [...new Set([...before.keys(), ...after.keys()])].filter((key) => !same(before.get(key), after.get(key))).length;
  if (revision > 0 && changed === 0) {
    await em.query('UPDATE quality_period SET changed_since = NULL WHERE period_kind = $1 AND period_id = $2', [period.kind, period.id]);
    return null;
  }

  // The key its evaluators' pseudonyms were made with (ADR 0047), so a later revision compares like with like.
  const epoch = await pseudonymEpoch(em);
  await em.query(
    `INSERT INTO quality_snapshot (period_kind, period_id, revision, frozen_at, reason, changed_cells, pseudonym_epoch)
     VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [period.kind, period.id, revision, now, revision === 0 ? 'CLOSED' : 'LATE_EVENTS', revision === 0 ? 0 : changed, epoch],
  );
  if (current.length)
    await em.query(
      `INSERT INTO quality_snapshot_cell (period_kind, period_id, revision, metric, school, scope_kind, scope_id, item, parent, n, total_milli, histogram, evaluators, evaluator_counts)
       SELECT $1, $2, $3, * FROM unnest($4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::bigint[], $11::bigint[], $12::jsonb[], $13::int[], $14::jsonb[])`,
      [
        period.kind,
        period.id,
        revision,
        current.map((c) => c.metric),
        current.map((c) => c.school),
        current.map((c) => c.scopeKind),
        current.map((c) => c.scopeId),
        current.map((c) => c.item),
        current.map((c) => c.parent),
        current.map((c) => c.n),
        current.map((c) => c.totalMilli),
        current.map((c) => JSON.stringify(c.histogram)),
        current.map((c) => c.evaluators),
        current.map((c) => JSON.stringify(c.evaluatorCounts ?? {})),
      ],
    );

  const marks: { school: string; root: string; metric: string; item: string; kind: string; id: string; mark: string }[] = [];
  for (const school of [...new Set(current.map((c) => c.school))].sort()) {
    const mine = current.filter((c) => c.school === school);
    for (const root of canonicalRoots(school, mine)) {
      const evaluationMetrics = [...EVALUATION_METRICS];
      let protection: Protection;
      let tree: CellRow[] = mine.filter((c) => EVALUATION_METRICS.has(c.metric));
      if (revision === 0) {
        ({ protection, cells: tree } = await liveProtection(em, root, school, period, evaluationMetrics, k));
      } else {
        // Every earlier revision, fixed, with the change from each to this one, in the live report's systems (domain/revision-protection.ts).
        const epochs = await revisionEpochs(em, period);
        const history = await Promise.all(
          Array.from({ length: revision }, async (_, j) => ({
            cells: cellIndex(
              j === revision - 1
                ? previous.filter((c) => c.school === school)
                : await snapshotCells(em, period, j, school, EVALUATION_METRICS_LIST),
            ),
            marks: await snapshotMarks(em, period, j, school, root),
            sameKey: (epochs.get(j) ?? 0) === epoch,
          })),
        );
        protection = revisionProtection(history, mine, k, root.kind === 'NETWORK');
      }
      const nodes = scopeTree(root, tree);
      const rowsOf = new Map<string, Map<number, CellRow>>();
      const at = new Map(nodes.map((n, x) => [nodeKey(n.kind, n.id), x]));
      for (const c of tree) {
        const x = at.get(nodeKey(c.scopeKind, c.scopeId));
        if (x === undefined) continue;
        const mi = `${c.metric}\u0001${c.item}`;
        if (!rowsOf.has(mi)) rowsOf.set(mi, new Map());
        rowsOf.get(mi)!.set(x, c);
      }
      for (const [metric, item] of metricItems(tree)) {
        const decided = protection(metric, item, nodes, rowsOf.get(`${metric}\u0001${item}`) ?? new Map());
        decided.forEach((mark, x) => {
          if (mark) marks.push({ school, root: nodeKey(root.kind, root.id), metric, item, kind: nodes[x]!.kind, id: nodes[x]!.id, mark });
        });
      }
    }
  }
  if (marks.length)
    await em.query(
      `INSERT INTO quality_snapshot_mark (period_kind, period_id, revision, school, root, metric, item, scope_kind, scope_id, mark)
       SELECT $1, $2, $3, * FROM unnest($4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[])`,
      [
        period.kind,
        period.id,
        revision,
        marks.map((m) => m.school),
        marks.map((m) => m.root),
        marks.map((m) => m.metric),
        marks.map((m) => m.item),
        marks.map((m) => m.kind),
        marks.map((m) => m.id),
        marks.map((m) => m.mark),
      ],
    );
  await em.query(
    `INSERT INTO quality_period (period_kind, period_id, revision, frozen_at) VALUES ($1, $2, $3, $4)
     ON CONFLICT (period_kind, period_id) DO UPDATE SET revision = EXCLUDED.revision,
       frozen_at = COALESCE(quality_period.frozen_at, EXCLUDED.frozen_at), changed_since = NULL`,
    [period.kind, period.id, revision, now],
  );
  return revision;
}

/**
 * The sweep the worker's job scheduler runs. Freezes every period that has ended (its last day
 * plus `graceDays` is over at local midnight in the time zone of every institution with figures
 * in it) and is not frozen yet as revision 0, and turns the late changes of
 * frozen periods into their next revision; each in its own transaction holding the rollups' rebuild lock exclusively, so no event
 * lands half before and half after the copy. Blocks first (a year's product protection fixes
 * its closed blocks' decisions), then terms, then years. Returns the periods frozen or revised.
 */
export async function freezeDuePeriods(
  ds: DataSource,
  now: Date,
  k: number,
  graceDays: number,
  onPublished: (em: EntityManager, period: PeriodRef) => Promise<unknown> = async () => undefined,
): Promise<PeriodRef[]> {
  // Candidates by date (the zone furthest east, UTC+14, closes a day up to 14 hours before UTC);
  // then each period's close: midnight after its last day plus the grace days, in the time zone
  // of every institution with figures in it (UTC for those whose zone quality does not know),
  // the latest of them — a period is one snapshot for the whole network.
  const cutoff = new Date(now.getTime() - graceDays * DAY_MS).toISOString().slice(0, 10);
  const due = (await ds.query(
    `SELECT p.period_kind, p.period_id FROM quality_period p
      WHERE p.revision IS NULL AND p.ends_on <= $1
        AND $2::timestamptz >= (
          SELECT COALESCE(max(((p.ends_on + 1 + $3::int)::timestamp) AT TIME ZONE COALESCE(i.timezone, 'UTC')),
                          ((p.ends_on + 1 + $3::int)::timestamp) AT TIME ZONE 'UTC')
            FROM quality_period_institution pi LEFT JOIN known_institution i ON i.id::text = pi.institution_id
           WHERE pi.period_kind = p.period_kind AND pi.period_id = p.period_id)
      ORDER BY CASE p.period_kind WHEN 'BLOCK' THEN 0 WHEN 'TERM' THEN 1 ELSE 2 END, p.ends_on, p.period_id`,
    [cutoff, now, graceDays],
  )) as { period_kind: PeriodKind; period_id: string }[];
  const frozen: PeriodRef[] = [];
  const changed = (await ds.query(
    `SELECT period_kind, period_id FROM quality_period WHERE revision IS NOT NULL AND changed_since IS NOT NULL
      ORDER BY CASE period_kind WHEN 'BLOCK' THEN 0 WHEN 'TERM' THEN 1 ELSE 2 END, ends_on, period_id`,
  )) as { period_kind: PeriodKind; period_id: string }[];
  for (const d of [...due, ...changed]) {
    const period = { kind: d.period_kind, id: d.period_id };
    const done = await ds.transaction(async (em) => {
      await em.query('SELECT pg_advisory_xact_lock(hashtext($1))', ['quality:rebuild']);
      const state = await periodState(em, period);
      const first = due.includes(d);
      if (first ? state.revision !== null : state.revision === null) return false;
      const revision = await freezeRevision(em, period, now, k);
      // The published figures changed: rules watching the period are judged against them now.
      if (revision !== null) await onPublished(em, period);
      return revision !== null;
    });
    if (done) frozen.push(period);
  }
  return frozen;
}

/** Where a report's figures come from. */
export interface ReportSource {
  /** LIVE (the period is open) or SNAPSHOT (a frozen revision). */
  kind: 'LIVE' | 'SNAPSHOT';
  /** The revision shown; null for live figures. */
  revision: number | null;
  /** The latest revision of the period; null while it is open. */
  latestRevision: number | null;
}

/**
 * The canonical report of a cohort under `root` for a period: its latest revision once the
 * period is frozen (or the revision asked for), live figures while it is open. Asking for a
 * revision that does not exist is answered with null.
 */
export async function canonicalReport(
  em: EntityManager,
  root: { kind: ScopeKind; id: string },
  school: string,
  period: PeriodRef,
  metrics: readonly Metric[],
  k: number,
  revision: number | null = null,
): Promise<{ report: ReportRow; source: ReportSource } | null> {
  const family = await periodFamily(em, period);
  const state = family.state;
  const shown = revision ?? state.revision;
  if (shown === null) {
    const { cells, protection } = await liveProtection(em, root, school, period, metrics, k, family);
    return { report: buildReport(root, cells, metrics, k, protection), source: { kind: 'LIVE', revision: null, latestRevision: null } };
  }
  if (state.revision === null || shown < 0 || shown > state.revision) return null;
  const cells = await snapshotCells(em, period, shown, school, metrics);
  const marks = await snapshotMarks(em, period, shown, school, root);
  return {
    report: buildReport(root, cells, metrics, k, publishedProtection(marks)),
    source: { kind: 'SNAPSHOT', revision: shown, latestRevision: state.revision },
  };
}
