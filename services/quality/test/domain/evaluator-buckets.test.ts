import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { bucketBits, bucketize, bucketOf, EVALUATORS_PER_BUCKET, shortened, shortPseudonym } from '../../src/domain/evaluator-buckets';

const hex = (label: string) => createHash('sha256').update(label).digest('hex');

describe('a cell’s evaluators in buckets (ADR 0037)', () => {
  it('keeps 64 bits of a hex pseudonym and hashes anything else first', () => {
    const p = hex('evaluator');
    expect(shortPseudonym(p)).toBe(p.slice(0, 16));
    expect(shortPseudonym(p.slice(0, 32))).toBe(p.slice(0, 16));
    expect(shortPseudonym('a')).toBe(hex('a').slice(0, 16));
    // Upper case is not the pseudonyms' form: hashed, not cut.
    expect(shortPseudonym(p.toUpperCase())).toBe(hex(p.toUpperCase()).slice(0, 16));
  });

  it('sums pseudonyms that share 64 bits (fewer distinct evaluators, never more) and drops zeros', () => {
    const p = hex('x');
    const twin = `${p.slice(0, 16)}${'0'.repeat(48)}`;
    expect(shortened({ [p]: 2, [twin]: 1 })).toEqual({ [p.slice(0, 16)]: 3 });
    expect(shortened({ [p]: 1, [twin]: -1, [hex('y')]: 1 })).toEqual({ [hex('y').slice(0, 16)]: 1 });
  });

  it('uses one bucket up to 64 evaluators, then the next power of two that keeps 64 on average', () => {
    expect(EVALUATORS_PER_BUCKET).toBe(64);
    expect([0, 1, 64, 65, 128, 129, 256, 257, 10_000].map(bucketBits)).toEqual([0, 0, 0, 1, 1, 2, 2, 3, 8]);
  });

  it('chooses a bucket by the leading bits, so doubling the buckets splits each in two', () => {
    expect(bucketOf('ffffffff00000000', 0)).toBe(0);
    expect(bucketOf('ffffffff00000000', 3)).toBe(7);
    expect(bucketOf('8000000000000000', 1)).toBe(1);
    expect(bucketOf('7fffffffffffffff', 1)).toBe(0);
    expect(bucketOf('0123456789abcdef', 8)).toBe(0x01);
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), fc.integer({ min: 0, max: 20 }), (label, bits) => {
        const s = shortPseudonym(label);
        expect(bucketOf(s, bits + 1) >>> 1).toBe(bucketOf(s, bits));
        expect(bucketOf(s, bits)).toBeLessThan(2 ** bits);
      }),
    );
  });

  it('lays a multiset out as disjoint buckets that hold it whole, each by its bucket number', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.string({ minLength: 1 }), { maxLength: 600 }), fc.nat({ max: 5 }), (labels, extra) => {
        const multiset = Object.fromEntries(labels.map((l, i) => [shortPseudonym(`${l}:${i}`), 1 + ((i * 7 + extra) % 4)]));
        const size = Object.keys(multiset).length;
        const buckets = bucketize(multiset);
        const bits = bucketBits(size);
        expect(buckets.size).toBeLessThanOrEqual(2 ** bits);
        if (size === 0) expect(buckets.size).toBe(0);
        const union: Record<string, number> = {};
        for (const [b, counts] of buckets) {
          expect(Object.keys(counts).length).toBeGreaterThan(0);
          for (const p in counts) {
            expect(bucketOf(p, bits)).toBe(b);
            expect(union[p]).toBeUndefined();
            union[p] = counts[p]!;
          }
        }
        expect(union).toEqual(multiset);
      }),
      { numRuns: 50 },
    );
  });

  it('keeps a network-sized cell in small buckets: 10,000 evaluators in 256 buckets of about 39', () => {
    const multiset = Object.fromEntries(Array.from({ length: 10_000 }, (_, i) => [shortPseudonym(hex(`s${i}`)), 1]));
    const sizes = [...bucketize(multiset).values()].map((b) => Object.keys(b).length);
    expect(sizes.length).toBe(256);
    expect(Math.max(...sizes)).toBeLessThan(2 * EVALUATORS_PER_BUCKET);
  });
});
