import { type InstrumentItemDef, isRated } from './scales';

/** An evaluation's rated answer as quality receives it (EvaluationSubmitted's `itemScores`). */
export interface ItemScore {
  itemKey: string;
  label: string;
  value: number;
  min: number;
  max: number;
}

/**
 * The rated answers of an evaluation, with their scales: what EvaluationSubmitted carries to
 * quality. Unrated items (checklists, text), answers marked not applicable and unanswered
 * ratings are left out. One rule for the API's submission and the bulk-loaded world.
 */
export function evaluationItemScores(
  items: readonly InstrumentItemDef[],
  responses: readonly { itemKey: string; rating?: number | null; notApplicable?: boolean | null }[],
): ItemScore[] {
  const byKey = new Map(items.map((i) => [i.key, i]));
  return responses.flatMap((r) => {
    const item = byKey.get(r.itemKey);
    if (!item || !isRated(item.scale.type) || r.notApplicable || r.rating === null || r.rating === undefined) return [];
    return [{ itemKey: item.key, label: item.label, value: r.rating, min: item.scale.min ?? 0, max: item.scale.max ?? 0 }];
  });
}
