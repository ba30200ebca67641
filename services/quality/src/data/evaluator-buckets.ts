import { type EntityManager } from 'typeorm';
import { bucketBits, bucketize, bucketOf, shortened } from '../domain/evaluator-buckets';
import { KEY, KEY_ARRAYS, keyArrays, type KeyRow, rowKey } from './cell-keys';

/** One cell's evaluator deltas (full pseudonyms, as the fold makes them). */
export interface EvaluatorDelta {
  key: KeyRow;
  /** rowKey(key). */
  id: string;
  evaluators: Readonly<Record<string, number>>;
}

type BucketRow = { key: KeyRow; bucket: number; counts: Record<string, number> };

const CELL_AND_BUCKET = `(e.metric, e.school, e.scope_kind, e.scope_id, e.period_kind, e.period_id, e.item, e.bucket)
  = (k.metric, k.school, k.scope_kind, k.scope_id, k.period_kind, k.period_id, k.item, k.bucket)`;
const CELL = `(e.metric, e.school, e.scope_kind, e.scope_id, e.period_kind, e.period_id, e.item)
  = (k.metric, k.school, k.scope_kind, k.scope_id, k.period_kind, k.period_id, k.item)`;
const K_COLUMNS = `k(${KEY}, bucket)`;

const bump = (into: Record<string, number>, p: string, by: number): -1 | 0 | 1 => {
  const was = into[p] ?? 0;
  const next = was + by;
  if (next === 0) delete into[p];
  else into[p] = next;
  return was === 0 && next !== 0 ? 1 : was !== 0 && next === 0 ? -1 : 0;
};

/**
 * Adds evaluator deltas to the cells' buckets (ADR 0037), in a fixed number of statements: the
 * touched buckets are read (chosen by the distinct count each cell had before, `before`), merged
 * here, and written back (an empty bucket deleted). When a cell's count crosses a bucket-count
 * boundary, its whole multiset is read and laid out again (the layout is a function of the
 * count: what a rebuild would write). Callers hold the cells' row locks (the cell upsert), so
 * nothing else changes these buckets meanwhile. Returns each touched cell's distinct count
 * before and after.
 */
export async function applyEvaluatorDeltas(
  em: EntityManager,
  deltas: readonly EvaluatorDelta[],
  before: ReadonlyMap<string, number>,
): Promise<Map<string, { key: KeyRow; before: number; after: number }>> {
  const counts = new Map<string, { key: KeyRow; before: number; after: number }>();
  const wanted: BucketRow[] = [];
  const moves: { d: EvaluatorDelta; bits: number; short: Record<string, number> }[] = [];
  for (const d of deltas) {
    const short = shortened(d.evaluators);
    if (!Object.keys(short).length) continue;
    const was = before.get(d.id) ?? 0;
    const bits = bucketBits(was);
    counts.set(d.id, { key: d.key, before: was, after: was });
    moves.push({ d, bits, short });
    for (const b of new Set(Object.keys(short).map((p) => bucketOf(p, bits)))) wanted.push({ key: d.key, bucket: b, counts: {} });
  }
  if (!wanted.length) return counts;

  // The touched buckets as stored.
  const stored = (await em.query(
    `SELECT e.${KEY.replace(/, /g, ', e.')}, e.bucket, e.counts FROM rollup_cell_evaluator e
       JOIN unnest(${KEY_ARRAYS}, $8::int[]) AS ${K_COLUMNS} ON ${CELL_AND_BUCKET}`,
    [...keyArrays(wanted.map((w) => w.key)), wanted.map((w) => w.bucket)],
  )) as (KeyRow & { bucket: number; counts: Record<string, number> })[];
  const buckets = new Map<string, BucketRow>(wanted.map((w) => [`${rowKey(w.key)}\u0002${w.bucket}`, w]));
  for (const s of stored) buckets.get(`${rowKey(s)}\u0002${s.bucket}`)!.counts = s.counts;

  for (const { d, bits, short } of moves) {
    const c = counts.get(d.id)!;
    for (const p in short) c.after += bump(buckets.get(`${d.id}\u0002${bucketOf(p, bits)}`)!.counts, p, short[p]!);
  }

  // Cells whose bucket count changes: their whole multiset, laid out again.
  const relaid = moves.filter(({ d, bits }) => bucketBits(counts.get(d.id)!.after) !== bits).map((m) => m.d);
  const relaidIds = new Set(relaid.map((d) => d.id));
  const writes = [...buckets.values()].filter((b) => !relaidIds.has(rowKey(b.key)));
  if (relaid.length) {
    const whole = new Map<string, Record<string, number>>(relaid.map((d) => [d.id, {}]));
    // TypeORM answers a DELETE … RETURNING with [rows, count].
    const [rows] = (await em.query(
      `DELETE FROM rollup_cell_evaluator e USING unnest(${KEY_ARRAYS}) AS k(${KEY}) WHERE ${CELL}
       RETURNING e.${KEY.replace(/, /g, ', e.')}, e.bucket, e.counts`,
      keyArrays(relaid.map((d) => d.key)),
    )) as [(KeyRow & { bucket: number; counts: Record<string, number> })[], number];
    for (const r of rows) {
      // A touched bucket counts as merged above; the others as stored.
      if (buckets.has(`${rowKey(r)}\u0002${r.bucket}`)) continue;
      Object.assign(whole.get(rowKey(r))!, r.counts);
    }
    for (const b of buckets.values()) {
      const all = whole.get(rowKey(b.key));
      if (all) Object.assign(all, b.counts);
    }
    for (const d of relaid)
      for (const [bucket, bucketCounts] of bucketize(whole.get(d.id)!)) writes.push({ key: d.key, bucket, counts: bucketCounts });
  }

  const kept = writes.filter((w) => Object.keys(w.counts).length);
  const emptied = writes.filter((w) => !Object.keys(w.counts).length);
  if (kept.length)
    await em.query(
      `INSERT INTO rollup_cell_evaluator (${KEY}, bucket, counts)
       SELECT * FROM unnest(${KEY_ARRAYS}, $8::int[], $9::jsonb[])
       ON CONFLICT (${KEY}, bucket) DO UPDATE SET counts = EXCLUDED.counts`,
      [...keyArrays(kept.map((w) => w.key)), kept.map((w) => w.bucket), kept.map((w) => JSON.stringify(w.counts))],
    );
  if (emptied.length)
    await em.query(`DELETE FROM rollup_cell_evaluator e USING unnest(${KEY_ARRAYS}, $8::int[]) AS ${K_COLUMNS} WHERE ${CELL_AND_BUCKET}`, [
      ...keyArrays(emptied.map((w) => w.key)),
      emptied.map((w) => w.bucket),
    ]);
  return counts;
}
