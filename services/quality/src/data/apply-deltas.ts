import { type EntityManager } from 'typeorm';
import { type CellDelta } from '../domain/cells';
import { KEY, KEY_ARRAYS, KEY_COLUMNS, keyArrays, keyParams, keyRowOf, type KeyRow, PK_MATCH, rowKey } from './cell-keys';
import { applyEvaluatorDeltas } from './evaluator-buckets';

/**
 * Adds the deltas to the rollup cells: one upsert of the cells (count, exact sum, distribution),
 * whatever the number of deltas, then their evaluators (the buckets the deltas touch, ADR 0037);
 * the cells that reach zero (rare: a retracted contribution) are deleted by primary key, and the
 * cells' distinct-evaluator counts move by the evaluators that appeared or vanished. Rows are
 * written in key order so two transactions touching the same cells lock them in the same order
 * (a cell's row lock, taken by the upsert, also guards its evaluator buckets).
 */
export async function applyDeltas(em: EntityManager, unsorted: readonly CellDelta[]): Promise<void> {
  if (!unsorted.length) return;
  const keyed = unsorted.map((d) => ({ d, key: keyRowOf(d), id: rowKey(keyRowOf(d)) }));
  keyed.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const deltas = keyed.map((k) => k.d);
  const cells = (await em.query(
    `INSERT INTO rollup_cell (${KEY}, parent, n, total_milli, histogram)
     SELECT * FROM unnest(${KEY_ARRAYS}, $8::text[], $9::bigint[], $10::bigint[], $11::jsonb[])
     ON CONFLICT (${KEY}) DO UPDATE SET
       n = rollup_cell.n + EXCLUDED.n,
       total_milli = rollup_cell.total_milli + EXCLUDED.total_milli,
       histogram = quality_merge_histogram(rollup_cell.histogram, EXCLUDED.histogram)
     RETURNING ${KEY}, n, evaluators`,
    [
      ...keyArrays(keyed.map((k) => k.key)),
      deltas.map((d) => d.key.parent),
      deltas.map((d) => d.n),
      deltas.map((d) => d.totalMilli),
      deltas.map((d) => JSON.stringify(d.histogram)),
    ],
  )) as (KeyRow & { n: string; evaluators: number })[];
  const emptied = new Set<string>();
  for (const c of cells.filter((r) => Number(r.n) === 0)) {
    emptied.add(rowKey(c));
    await em.query(`DELETE FROM rollup_cell WHERE ${PK_MATCH}`, keyParams(c));
  }

  // The distinct count each cell had before these deltas (returned by the upsert, which left it as it was).
  const before = new Map(cells.map((c) => [rowKey(c), c.evaluators]));
  const counts = await applyEvaluatorDeltas(
    em,
    keyed.map((k) => ({ key: k.key, id: k.id, evaluators: k.d.evaluators })),
    before,
  );
  const changes = [...counts].filter(([id, c]) => c.after !== c.before && !emptied.has(id)).map(([, c]) => c);
  if (!changes.length) return;
  await em.query(
    `UPDATE rollup_cell c SET evaluators = k.evaluators
       FROM unnest(${KEY_ARRAYS}, $8::int[]) AS k(metric, school, scope_kind, scope_id, period_kind, period_id, item, evaluators)
      WHERE (c.metric, c.school, c.scope_kind, c.scope_id, c.period_kind, c.period_id, c.item)
          = (k.metric, k.school, k.scope_kind, k.scope_id, k.period_kind, k.period_id, k.item)`,
    [...KEY_COLUMNS.map((col) => changes.map((m) => m.key[col])), changes.map((m) => m.after)],
  );
}
