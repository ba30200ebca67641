import { Span } from '../../src/domain/release-over-time';

/**
 * The span the release rule keeps of everything released, on vectors no single table gives:
 * an odd cycle of pairs, whose elimination meets a pivot of 2 (the tables' figures, in practice,
 * only ever give pivots of ±1, where dividing a row by its pivot and multiplying by it agree).
 */
describe('the span of released figures', () => {
  it('decides membership exactly when elimination meets a pivot other than ±1', () => {
    const pairs = new Span(3);
    pairs.add([0, 1]);
    pairs.add([1, 2]);
    // {0, 1} − {1, 2} is e0 − e2: neither cell alone, nor their sum, is determined by two pairs.
    expect(pairs.contains([0])).toBe(false);
    expect(pairs.contains([0, 2])).toBe(false);
    expect(pairs.contains([0, 1, 2])).toBe(false);

    const cycle = pairs.clone();
    // Reduced by the two rows before it, {0, 2} leaves 2·e2: the pivot is 2.
    cycle.add([0, 2]);
    for (const keys of [[0], [1], [2], [0, 2], [0, 1, 2]]) expect(cycle.contains(keys)).toBe(true);
    // The copy took the new row; the original did not.
    expect(pairs.contains([2])).toBe(false);
  });
});
