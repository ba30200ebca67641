import { type LazyConnection, plainKeysetPage, type SqlConditions } from '@medcollab/kit';
import { type DataSource } from 'typeorm';
import { type ListScope } from '../domain/access-policy';
import { parseKeyTuple } from './keyset';

export type { LazyConnection } from '@medcollab/kit';

/**
 * Keyset pagination of people by (family name, given name, id): stable under inserts and
 * as fast on page 50 as on page 1. The cursor carries the last row's key. Read in plain SQL
 * (the kit's plainKeysetPage, ADR 0036).
 */
export interface PersonRow {
  id: string;
  givenName: string;
  familyName: string;
}

const keyOf = (row: PersonRow): string => JSON.stringify([row.familyName, row.givenName, row.id]);

/** `%` and `_` in a search are literal characters, not wildcards. */
const likePattern = (search: string): string => `%${search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** Matches the search text in "given family", "family given" or the email. */
export function applySearch(where: SqlConditions, search: string | null): void {
  if (!search) return;
  where.and((p) => {
    const pattern = p(likePattern(search));
    return `given_name || ' ' || family_name ILIKE ${pattern}
      OR family_name || ' ' || given_name ILIKE ${pattern}
      OR email ILIKE ${pattern}`;
  });
}

/** Narrows a people query to what the caller's scope allows (`institutionColumn` names the owning institution). */
export function applyScope(where: SqlConditions, institutionColumn: string, scope: ListScope): void {
  if (scope.kind === 'institution') where.and((p) => `${institutionColumn} = ${p(scope.institutionId)}`);
  if (scope.kind === 'self') where.and((p) => `id = ${p(scope.personId)}`);
}

/** Fetches one page (limit + 1 rows to learn whether another page exists). */
export function fetchPersonPage<T extends PersonRow>(
  ds: DataSource,
  entity: new () => T,
  where: SqlConditions,
  page: { limit: number; afterKey: string | null },
): Promise<LazyConnection<T>> {
  const after = page.afterKey ? (parseKeyTuple(page.afterKey, 3) as [string, string, string]) : null;
  return plainKeysetPage(ds, entity, where, {
    limit: page.limit,
    seek: after ? (p) => `(family_name, given_name, id) > (${p(after[0])}, ${p(after[1])}, ${p(after[2])})` : null,
    orderBy: 'family_name ASC, given_name ASC, id ASC',
    keyOf,
  });
}

/** The answer for a caller whose scope is empty: no statement is sent at all. */
export function emptyConnection<T>(): LazyConnection<T> {
  return { edges: [], pageInfo: { hasNextPage: false, endCursor: null }, totalCount: async () => 0 };
}
