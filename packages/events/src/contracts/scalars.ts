import { z } from 'zod';

/** A calendar date as every contract writes it (no time, no zone). */
export const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be YYYY-MM-DD');

/** An instant with its offset, as `Date.toISOString()` writes it. */
export const instant = z.iso.datetime({ offset: true });
