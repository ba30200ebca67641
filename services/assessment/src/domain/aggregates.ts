import { type ItemResponse } from './responses';

/**
 * Means of evaluation answers. Only ratings are aggregated: free-text comments are never shown
 * outside their author's view (a sentence identifies its writer more surely than a number).
 */
export interface RatedItem {
  key: string;
  label: string;
  min: number;
  max: number;
  position: number;
}

export interface Evaluation {
  evaluatorId: string;
  responses: readonly ItemResponse[];
}

export interface ItemAggregate {
  itemKey: string;
  label: string;
  mean: number;
  responseCount: number;
  scaleMin: number;
  scaleMax: number;
}

export interface Aggregate {
  evaluationCount: number;
  evaluatorCount: number;
  overallMean: number | null;
  items: ItemAggregate[];
}

const round2 = (n: number): number => Math.round(n * 100) / 100;

/** Aggregates evaluations over the rated items given (answers to other items are ignored). */
export function aggregate(evaluations: readonly Evaluation[], items: ReadonlyMap<string, RatedItem>): Aggregate {
  const sums = new Map<string, { sum: number; count: number }>();
  let total = 0;
  let count = 0;
  for (const e of evaluations) {
    for (const r of e.responses) {
      if (r.rating === null || r.notApplicable || !items.has(r.itemKey)) continue;
      const s = sums.get(r.itemKey) ?? { sum: 0, count: 0 };
      s.sum += r.rating;
      s.count += 1;
      sums.set(r.itemKey, s);
      total += r.rating;
      count += 1;
    }
  }
  const aggregates = [...sums.entries()]
    .map(([key, s]) => {
      const item = items.get(key) as RatedItem;
      return {
        itemKey: key,
        label: item.label,
        mean: round2(s.sum / s.count),
        responseCount: s.count,
        scaleMin: item.min,
        scaleMax: item.max,
        position: item.position,
      };
    })
    .sort((a, b) => a.position - b.position || a.itemKey.localeCompare(b.itemKey))
    .map(({ position: _position, ...rest }) => rest);
  return {
    evaluationCount: evaluations.length,
    evaluatorCount: new Set(evaluations.map((e) => e.evaluatorId)).size,
    overallMean: count ? round2(total / count) : null,
    items: aggregates,
  };
}
