import { type FoldedCells, KEY_PARTS } from '../domain/cell-sums';
import { bucketBits } from '../domain/evaluator-buckets';

/**
 * A rebuild's cells as lines of COPY's text format (ADR 0052), straight from the fold's typed
 * arrays: the columns of `CELL_COLUMNS` (rollup_cell) and `BUCKET_COLUMNS` (rollup_cell_evaluator,
 * ADR 0037: short pseudonyms, one row for a cell of up to 64 evaluators, above that 2^b buckets by
 * the pseudonym's leading bits) — the same rows `CellRows` makes from objects. Each distinct
 * string is escaped once, not once per row; the JSON of a distribution or a bucket is made here
 * (its keys, bucket names and hex pseudonyms, need no escaping; jsonb does not keep key order).
 */

const SPECIAL = /[\\\t\n\r]/g;
const ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };
/** A string as one field of COPY's text format. */
export const copyText = (s: string): string => s.replace(SPECIAL, (c) => ESCAPES[c]!);

/** A fact's line: its aggregate and the ids of its events (uuids as PostgreSQL prints them: nothing to quote). */
export const factLine = (aggregateType: string, aggregateId: string, eventIds: readonly string[]): string =>
  `${copyText(aggregateType)}\t${copyText(aggregateId)}\t{${eventIds.join(',')}}\n`;

/** The key columns of each cell, tab-separated and escaped (strings escaped once each). */
function keyFields(v: FoldedCells): (cell: number) => string {
  const escaped = v.strings.map(copyText);
  return (cell) => {
    const at = cell * KEY_PARTS;
    let out = escaped[v.keys[at]!]!;
    for (let j = 1; j < KEY_PARTS; j++) out += `\t${escaped[v.keys[at + j]!]!}`;
    return out;
  };
}

/** The rows of `rollup_cell`. */
export function* cellLines(v: FoldedCells): Generator<string> {
  const key = keyFields(v);
  const escaped = v.strings.map(copyText);
  const { offsets, seconds, counts } = v.histogram;
  for (let cell = 0; cell < v.count; cell++) {
    if (v.taken[cell]) continue;
    let histogram = '';
    for (let i = offsets[cell]!; i < offsets[cell + 1]!; i++)
      histogram += `${histogram ? ',' : '{'}"${v.bucketNames[seconds[i]!]!}":${counts[i]!}`;
    const parent = v.parents[cell]!;
    const distinct = v.evaluators.offsets[cell + 1]! - v.evaluators.offsets[cell]!;
    yield `${key(cell)}\t${parent < 0 ? '\\N' : escaped[parent]!}\t${v.n[cell]!}\t${v.totals[cell]!}\t${histogram ? `${histogram}}` : '{}'}\t${distinct}\n`;
  }
}

/** The rows of `rollup_cell_evaluator`: each cell's evaluators in its buckets. */
export function* bucketLines(v: FoldedCells): Generator<string> {
  const key = keyFields(v);
  const { offsets, seconds, counts } = v.evaluators;
  // A cell's entries by bucket (reused): how many in each, then their positions.
  let starts = new Int32Array(2);
  let order = new Int32Array(64);
  for (let cell = 0; cell < v.count; cell++) {
    const from = offsets[cell]!;
    const distinct = offsets[cell + 1]! - from;
    if (v.taken[cell] || !distinct) continue;
    const bits = bucketBits(distinct);
    const prefix = key(cell);
    if (bits === 0) {
      yield `${prefix}\t0\t${countsJson(v, from, distinct, null)}\n`;
      continue;
    }
    const buckets = 2 ** bits;
    if (starts.length < buckets + 1) starts = new Int32Array(buckets + 1);
    if (order.length < distinct) order = new Int32Array(distinct);
    starts.fill(0, 0, buckets + 1);
    const bucketOf = (i: number) => v.leads[seconds[from + i]!]! >>> (32 - bits);
    for (let i = 0; i < distinct; i++) starts[bucketOf(i) + 1]! += 1;
    for (let b = 0; b < buckets; b++) starts[b + 1]! += starts[b]!;
    const next = starts.slice(0, buckets);
    for (let i = 0; i < distinct; i++) order[next[bucketOf(i)]!++] = from + i;
    for (let b = 0; b < buckets; b++) {
      const size = starts[b + 1]! - starts[b]!;
      if (size) yield `${prefix}\t${b}\t${countsJson(v, starts[b]!, size, order)}\n`;
    }
  }

  /** `{"short":count,…}` of `size` entries from `at`, in the order given (`order`) or as stored. */
  function countsJson(v: FoldedCells, at: number, size: number, order: Int32Array | null): string {
    let json = '{';
    for (let i = 0; i < size; i++) {
      const entry = order ? order[at + i]! : at + i;
      json += `${i ? ',' : ''}"${v.shorts[seconds[entry]!]!}":${counts[entry]!}`;
    }
    return `${json}}`;
  }
}
