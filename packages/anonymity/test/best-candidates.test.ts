import { type CellStats } from '../src/suppression';
import { bestCandidates, type Equation } from '../src/system';

/** The equations each position appears in, as protectSystem builds them. */
function equationsOf(equations: readonly Equation[]): Map<number, number[]> {
  const of = new Map<number, number[]>();
  equations.forEach((e, i) => {
    for (const p of e.keys()) of.set(p, [...(of.get(p) ?? []), i]);
  });
  return of;
}

const stats = (evaluations: number[]): CellStats[] => evaluations.map((n) => ({ evaluations: n, evaluators: n }));

describe('bestCandidates (the candidates a round of complementary suppression weighs)', () => {
  it('counts an exposed position once per candidate, however many equations they share', () => {
    // Exposed: 0 and 1. Candidate 2 shares two equations with 0 (covers one exposed position);
    // candidate 3 shares one equation with both 0 and 1 (covers two). Counting 0 twice for 2 would
    // tie them, and 2's fewer evaluations would then put it first.
    const equations: Equation[] = [
      new Map([
        [0, 1],
        [2, 1],
      ]),
      new Map([
        [0, 1],
        [2, -1],
      ]),
      new Map([
        [0, 1],
        [1, 1],
        [3, -1],
      ]),
    ];
    const ranked = bestCandidates([0, 1], equations, equationsOf(equations), (p) => p >= 2, stats([9, 9, 1, 5]));
    expect(ranked).toEqual([3, 2]);
  });

  it('ranks by exposed positions covered, then fewest evaluations, then position, and keeps the best six', () => {
    // Exposed: 0. Candidates 1…8 each share one equation with it; 9 shares one with 0 and with 10.
    const equations: Equation[] = [
      ...[1, 2, 3, 4, 5, 6, 7, 8].map(
        (p) =>
          new Map([
            [0, 1],
            [p, -1],
          ]),
      ),
      new Map([
        [0, 1],
        [10, 1],
        [9, -1],
      ]),
    ];
    const evaluations = [9, 4, 3, 3, 8, 1, 7, 2, 6, 9, 9];
    const ranked = bestCandidates([0, 10], equations, equationsOf(equations), (p) => p >= 1 && p <= 9, stats(evaluations));
    expect(ranked).toEqual([9, 5, 7, 2, 3, 1]);
  });

  it('weighs only the positions still open', () => {
    const equations: Equation[] = [
      new Map([
        [0, 1],
        [1, 1],
        [2, 1],
      ]),
    ];
    expect(bestCandidates([0], equations, equationsOf(equations), (p) => p === 2, stats([1, 1, 1]))).toEqual([2]);
  });
});
