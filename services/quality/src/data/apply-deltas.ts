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

/**
 * Adds the deltas to the rollup cells in a constant number of statements, whatever their
 * number: upsert the cells (count, exact sum, distribution), drop the cells that reach zero,
 * then the same for each cell's evaluators and the cells' distinct-evaluator counts. Rows are
 * written in key order so two transactions touching the same cells lock them in the same order.
 */
export async function applyDeltas(em: EntityManager, unsorted: readonly CellDelta[]): Promise<void> {
  if (!unsorted.length) return;
  const deltas = [...unsorted].sort((a, b) => (keyString(a) < keyString(b) ? -1 : keyString(a) > keyString(b) ? 1 : 0));
  const keys = keyArrays(deltas);
  await em.query(
    `INSERT INTO rollup_cell (${KEY}, parent, n, total_milli, histogram)
     SELECT * FROM unnest(${KEY_ARRAYS}, $8::text[], $9::bigint[], $10::bigint[], $11::jsonb[])
     ON CONFLICT (${KEY}) DO UPDATE SET
       n = rollup_cell.n + EXCLUDED.n,
       total_milli = rollup_cell.total_milli + EXCLUDED.total_milli,
       histogram = quality_merge_histogram(rollup_cell.histogram, EXCLUDED.histogram)`,
    [
      ...keys,
      deltas.map((d) => d.key.parent),
      deltas.map((d) => d.n),
      deltas.map((d) => d.totalMilli),
      deltas.map((d) => JSON.stringify(d.histogram)),
    ],
  );
  await em.query(`DELETE FROM rollup_cell WHERE (${KEY}) IN (SELECT * FROM unnest(${KEY_ARRAYS})) AND n = 0`, keys);

  const rows = deltas.flatMap((d) => Object.entries(d.evaluators).map(([pseudonym, n]) => ({ d, pseudonym, n })));
  if (!rows.length) return;
  const evKeys = keyArrays(rows.map((r) => r.d));
  await em.query(
    `INSERT INTO rollup_cell_evaluator (${KEY}, pseudonym, n)
     SELECT * FROM unnest(${KEY_ARRAYS}, $8::text[], $9::int[])
     ON CONFLICT (${KEY}, pseudonym) DO UPDATE SET n = rollup_cell_evaluator.n + EXCLUDED.n`,
    [...evKeys, rows.map((r) => r.pseudonym), rows.map((r) => r.n)],
  );
  await em.query(`DELETE FROM rollup_cell_evaluator WHERE (${KEY}) IN (SELECT * FROM unnest(${KEY_ARRAYS})) AND n = 0`, evKeys);
  const withEvaluators = deltas.filter((d) => Object.keys(d.evaluators).length);
  await em.query(
    `UPDATE rollup_cell c SET evaluators = (
        SELECT count(*) FROM rollup_cell_evaluator e
         WHERE (e.metric, e.school, e.scope_kind, e.scope_id, e.period_kind, e.period_id, e.item)
             = (c.metric, c.school, c.scope_kind, c.scope_id, c.period_kind, c.period_id, c.item))
      WHERE (${KEY}) IN (SELECT * FROM unnest(${KEY_ARRAYS}))`,
    keyArrays(withEvaluators),
  );
}

const keyString = (d: CellDelta): string =>
  `${d.key.metric}\u0001${d.key.school}\u0001${d.key.scopeKind}\u0001${d.key.scopeId}\u0001${d.key.periodKind}\u0001${d.key.periodId}\u0001${d.key.item}`;
