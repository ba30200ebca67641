import { type DataSource, type ObjectLiteral } from 'typeorm';
import { type Connection, toConnection } from './pagination';
import { plainRowReader } from './plain-rows';

/** A connection whose totalCount is only counted when a client asks for it. */
export type LazyConnection<T> = Omit<Connection<T>, 'totalCount'> & { totalCount: () => Promise<number> };

/**
 * The conditions of a list read in plain SQL, with their numbered parameters. A condition is
 * written with `p(value)` for each parameter, which returns its placeholder (`$1`, `$2`…), so
 * values never enter the SQL text. Column names are the table's own (the list reads one table).
 * Shared by the services' paged lists (network's directory pages, rotations' placements).
 */
export class SqlConditions {
  private readonly parts: string[] = [];
  private readonly values: unknown[] = [];

  /** Adds one condition (joined to the others with AND). */
  and(condition: (p: (value: unknown) => string) => string): this {
    this.parts.push(`(${condition((value) => this.param(value))})`);
    return this;
  }

  /** A parameter outside the conditions (a LIMIT): its placeholder. */
  param(value: unknown): string {
    return `$${this.values.push(value)}`;
  }

  /** The parameters, in placeholder order. */
  get params(): unknown[] {
    return [...this.values];
  }

  /** The WHERE clause's text (TRUE when there is no condition). */
  get sql(): string {
    return this.parts.length ? this.parts.join(' AND ') : 'TRUE';
  }

  /** An independent copy (the count and the page share the filter, not the seek). */
  copy(): SqlConditions {
    const other = new SqlConditions();
    other.parts.push(...this.parts);
    other.values.push(...this.values);
    return other;
  }
}

export interface KeysetPage<T> {
  limit: number;
  /** The condition that starts the page after the cursor's row (null on the first page). */
  seek: ((p: (value: unknown) => string) => string) | null;
  /** The total order (its last key the id), the same the seek follows. */
  orderBy: string;
  /** The row's sort key, as the cursor carries it. */
  keyOf: (row: T) => string;
}

/**
 * One keyset page of a flat entity's rows in plain SQL (ADR 0036): `limit + 1` rows in the
 * page's order after the cursor, read and hydrated by the kit's plainRowReader (the objects
 * TypeORM's query builder returned), and a `count(*)` of the filter sent only when a client asks
 * for totalCount — the same two statements the query builder sent, without building them and
 * transforming rows on every request.
 */
export async function plainKeysetPage<T extends ObjectLiteral>(
  ds: DataSource,
  entity: new () => T,
  filter: SqlConditions,
  page: KeysetPage<T>,
): Promise<LazyConnection<T>> {
  const counted = filter.copy();
  const listed = filter.copy();
  if (page.seek) listed.and(page.seek);
  const limit = listed.param(page.limit + 1);
  const rows = await plainRowReader(ds, entity).where(`${listed.sql} ORDER BY ${page.orderBy} LIMIT ${limit}`, listed.params);
  const { edges, pageInfo } = toConnection(rows, page.limit, page.keyOf);
  const table = ds.driver.escape(ds.getMetadata(entity).tableName);
  return {
    edges,
    pageInfo,
    totalCount: async () =>
      Number(((await ds.query(`SELECT count(*)::int AS n FROM ${table} WHERE ${counted.sql}`, counted.params)) as { n: number }[])[0]!.n),
  };
}
