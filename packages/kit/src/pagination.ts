import { BadUserInputError } from './errors';

/** Relay connection arguments as the schema declares them. */
export interface ConnectionArgs {
  first?: number | null;
  after?: string | null;
}

export interface Connection<T> {
  edges: { cursor: string; node: T }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  totalCount?: number;
}

export const MAX_PAGE_SIZE = 100;
export const DEFAULT_PAGE_SIZE = 20;

/** Opaque cursors: base64url of the sort key, so clients cannot depend on their shape. */
export const encodeCursor = (key: string): string => Buffer.from(key, 'utf8').toString('base64url');
export function decodeCursor(cursor: string): string {
  const key = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!key) throw new BadUserInputError('Invalid cursor', { field: 'after' });
  return key;
}

/**
 * Validates `first` (1..`max`, MAX_PAGE_SIZE unless the list says otherwise in its schema) and
 * decodes `after`.
 */
export function pageRequest(args: ConnectionArgs, max: number = MAX_PAGE_SIZE): { limit: number; afterKey: string | null } {
  const limit = args.first ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(limit) || limit < 1 || limit > max) {
    throw new BadUserInputError(`first must be between 1 and ${max}`, { field: 'first' });
  }
  return { limit, afterKey: args.after ? decodeCursor(args.after) : null };
}

/**
 * Builds a connection from rows fetched with `limit + 1` (the extra row only says whether
 * another page exists), keyed by `keyOf` for the next cursor. An edge's cursor is encoded when
 * it is read: pages of 200 (the block board) are asked for nodes and the end cursor only, and
 * encoding a key per row was work no one read.
 */
export function toConnection<T>(rows: T[], limit: number, keyOf: (row: T) => string, totalCount?: number): Connection<T> {
  const page = rows.slice(0, limit);
  const edges = page.map((node) => ({
    get cursor() {
      return encodeCursor(keyOf(node));
    },
    node,
  }));
  const last = page.at(-1);
  return {
    edges,
    pageInfo: { hasNextPage: rows.length > limit, endCursor: last === undefined ? null : encodeCursor(keyOf(last)) },
    totalCount,
  };
}
