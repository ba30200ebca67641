import { type EntityManager } from 'typeorm';
import { type CellDelta } from '../domain/cells';

const KEY_COLUMNS = ['metric', 'school', 'scope_kind', 'scope_id', 'period_kind', 'period_id', 'item'] as const;
const KEY = KEY_COLUMNS.join(', ');
const KEY_ARRAYS = KEY_COLUMNS.map((_, i) => `$${i + 1}::text[]`).join(', ');
const keyArrays = (deltas: readonly CellDelta[]): string[][] => [
  deltas.map((d) => d.key.metric),
  deltas.map((d) => d.key.school),
  deltas.map((d) => d.key.scopeKind),
  deltas.map((d) => d.key.scopeId),
  deltas.map((d) => d.key.periodKind),
  deltas.map((d) => d.key.periodId),
  deltas.map((d) => d.key.item),
];
const keyString = (d: CellDelta): string =>
  `${d.key.metric}\u0001${d.key.school}\u0001${d.key.scopeKind}\u0001${d.key.scopeId}\u0001${d.key.periodKind}\u0001${d.key.periodId}\u0001${d.key.item}`;

type KeyRow = {
  metric: string;
  school: string;
  scope_kind: string;
  scope_id: string;
  period_kind: string;
  period_id: string;
  item: string;
};
const rowKey = (r: KeyRow): string =>
  `${r.metric}\u0001${r.school}\u0001${r.scope_kind}\u0001${r.scope_id}\u0001${r.period_kind}\u0001${r.period_id}\u0001${r.item}`;
const PK_MATCH = KEY_COLUMNS.map((c, i) => `${c} = $${i + 1}`).join(' AND ');
const keyParams = (r: KeyRow): string[] => [r.metric, r.school, r.scope_kind, r.scope_id, r.period_kind, r.period_id, r.item];

/**
 * Adds the deltas to the rollup cells: one upsert of the cells (count, exact sum,
 * distribution) and one of their evaluators, whatever the number of deltas; the rows that
 * reach zero (rare: a retracted contribution) are deleted by primary key, and the cells'
 * distinct-evaluator counts move by the evaluator rows that appeared or vanished. Rows are
 * written in key order so two transactions touching the same cells lock them in the same order.
 */
export async function applyDeltas(em: EntityManager, unsorted: readonly CellDelta[]): Promise<void> {
  if (!unsorted.length) return;
  const deltas = [...unsorted].sort((a, b) => (keyString(a) < keyString(b) ? -1 : keyString(a) > keyString(b) ? 1 : 0));
  const cells = (await em.query(
    `INSERT INTO rollup_cell (${KEY}, parent, n, total_milli, histogram)
     SELECT * FROM unnest(${KEY_ARRAYS}, $8::text[], $9::bigint[], $10::bigint[], $11::jsonb[])
     ON CONFLICT (${KEY}) DO UPDATE SET
       n = rollup_cell.n + EXCLUDED.n,
       total_milli = rollup_cell.total_milli + EXCLUDED.total_milli,
       histogram = quality_merge_histogram(rollup_cell.histogram, EXCLUDED.histogram)
     RETURNING ${KEY}, n`,
    [
      ...keyArrays(deltas),
      deltas.map((d) => d.key.parent),
      deltas.map((d) => d.n),
      deltas.map((d) => d.totalMilli),
      deltas.map((d) => JSON.stringify(d.histogram)),
    ],
  )) as (KeyRow & { n: string })[];
  const emptied = new Set<string>();
  for (const c of cells.filter((r) => Number(r.n) === 0)) {
    emptied.add(rowKey(c));
    await em.query(`DELETE FROM rollup_cell WHERE ${PK_MATCH}`, keyParams(c));
  }

  const rows = deltas.flatMap((d) => Object.entries(d.evaluators).map(([pseudonym, n]) => ({ d, pseudonym, n })));
  if (!rows.length) return;
  const evaluators = (await em.query(
    `INSERT INTO rollup_cell_evaluator (${KEY}, pseudonym, n)
     SELECT * FROM unnest(${KEY_ARRAYS}, $8::text[], $9::int[])
     ON CONFLICT (${KEY}, pseudonym) DO UPDATE SET n = rollup_cell_evaluator.n + EXCLUDED.n
     RETURNING ${KEY}, pseudonym, n, (xmax = 0) AS inserted`,
    [...keyArrays(rows.map((r) => r.d)), rows.map((r) => r.pseudonym), rows.map((r) => r.n)],
  )) as (KeyRow & { pseudonym: string; n: number; inserted: boolean })[];
  const moved = new Map<string, { key: KeyRow; by: number }>();
  for (const e of evaluators) {
    const by = e.inserted && e.n > 0 ? 1 : !e.inserted && e.n === 0 ? -1 : 0;
    if (e.n === 0) await em.query(`DELETE FROM rollup_cell_evaluator WHERE ${PK_MATCH} AND pseudonym = $8`, [...keyParams(e), e.pseudonym]);
    if (!by) continue;
    const k = rowKey(e);
    moved.set(k, { key: e, by: (moved.get(k)?.by ?? 0) + by });
  }
  const changes = [...moved.entries()].filter(([k, m]) => m.by !== 0 && !emptied.has(k)).map(([, m]) => m);
  if (!changes.length) return;
  await em.query(
    `UPDATE rollup_cell c SET evaluators = c.evaluators + k.by
       FROM unnest(${KEY_ARRAYS}, $8::int[]) AS k(metric, school, scope_kind, scope_id, period_kind, period_id, item, by)
      WHERE (c.metric, c.school, c.scope_kind, c.scope_id, c.period_kind, c.period_id, c.item)
          = (k.metric, k.school, k.scope_kind, k.scope_id, k.period_kind, k.period_id, k.item)`,
    [...KEY_COLUMNS.map((col) => changes.map((m) => m.key[col])), changes.map((m) => m.by)],
  );
}
