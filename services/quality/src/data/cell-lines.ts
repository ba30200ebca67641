import { type FoldedCells, KEY_PARTS } from '../domain/cell-sums';
import { bucketBits } from '../domain/evaluator-buckets';
import { CopyWriter } from './copy-writer';

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

/** Writes a fact's line: its aggregate and the ids of its events (uuids as PostgreSQL prints them: nothing to quote). */
export function factLine(out: CopyWriter, aggregateType: string, aggregateId: string, eventIds: readonly string[]): void {
  out.text(`${copyText(aggregateType)}\t${copyText(aggregateId)}\t{${eventIds.join(',')}}`);
  out.endLine();
}

/** The key columns of each cell, tab-separated and escaped (each distinct string escaped and encoded once). */
function keyFields(v: FoldedCells, encoded: readonly Uint8Array[], out: CopyWriter): (cell: number) => void {
  return (cell) => {
    const at = cell * KEY_PARTS;
    out.bytes(encoded[v.keys[at]!]!);
    for (let j = 1; j < KEY_PARTS; j++) {
      out.char(TAB);
      out.bytes(encoded[v.keys[at + j]!]!);
    }
  };
}

const TAB = 9;
const COMMA = 44;
const OPEN = 123;
const CLOSE = 125;
const NULL = CopyWriter.bytesOf('\\N');
const EMPTY_OBJECT = CopyWriter.bytesOf('{}');
/** `"name":` of each name, encoded once: the start of an entry of a JSON object of counts. */
const entryStarts = (names: readonly string[]) => names.map((name) => CopyWriter.bytesOf(`"${name}":`));

/** Writes the rows of `rollup_cell` into `out`, pausing whenever a piece is ready to be taken. */
export function* cellLines(v: FoldedCells, out: CopyWriter): Generator<void> {
  const encoded = v.strings.map((s) => CopyWriter.bytesOf(copyText(s)));
  const key = keyFields(v, encoded, out);
  const buckets = entryStarts(v.bucketNames);
  const { offsets, seconds, counts } = v.histogram;
  for (let cell = 0; cell < v.count; cell++) {
    if (v.taken[cell]) continue;
    key(cell);
    out.char(TAB);
    const parent = v.parents[cell]!;
    out.bytes(parent < 0 ? NULL : encoded[parent]!);
    out.char(TAB);
    out.number(v.n[cell]!);
    out.char(TAB);
    out.number(v.totals[cell]!);
    out.char(TAB);
    if (offsets[cell] === offsets[cell + 1]) out.bytes(EMPTY_OBJECT);
    else {
      for (let i = offsets[cell]!; i < offsets[cell + 1]!; i++) {
        out.char(i === offsets[cell] ? OPEN : COMMA);
        out.bytes(buckets[seconds[i]!]!);
        out.number(counts[i]!);
      }
      out.char(CLOSE);
    }
    out.char(TAB);
    out.number(v.evaluators.offsets[cell + 1]! - v.evaluators.offsets[cell]!);
    out.endLine();
    if (out.ready) yield;
  }
}

/** Writes the rows of `rollup_cell_evaluator` (each cell's evaluators in its buckets) into `out`, pausing whenever a piece is ready. */
export function* bucketLines(v: FoldedCells, out: CopyWriter): Generator<void> {
  const key = keyFields(
    v,
    v.strings.map((s) => CopyWriter.bytesOf(copyText(s))),
    out,
  );
  const shorts = entryStarts(v.shorts);
  const { offsets, seconds, counts } = v.evaluators;
  // A cell's entries by bucket (reused): how many in each, then their positions.
  let starts = new Int32Array(2);
  let order = new Int32Array(64);
  for (let cell = 0; cell < v.count; cell++) {
    const from = offsets[cell]!;
    const distinct = offsets[cell + 1]! - from;
    if (v.taken[cell] || !distinct) continue;
    const bits = bucketBits(distinct);
    if (bits === 0) {
      line(cell, 0, from, distinct, null);
      if (out.ready) yield;
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
      if (size) line(cell, b, starts[b]!, size, order);
    }
    if (out.ready) yield;
  }

  /** One bucket's row: the cell's key, the bucket, `{"short":count,…}` of `size` entries from `at`, in the order given (`order`) or as stored. */
  function line(cell: number, bucket: number, at: number, size: number, order: Int32Array | null): void {
    key(cell);
    out.char(TAB);
    out.number(bucket);
    out.char(TAB);
    for (let i = 0; i < size; i++) {
      const entry = order ? order[at + i]! : at + i;
      out.char(i ? COMMA : OPEN);
      out.bytes(shorts[seconds[entry]!]!);
      out.number(counts[entry]!);
    }
    out.char(CLOSE);
    out.endLine();
  }
}
