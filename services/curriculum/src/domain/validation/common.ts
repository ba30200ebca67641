import { isoDateInput } from '@medcollab/kit';
import { z } from 'zod';

/** Building blocks of the input schemas; each message names what is wrong, the path names the field. */

export const id = z.uuid('must be a UUID');
export const optionalId = id.nullish().transform((v) => v ?? null);

/** Ids in read arguments: a malformed one can never match, so reads treat it as absent. */
export const isUuid = (value: string): boolean => id.safeParse(value).success;

export const text = (min: number, max: number) =>
  z
    .string()
    .trim()
    .min(min, min === 1 ? 'must not be empty' : `must be at least ${min} characters`)
    .max(max, `must be at most ${max} characters`);

export const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max, `must be at most ${max} characters`)
    .nullish()
    .transform((v) => v || null);

/**
 * Codes such as `ME-1`, `EPA 1`, `SA.2`, `CARD-101`: a letter or digit first, then letters,
 * digits, spaces, dots, dashes, underscores or colons. Compared case-insensitively.
 */
export const code = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(40, 'must be at most 40 characters')
  .regex(/^[A-Za-z0-9][A-Za-z0-9 ._:-]*$/, 'may contain only letters, digits, spaces and . _ : -');

/** Lists of ids: duplicates are dropped (asking twice for one link is asking once). */
export const idList = (max: number) =>
  z
    .array(id)
    .max(max, `must list at most ${max}`)
    .nullish()
    .transform((v) => [...new Set(v ?? [])]);

/** An instant as the DateTime scalar hands it over (a Date) or as an ISO string (seed, tests). */
export const instant = z.union([z.date(), z.iso.datetime({ offset: true })]).transform((value, ctx): Date => {
  const date = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(date.getTime())) {
    ctx.addIssue({ code: 'custom', message: 'must be an ISO 8601 instant' });
    return z.NEVER;
  }
  return date;
});

/** A calendar day as the Date scalar hands it over (UTC midnight) or as YYYY-MM-DD; always YYYY-MM-DD out. */
export const isoDate = isoDateInput;

/** Keys compared case-insensitively (codes, titles). */
export const normalizeKey = (value: string): string => value.trim().toLowerCase();

/** Adds one issue per repeated key, at the path of the repetition. */
export function refineUnique<T>(
  items: readonly T[],
  keyOf: (item: T) => string,
  path: (index: number) => (string | number)[],
  ctx: z.RefinementCtx,
  what: string,
): void {
  const seen = new Map<string, number>();
  items.forEach((item, index) => {
    const key = normalizeKey(keyOf(item));
    const first = seen.get(key);
    if (first !== undefined)
      ctx.addIssue({ code: 'custom', path: path(index), message: `repeats ${what} "${keyOf(item)}" (also at position ${first})` });
    else seen.set(key, index);
  });
}
