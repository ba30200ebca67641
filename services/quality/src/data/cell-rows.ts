import { type BulkColumn } from '@medcollab/scale-world';
import { type SumCell } from '../domain/cell-sums';
import { bucketBits, bucketOf } from '../domain/evaluator-buckets';

/** The columns a rebuild (and the large world's load) writes in bulk, in `bulkInsert`'s terms. */
const KEY_COLUMNS = [
  ['metric', 'text'],
  ['school', 'text'],
  ['scope_kind', 'text'],
  ['scope_id', 'text'],
  ['period_kind', 'text'],
  ['period_id', 'text'],
  ['item', 'text'],
] as const satisfies readonly BulkColumn[];
// The jsonb columns arrive as JSON text made here ('text': written as they are; the table parses them as jsonb).
export const CELL_COLUMNS: readonly BulkColumn[] = [
  ...KEY_COLUMNS,
  ['parent', 'text'],
  ['n', 'bigint'],
  ['total_milli', 'bigint'],
  ['histogram', 'text'],
  ['evaluators', 'int'],
];
export const BUCKET_COLUMNS: readonly BulkColumn[] = [...KEY_COLUMNS, ['bucket', 'int'], ['counts', 'text']];
export const FACT_COLUMNS: readonly BulkColumn[] = [
  ['aggregate_type', 'text'],
  ['aggregate_id', 'text'],
  ['event_ids', 'uuid[]'],
];

const keyOf = (d: SumCell) => [d.key.metric, d.key.school, d.key.scopeKind, d.key.scopeId, d.key.periodKind, d.key.periodId, d.key.item];

/** A map of counts as a JSON object; its keys (distribution buckets, hex pseudonyms) need no escaping. */
function countsJson(entries: Iterable<[string, number]>): string {
  let json = '';
  for (const [key, count] of entries) json += `${json ? ',' : '{'}"${key}":${count}`;
  return json ? `${json}}` : '{}';
}

/**
 * Cells as rows of `rollup_cell` (with their distinct-evaluator counts) and of
 * `rollup_cell_evaluator` (each cell's evaluators as its buckets, ADR 0037: short pseudonyms, one
 * row for a cell of up to 64 evaluators, above that 2^b buckets by the pseudonym's leading bits).
 */
export class CellRows {
  constructor(private readonly of: () => Iterable<SumCell>) {}

  *cells(): Generator<unknown[]> {
    for (const d of this.of()) yield [...keyOf(d), d.key.parent, d.n, d.totalMilli, countsJson(d.histogram), d.evaluators.size];
  }

  *buckets(): Generator<unknown[]> {
    for (const d of this.of()) {
      if (!d.evaluators.size) continue;
      const bits = bucketBits(d.evaluators.size);
      const key = keyOf(d);
      if (bits === 0) {
        yield [...key, 0, countsJson(d.evaluators)];
        continue;
      }
      const buckets = new Map<number, [string, number][]>();
      for (const entry of d.evaluators) {
        const b = bucketOf(entry[0], bits);
        const held = buckets.get(b);
        if (held) held.push(entry);
        else buckets.set(b, [entry]);
      }
      for (const [bucket, entries] of buckets) yield [...key, bucket, countsJson(entries)];
    }
  }
}
