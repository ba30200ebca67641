import { BadUserInputError, type Connection, toConnection } from '@medcollab/kit';
import { type ObjectLiteral, type SelectQueryBuilder } from 'typeorm';
import { type ListScope } from '../domain/access-policy';
import { isUuid } from '../domain/validation';

/**
 * Keyset pagination of people by (family name, given name, id): stable under inserts and
 * as fast on page 50 as on page 1. The cursor carries the last row's key.
 */
export interface PersonRow {
  id: string;
  givenName: string;
  familyName: string;
}

/** A connection whose totalCount is only counted when a client asks for it. */
export type LazyConnection<T> = Omit<Connection<T>, 'totalCount'> & { totalCount: () => Promise<number> };

const keyOf = (row: PersonRow): string => JSON.stringify([row.familyName, row.givenName, row.id]);

function parseKey(key: string): [string, string, string] {
  try {
    const parsed: unknown = JSON.parse(key);
    if (Array.isArray(parsed) && parsed.length === 3 && parsed.every((p) => typeof p === 'string') && isUuid(parsed[2] as string)) {
      return parsed as [string, string, string];
    }
  } catch {
    // fall through to the error below
  }
  throw new BadUserInputError('Invalid cursor', { field: 'after' });
}

/** `%` and `_` in a search are literal characters, not wildcards. */
const likePattern = (search: string): string => `%${search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** Matches the search text in "given family", "family given" or the email. */
export function applySearch<T extends ObjectLiteral>(qb: SelectQueryBuilder<T>, alias: string, search: string | null): void {
  if (!search) return;
  qb.andWhere(
    `(${alias}.given_name || ' ' || ${alias}.family_name ILIKE :pattern
      OR ${alias}.family_name || ' ' || ${alias}.given_name ILIKE :pattern
      OR ${alias}.email ILIKE :pattern)`,
    { pattern: likePattern(search) },
  );
}

/** Narrows a people query to what the caller's scope allows (`institutionColumn` names the owning institution). */
export function applyScope<T extends ObjectLiteral>(
  qb: SelectQueryBuilder<T>,
  alias: string,
  institutionColumn: string,
  scope: ListScope,
): void {
  if (scope.kind === 'institution')
    qb.andWhere(`${alias}.${institutionColumn} = :scopeInstitutionId`, { scopeInstitutionId: scope.institutionId });
  if (scope.kind === 'self') qb.andWhere(`${alias}.id = :scopePersonId`, { scopePersonId: scope.personId });
}

/** Fetches one page (limit + 1 rows to learn whether another page exists). */
export async function fetchPersonPage<T extends PersonRow>(
  qb: SelectQueryBuilder<T>,
  alias: string,
  page: { limit: number; afterKey: string | null },
): Promise<LazyConnection<T>> {
  const counter = qb.clone();
  if (page.afterKey) {
    const [familyName, givenName, id] = parseKey(page.afterKey);
    qb.andWhere(`(${alias}.family_name, ${alias}.given_name, ${alias}.id) > (:afterFamily, :afterGiven, :afterId)`, {
      afterFamily: familyName,
      afterGiven: givenName,
      afterId: id,
    });
  }
  qb.orderBy(`${alias}.family_name`, 'ASC')
    .addOrderBy(`${alias}.given_name`, 'ASC')
    .addOrderBy(`${alias}.id`, 'ASC')
    .limit(page.limit + 1);
  const rows = await qb.getMany();
  const connection = toConnection(rows, page.limit, keyOf);
  return { edges: connection.edges, pageInfo: connection.pageInfo, totalCount: () => counter.getCount() };
}

/** The answer for a caller whose scope is empty: no statement is sent at all. */
export function emptyConnection<T>(): LazyConnection<T> {
  return { edges: [], pageInfo: { hasNextPage: false, endCursor: null }, totalCount: async () => 0 };
}
