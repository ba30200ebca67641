import { createHash } from 'node:crypto';

/**
 * How a cell's evaluators are stored (ADR 0037): a multiset pseudonym → contributions, under a
 * short pseudonym (64 bits of the keyed hash), split into buckets of about
 * `EVALUATORS_PER_BUCKET` by the short pseudonym's leading bits. A small cell is one bucket (one
 * row); a cell with thousands of evaluators (the network's or a school's year) is many small
 * buckets, so incremental apply rewrites a bucket of a few dozen entries, never the whole set.
 * The number of buckets is a function of the distinct count alone (the next power of two that
 * keeps the mean at or below the target), so the layout depends only on the multiset: a rebuild
 * and incremental apply write the same rows.
 */
export const EVALUATORS_PER_BUCKET = 64;

/** Hex digits of a stored pseudonym (64 bits). */
export const SHORT_PSEUDONYM_LENGTH = 16;

const HEX_PREFIX = /^[0-9a-f]{16}/;

/**
 * A pseudonym as stored in a cell: its first 64 bits (it is already a keyed hash: HMAC-SHA256 of
 * an evaluator, SHA-256 of a student). Anything else (not lower-case hex) is hashed first. Two
 * evaluators whose pseudonyms share 64 bits count as one: fewer distinct evaluators, so more is
 * hidden, never less.
 */
export function shortPseudonym(pseudonym: string): string {
  if (HEX_PREFIX.test(pseudonym)) return pseudonym.slice(0, SHORT_PSEUDONYM_LENGTH);
  return createHash('sha256').update(pseudonym).digest('hex').slice(0, SHORT_PSEUDONYM_LENGTH);
}

/** The same in SQL, for migrations: `col` is a text expression. */
export const shortPseudonymSql = (col: string): string =>
  `CASE WHEN ${col} ~ '^[0-9a-f]{16}' THEN left(${col}, 16) ELSE left(encode(sha256(convert_to(${col}, 'UTF8')), 'hex'), 16) END`;

/** Leading bits that choose a bucket for a cell with `distinct` evaluators (0: one bucket). */
export function bucketBits(distinct: number): number {
  let bits = 0;
  while (distinct > EVALUATORS_PER_BUCKET * 2 ** bits) bits++;
  return bits;
}

/** The same in SQL: `distinct` is an integer expression. */
export const bucketBitsSql = (distinct: string): string =>
  `(SELECT min(b) FROM generate_series(0, 31) b WHERE ${distinct} <= ${EVALUATORS_PER_BUCKET}::bigint << b)`;

/** The bucket of a short pseudonym among 2^bits: its leading `bits` bits. */
export function bucketOf(short: string, bits: number): number {
  if (bits === 0) return 0;
  return parseInt(short.slice(0, 8), 16) >>> (32 - bits);
}

/** The same in SQL. */
export const bucketOfSql = (short: string, bits: string): string => `(('x' || left(${short}, 8))::bit(32)::bigint >> (32 - ${bits}))::int`;

/** A multiset under short pseudonyms (counts of colliding pseudonyms summed, zeros dropped). */
export function shortened(evaluators: Readonly<Record<string, number>>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const p in evaluators) {
    const s = shortPseudonym(p);
    const next = (out[s] ?? 0) + evaluators[p]!;
    if (next === 0) delete out[s];
    else out[s] = next;
  }
  return out;
}

/** A cell's whole multiset (short pseudonyms) as its buckets, by bucket number; empty for no evaluators. */
export function bucketize(evaluators: Readonly<Record<string, number>>): Map<number, Record<string, number>> {
  const keys = Object.keys(evaluators);
  const bits = bucketBits(keys.length);
  const out = new Map<number, Record<string, number>>();
  for (const p of keys) {
    const b = bucketOf(p, bits);
    let bucket = out.get(b);
    if (!bucket) out.set(b, (bucket = {}));
    bucket[p] = evaluators[p]!;
  }
  return out;
}
