import { type BulkColumn } from '@medcollab/scale-world';
import { type CellDelta } from '../domain/cells';
import { bucketize, shortened } from '../domain/evaluator-buckets';

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
export const CELL_COLUMNS: readonly BulkColumn[] = [
  ...KEY_COLUMNS,
  ['parent', 'text'],
  ['n', 'bigint'],
  ['total_milli', 'bigint'],
  ['histogram', 'jsonb'],
  ['evaluators', 'int'],
];
export const BUCKET_COLUMNS: readonly BulkColumn[] = [...KEY_COLUMNS, ['bucket', 'int'], ['counts', 'jsonb']];
export const FACT_COLUMNS: readonly BulkColumn[] = [
  ['aggregate_type', 'text'],
  ['aggregate_id', 'text'],
  ['event_ids', 'uuid[]'],
];

const keyOf = (d: CellDelta) => [d.key.metric, d.key.school, d.key.scopeKind, d.key.scopeId, d.key.periodKind, d.key.periodId, d.key.item];

/**
 * Cells as rows of `rollup_cell` (with their distinct-evaluator counts) and of
 * `rollup_cell_evaluator` (each cell's evaluators as its buckets, ADR 0037: short pseudonyms, one
 * row for a cell of up to 64 evaluators). Each cell's short multiset is made once, for its
 * `rollup_cell` row, and kept until its buckets are written: read `cells()` first, then `buckets()`.
 */
export class CellRows {
  private readonly short = new Map<CellDelta, Record<string, number>>();

  constructor(private readonly of: ReadonlyMap<string, CellDelta>) {}

  *cells(): Generator<unknown[]> {
    for (const d of this.of.values()) {
      const evaluators = shortened(d.evaluators);
      this.short.set(d, evaluators);
      yield [...keyOf(d), d.key.parent, d.n, d.totalMilli, d.histogram, Object.keys(evaluators).length];
    }
  }

  *buckets(): Generator<unknown[]> {
    for (const d of this.of.values()) {
      const evaluators = this.short.get(d) ?? shortened(d.evaluators);
      this.short.delete(d);
      const key = keyOf(d);
      for (const [bucket, counts] of bucketize(evaluators)) yield [...key, bucket, counts];
    }
  }
}
