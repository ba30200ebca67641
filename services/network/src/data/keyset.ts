import { BadUserInputError } from '@medcollab/kit';
import { isUuid } from '../domain/validation';

/**
 * The sort key a keyset page's cursor carries: a JSON array of `arity` strings whose last is
 * the row's id (the tiebreaker that makes the order total). Anything else is a forged or
 * foreign cursor: BAD_USER_INPUT on `after`.
 */
export function parseKeyTuple(key: string, arity: number): string[] {
  try {
    const parsed: unknown = JSON.parse(key);
    if (
      Array.isArray(parsed) &&
      parsed.length === arity &&
      parsed.every((p) => typeof p === 'string') &&
      isUuid(parsed[arity - 1] as string)
    ) {
      return parsed as string[];
    }
  } catch {
    // fall through to the error below
  }
  throw new BadUserInputError('Invalid cursor', { field: 'after' });
}

export const keyTuple = (...parts: string[]): string => JSON.stringify(parts);
