/** Anything with a `query(sql, params)`: a TypeORM DataSource or EntityManager, a pg Client or Pool. */
export interface Queryable {
  query(sql: string, params?: unknown[]): Promise<unknown>;
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
export async function bulkInsert(db: Queryable, table: string, columns: readonly BulkColumn[], rows: readonly (readonly unknown[])[], chunk = 5_000): Promise<number> {
  if (!rows.length) return 0;
  const transport = columns.map(([, type]) => (type.endsWith('[]') || type === 'jsonb' ? 'text' : type));
  const names = columns.map(([name]) => `"${name}"`).join(', ');
  const selected = columns.map(([, type], i) => (transport[i] === type ? `c${i}` : `c${i}::${type}`)).join(', ');
  const unnest = transport.map((type, i) => `$${i + 1}::${type}[]`).join(', ');
  const alias = columns.map((_, i) => `c${i}`).join(', ');
  const sql = `INSERT INTO ${table} (${names}) SELECT ${selected} FROM unnest(${unnest}) AS t(${alias})`;
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
  return rows.length;
}
