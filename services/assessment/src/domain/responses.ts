import { type InstrumentItemDef, isRated } from './scales';

/**
 * Responses to an instrument's items, checked against the items' scales. A draft may be partial;
 * a submission must answer every required item. Every problem names the item.
 */
export interface ItemResponse {
  itemKey: string;
  /** LIKERT, NOTSS, ENTRUSTMENT: an integer on the item's scale. */
  rating: number | null;
  /** "Not applicable / not observed", where the item allows it. */
  notApplicable: boolean;
  /** CHECKLIST: done or not done. */
  done: boolean | null;
  /** NARRATIVE: free text. */
  text: string | null;
}

/** An answer as sent: any value may be missing or null (an empty answer clears the item in a draft). */
export interface ResponseInput {
  itemKey: string;
  rating?: number | null;
  notApplicable?: boolean | null;
  done?: boolean | null;
  text?: string | null;
}

export const RESPONSE_ISSUES = [
  'UNKNOWN_ITEM',
  'DUPLICATE_ITEM',
  'WRONG_VALUE_TYPE',
  'VALUE_OFF_SCALE',
  'NOT_APPLICABLE_NOT_ALLOWED',
  'MISSING_REQUIRED_ITEM',
] as const;
export type ResponseIssueReason = (typeof RESPONSE_ISSUES)[number];

export interface ResponseIssue {
  /** `responses.<itemKey>`: the client shows the message next to the item. */
  path: string;
  itemKey: string;
  reason: ResponseIssueReason;
  message: string;
}

export const MAX_TEXT_LENGTH = 4_000;

const given = (v: unknown): boolean => v !== null && v !== undefined;

/** One response on its own: the value kind matches the scale, and the value lies on it. */
function checkOne(item: InstrumentItemDef, r: ResponseInput): { issue?: Omit<ResponseIssue, 'path' | 'itemKey'>; value?: ItemResponse } {
  const name = `item '${item.key}' (${item.label})`;
  const scale = item.scale;
  const notApplicable = r.notApplicable === true;
  const kinds = [given(r.rating), given(r.done), given(r.text) && r.text !== ''].filter(Boolean).length;
  if (notApplicable) {
    if (!scale.allowsNotApplicable)
      return { issue: { reason: 'NOT_APPLICABLE_NOT_ALLOWED', message: `${name} may not be answered "not applicable"` } };
    if (kinds) return { issue: { reason: 'WRONG_VALUE_TYPE', message: `${name}: "not applicable" takes no value` } };
    return { value: { itemKey: item.key, rating: null, notApplicable: true, done: null, text: null } };
  }
  if (kinds > 1) return { issue: { reason: 'WRONG_VALUE_TYPE', message: `${name} takes one value only` } };
  if (isRated(scale.type)) {
    if (given(r.done) || given(r.text))
      return { issue: { reason: 'WRONG_VALUE_TYPE', message: `${name} takes a rating (${scale.min} to ${scale.max})` } };
    if (!given(r.rating)) return {};
    const rating = r.rating as number;
    if (!Number.isInteger(rating) || rating < (scale.min as number) || rating > (scale.max as number)) {
      return { issue: { reason: 'VALUE_OFF_SCALE', message: `${name}: ${rating} is not on its scale (${scale.min} to ${scale.max})` } };
    }
    return { value: { itemKey: item.key, rating, notApplicable: false, done: null, text: null } };
  }
  if (scale.type === 'CHECKLIST') {
    if (given(r.rating) || given(r.text))
      return { issue: { reason: 'WRONG_VALUE_TYPE', message: `${name} is a checklist item: answer done true or false` } };
    if (!given(r.done)) return {};
    return { value: { itemKey: item.key, rating: null, notApplicable: false, done: r.done as boolean, text: null } };
  }
  // NARRATIVE
  if (given(r.rating) || given(r.done)) return { issue: { reason: 'WRONG_VALUE_TYPE', message: `${name} takes free text` } };
  const text = (r.text ?? '').trim();
  if (!text) return {};
  if (text.length > MAX_TEXT_LENGTH)
    return { issue: { reason: 'VALUE_OFF_SCALE', message: `${name}: at most ${MAX_TEXT_LENGTH} characters` } };
  return { value: { itemKey: item.key, rating: null, notApplicable: false, done: null, text } };
}

export interface CheckedResponses {
  issues: ResponseIssue[];
  /** The valid, answered responses in the instrument's item order (empty answers left out). */
  responses: ItemResponse[];
}

/**
 * Checks responses against the items. `complete`: a submission, where every required item
 * must be answered (N/A counts where the item allows it); otherwise a draft, where any subset
 * of items may be answered.
 */
export function checkResponses(
  items: readonly InstrumentItemDef[],
  input: readonly ResponseInput[],
  opts: { complete: boolean },
): CheckedResponses {
  const byKey = new Map(items.map((i) => [i.key, i]));
  const issues: ResponseIssue[] = [];
  const answered = new Map<string, ItemResponse>();
  const seen = new Set<string>();
  for (const r of input) {
    const path = `responses.${r.itemKey}`;
    if (seen.has(r.itemKey)) {
      issues.push({ path, itemKey: r.itemKey, reason: 'DUPLICATE_ITEM', message: `item '${r.itemKey}' is answered twice` });
      continue;
    }
    seen.add(r.itemKey);
    const item = byKey.get(r.itemKey);
    if (!item) {
      issues.push({ path, itemKey: r.itemKey, reason: 'UNKNOWN_ITEM', message: `the instrument has no item '${r.itemKey}'` });
      continue;
    }
    const { issue, value } = checkOne(item, r);
    if (issue) issues.push({ path, itemKey: r.itemKey, ...issue });
    else if (value) answered.set(item.key, value);
  }
  if (opts.complete) {
    for (const item of items) {
      if (item.required && !answered.has(item.key) && !issues.some((i) => i.itemKey === item.key)) {
        issues.push({
          path: `responses.${item.key}`,
          itemKey: item.key,
          reason: 'MISSING_REQUIRED_ITEM',
          message: `item '${item.key}' (${item.label}) is required`,
        });
      }
    }
  }
  const responses = items.map((i) => answered.get(i.key)).filter((r): r is ItemResponse => r !== undefined);
  return { issues, responses };
}

/** A draft's answers with newer ones laid over them, item by item. */
export function mergeResponses(base: readonly ResponseInput[], overlay: readonly ResponseInput[]): ResponseInput[] {
  const merged = new Map(base.map((r) => [r.itemKey, r]));
  for (const r of overlay) merged.set(r.itemKey, r);
  return [...merged.values()];
}

/** The item keys whose answer differs between two sets of responses. */
export function changedItemKeys(before: readonly ItemResponse[], after: readonly ItemResponse[]): string[] {
  const key = (r: ItemResponse | undefined) => (r ? JSON.stringify([r.rating, r.notApplicable, r.done, r.text]) : 'none');
  const a = new Map(before.map((r) => [r.itemKey, r]));
  const b = new Map(after.map((r) => [r.itemKey, r]));
  return [...new Set([...a.keys(), ...b.keys()])].filter((k) => key(a.get(k)) !== key(b.get(k))).sort();
}
