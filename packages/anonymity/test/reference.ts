import { type CellStats, type Mark, type SuppressionReason } from '../src/suppression';
import { derivableIn, type Equation } from '../src/system';

/**
 * protectSystem as it was before the derivable positions were kept up to date (incremental.ts):
 * every step reduces the hidden positions' equations again (derivableIn). The reference the
 * incremental version is tested against (test/incremental.test.ts) and the bench compares with
 * (bench/protection.ts): the same marks, position by position.
 */
const LOOKAHEAD = 6;

export function protectSystemByReduction(
  stats: readonly CellStats[],
  equations: readonly Equation[],
  k: number,
  fixed: ReadonlyMap<number, Mark> = new Map(),
): Mark[] {
  const marks = new Map<number, SuppressionReason>();
  stats.forEach((s, pos) => {
    if (fixed.has(pos)) {
      const was = fixed.get(pos);
      if (was) marks.set(pos, was);
    } else if (s.evaluations > 0 && s.evaluators < k) marks.set(pos, 'TOO_FEW_EVALUATORS');
  });
  // Positions that stay exposed whatever is hidden now: published hidden ones that published released ones determine.
  const exhausted = new Set<number>();
  // What the lookahead found for the position it chose: the next round's starting point, exactly.
  let ahead: number[] | null = null;
  for (;;) {
    const exposed = ahead ?? derivableIn(equations, new Set(marks.keys()));
    ahead = null;
    const target = exposed.find((p) => !exhausted.has(p));
    if (target === undefined) break;
    // Candidates: released positions sharing an equation with any exposed one (in a product of
    // trees, the cheapest way to close one exposure is often on another's equation).
    // Ranked: next to the most exposed positions (it may close several at once), then the
    // fewest evaluations, then the lowest position.
    const open = new Set(exposed);
    const covers = new Map<number, Set<number>>();
    for (const e of equations) {
      const near = [...e.keys()].filter((p) => open.has(p));
      if (!near.length) continue;
      for (const p of e.keys())
        if (!marks.has(p) && !fixed.has(p) && stats[p]!.evaluations > 0) {
          const set = covers.get(p) ?? new Set<number>();
          near.forEach((x) => set.add(x));
          covers.set(p, set);
        }
    }
    const ranked = [...covers.keys()].sort(
      (a, b) => covers.get(b)!.size - covers.get(a)!.size || stats[a]!.evaluations - stats[b]!.evaluations || a - b,
    );
    // Look one step ahead among the best few: the one that leaves the fewest positions exposed.
    let chosen: number | undefined;
    let fewest = Infinity;
    for (const p of ranked.slice(0, LOOKAHEAD)) {
      const leaves = derivableIn(equations, new Set([...marks.keys(), p]));
      if (leaves.length < fewest) {
        fewest = leaves.length;
        chosen = p;
        ahead = leaves;
      }
    }
    if (chosen === undefined) {
      // Nothing left to hide on its equations (published figures determine it, or the figures are
      // inconsistent: a hidden non-empty position on empty lines): hide every other non-empty
      // position not fixed rather than risk it, and let this one go.
      exhausted.add(target);
      stats.forEach((s, pos) => {
        if (s.evaluations > 0 && !marks.has(pos) && !fixed.has(pos)) marks.set(pos, 'COMPLEMENTARY');
      });
      continue;
    }
    marks.set(chosen, 'COMPLEMENTARY');
  }
  return stats.map((_, pos) => marks.get(pos) ?? null);
}
