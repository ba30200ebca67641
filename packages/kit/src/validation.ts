import { type z } from 'zod';
import { BadUserInputError } from './errors';

/**
 * Validates a mutation's input; on failure the error names every bad field so a client can
 * show them all, and nothing has been written yet.
 */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const fields = result.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message }));
  const summary = fields.map((f) => (f.path ? `${f.path}: ${f.message}` : f.message)).join('; ');
  throw new BadUserInputError(`Invalid input: ${summary}`, { fields });
}

/** True when the runtime knows the IANA time zone (aliases such as "UTC" included). */
export function isIanaTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: value });
    return value.length > 0;
  } catch {
    return false;
  }
}
