import { type CellKey, type Contribution } from './contributions';

/**
 * The rollup arithmetic's second half: contributions summed per cell. A cell holds a count,
 * the sum of its values in thousandths (integers, so sums are exact in any order and batch), a distribution (value → count) and how many contributions each
 * evaluator made (the distinct-evaluator count is the number of evaluators with a non-zero
 * count). Every part is a sum, so adding and retracting commute and a cell's content depends
 * only on which contributions are in it.
 */
export interface CellDelta {
  key: CellKey;
  n: number;
  /** Sum of the values, in thousandths. */
  totalMilli: number;
  histogram: Record<string, number>;
  evaluators: Record<string, number>;
}

/** One string per cell, for grouping (the parent is a function of the scope, so it is not part of it). */
export const cellId = (k: CellKey): string => [k.metric, k.school, k.scopeKind, k.scopeId, k.periodKind, k.periodId, k.item].join('\u0001');

/** A value's distribution bucket: whole values as they are, others to one decimal. */
export const bucketOf = (value: number): string => (Number.isInteger(value) ? String(value) : value.toFixed(1));

function bump(record: Record<string, number>, key: string, by: number): void {
  const next = (record[key] ?? 0) + by;
  if (next === 0) delete record[key];
  else record[key] = next;
}

/** Adds `sign` × each contribution to the deltas (grouped by cell). */
export function accumulate(into: Map<string, CellDelta>, contributions: readonly Contribution[], sign: 1 | -1): Map<string, CellDelta> {
  for (const c of contributions) {
    const id = cellId(c.key);
    let d = into.get(id);
    if (!d) {
      d = { key: c.key, n: 0, totalMilli: 0, histogram: {}, evaluators: {} };
      into.set(id, d);
    }
    d.n += sign * (c.weight ?? 1);
    if (c.value !== null) {
      d.totalMilli += sign * Math.round(c.value * 1000);
      bump(d.histogram, bucketOf(c.value), sign);
    }
    if (c.evaluator) bump(d.evaluators, c.evaluator, sign);
  }
  return into;
}

/** The deltas that turn an aggregate's previous contribution into its next one (cells that net to nothing left out). */
export function diff(previous: readonly Contribution[], next: readonly Contribution[]): CellDelta[] {
  const deltas = accumulate(accumulate(new Map(), previous, -1), next, 1);
  return [...deltas.values()].filter(
    (d) => d.n !== 0 || d.totalMilli !== 0 || Object.keys(d.histogram).length || Object.keys(d.evaluators).length,
  );
}

/** Mean of a cell; null when empty. */
export const meanOf = (n: number, totalMilli: number): number | null => (n > 0 ? Math.round(totalMilli / n) / 1000 : null);

/** The median of a distribution (lower median for an even count), e.g. of days to submit. */
export function medianOf(histogram: Record<string, number>): number | null {
  const entries = Object.entries(histogram)
    .map(([k, v]) => [Number(k), v] as const)
    .sort((a, b) => a[0] - b[0]);
  const n = entries.reduce((s, [, v]) => s + v, 0);
  if (n <= 0) return null;
  let seen = 0;
  for (const [value, count] of entries) {
    seen += count;
    if (seen >= Math.ceil(n / 2)) return value;
  }
  return null;
}
