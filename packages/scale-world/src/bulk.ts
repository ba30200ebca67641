/** Anything with a `query(sql, params)`: a TypeORM DataSource or EntityManager, a pg Client or Pool. */
export interface Queryable {
  query(sql: string, params?: unknown[]): Promise<unknown>;
}

let observer: ((table: string, rows: number, ms: number) => void) | undefined;

/** Tells `observe` of every table written in bulk (the seed prints per-table timings with it). */
export function observeBulkInserts(observe: ((table: string, rows: number, ms: number) => void) | undefined): void {
  observer = observe;
}

/** A column written in bulk: its name and PostgreSQL type (`uuid`, `text[]`, `jsonb`, …). */
export type BulkColumn = readonly [name: string, type: string];

const arrayLiteral = (xs: readonly unknown[]): string =>
  `{${xs.map((x) => (x === null ? 'NULL' : `"${String(x).replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`)).join(',')}}`;

/**
 * Inserts rows in chunks with one statement per chunk: every column is sent as one array
 * parameter and `unnest` turns them back into rows (far fewer round trips than row-by-row
 * inserts, no extra dependency). Array and jsonb columns travel as text and are cast back.
 * Returns the number of rows written.
 */
export async function bulkInsert(
  db: Queryable,
  table: string,
  columns: readonly BulkColumn[],
  rows: readonly (readonly unknown[])[],
  chunk = 5_000,
): Promise<number> {
  if (!rows.length) return 0;
  const transport = columns.map(([, type]) => (type.endsWith('[]') || type === 'jsonb' ? 'text' : type));
  const names = columns.map(([name]) => `"${name}"`).join(', ');
  const selected = columns.map(([, type], i) => (transport[i] === type ? `c${i}` : `c${i}::${type}`)).join(', ');
  const unnest = transport.map((type, i) => `$${i + 1}::${type}[]`).join(', ');
  const alias = columns.map((_, i) => `c${i}`).join(', ');
  const sql = `INSERT INTO ${table} (${names}) SELECT ${selected} FROM unnest(${unnest}) AS t(${alias})`;
  const started = Date.now();
  for (let start = 0; start < rows.length; start += chunk) {
    const slice = rows.slice(start, start + chunk);
    const params = columns.map(([, type], i) =>
      slice.map((row) => {
        const value = row[i];
        if (value === null || value === undefined) return null;
        if (type.endsWith('[]')) return arrayLiteral(value as unknown[]);
        if (type === 'jsonb') return JSON.stringify(value);
        return value;
      }),
    );
    await db.query(sql, params);
  }
  observer?.(table, rows.length, Date.now() - started);
  return rows.length;
}

/**
 * Bulk loading into empty tables: drops their secondary indexes (not those behind primary-key
 * or unique constraints), runs `load`, then builds them again — one sort per index instead of
 * one insertion per row, and unique indexes still refuse duplicates when rebuilt. Call inside
 * the loader's transaction so a failure leaves the indexes as they were.
 */
export async function withIndexesDeferred<T>(db: Queryable, tables: readonly string[], load: () => Promise<T>): Promise<T> {
  const result = (await db.query(
    `SELECT i.indexname, i.indexdef FROM pg_indexes i
      WHERE i.schemaname = 'public' AND i.tablename = ANY($1)
        AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)`,
    [tables],
  )) as { indexname: string; indexdef: string }[] | { rows: { indexname: string; indexdef: string }[] };
  const indexes = Array.isArray(result) ? result : result.rows;
  for (const { indexname } of indexes) await db.query(`DROP INDEX "${indexname}"`);
  const out = await load();
  for (const { indexdef } of indexes) await db.query(indexdef);
  return out;
}
