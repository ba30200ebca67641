/**
 * How a rebuild splits the history into shares folded side by side (ADR 0046): whole aggregate
 * types, balanced by their aggregates, and a type too large for one share cut into ranges of
 * aggregate ids. Pure: the rebuild reads the sizes and the cuts.
 */

/** Some aggregate types of the history, or (`range`) the aggregates of one type with ids from `from` (inclusive) to `to` (exclusive; null: unbounded). */
export interface SharePart {
  types: string[];
  range?: { from: string | null; to: string | null };
}

/** An aggregate type's size in the history: what shares are balanced by. */
export interface TypeSize {
  type: string;
  aggregates: number;
}

type Unit = SharePart & { learners: boolean; weight: number };

/** The types and the Learners as units of work: a Learner is folded from a student's assessments and every post profile, so those stay together. */
function unitsOf(sizes: readonly TypeSize[], rollupTypes: readonly string[]): Unit[] {
  const size = new Map(sizes.map((s) => [s.type, s.aggregates]));
  const units: Unit[] = rollupTypes
    .filter((type) => type !== 'Submission')
    .map((type) => ({ types: [type], learners: false, weight: size.get(type) ?? 0 }));
  units.push({ types: ['Submission', 'PostProfile'], learners: true, weight: 2 * (size.get('Submission') ?? 0) });
  return units;
}

/**
 * The types worth cutting into ranges of aggregate ids, and into how many: a type of more than
 * one and a half shares' fair part (its cells then come from several shares and are merged, which
 * costs a copy of them, so only a clear imbalance is worth it).
 */
export function typesToSplit(sizes: readonly TypeSize[], rollupTypes: readonly string[], count: number): Map<string, number> {
  const units = unitsOf(sizes, rollupTypes);
  const fair = units.reduce((sum, u) => sum + u.weight, 0) / Math.max(1, count);
  const out = new Map<string, number>();
  for (const u of units)
    if (!u.learners && count > 1 && u.weight > 1.5 * fair) out.set(u.types[0]!, Math.min(count, Math.round(u.weight / fair)));
  return out;
}

/**
 * Splits the history into at most `count` shares: whole aggregate types, and the types of
 * `bounds` cut at those aggregate ids (`typesToSplit`), the largest first, each to the share with
 * the fewest aggregates so far. Types fold into metrics of their own, so shares of whole types
 * rarely hold the same cells; when they do (a cut type, or two types counting in one metric),
 * those cells are merged.
 */
export function planShares(
  sizes: readonly TypeSize[],
  rollupTypes: readonly string[],
  count: number,
  bounds: ReadonlyMap<string, readonly string[]> = new Map(),
): { parts: SharePart[]; learners: boolean }[] {
  const units = unitsOf(sizes, rollupTypes).flatMap((u): Unit[] => {
    const cuts = bounds.get(u.types[0]!);
    if (u.learners || !cuts?.length) return [u];
    const edges = [null, ...cuts, null];
    return edges.slice(1).map((to, i) => ({ ...u, range: { from: edges[i] ?? null, to }, weight: u.weight / (cuts.length + 1) }));
  });
  const shares = Array.from({ length: Math.max(1, count) }, () => ({ parts: [] as SharePart[], learners: false, weight: 0 }));
  for (const unit of units.filter((u) => u.weight > 0).sort((a, b) => b.weight - a.weight)) {
    const lightest = shares.reduce((a, b) => (b.weight < a.weight ? b : a));
    lightest.parts.push({ types: unit.types, ...(unit.range ? { range: unit.range } : {}) });
    lightest.learners ||= unit.learners;
    lightest.weight += unit.weight;
  }
  const used = shares.filter((s) => s.parts.length);
  // Types with nothing held (and the post profiles, which count without assessments) go to one share, so nothing held is left unread.
  const empty = units.filter((u) => u.weight === 0);
  if (empty.length || !used.length) {
    const last = used.at(-1) ?? shares[0]!;
    last.parts.push({ types: empty.flatMap((u) => u.types) });
    last.learners ||= empty.some((u) => u.learners);
    if (!used.includes(last)) used.push(last);
  }
  return used.map(({ parts, learners }) => ({ parts, learners }));
}
