import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Client, type ClientBase } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';

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

/** Rows to write: an array, or any iterable (a generator keeps a big table out of memory). */
export type BulkRows = Iterable<readonly unknown[]>;

const arrayLiteral = (xs: readonly unknown[]): string =>
  `{${xs.map((x) => (x === null ? 'NULL' : `"${String(x).replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`)).join(',')}}`;

/** A value as PostgreSQL's text input reads it (arrays as array literals, jsonb as JSON). */
function asText(value: unknown, type: string): string {
  if (type.endsWith('[]')) return arrayLiteral(value as unknown[]);
  if (type === 'jsonb' || type === 'json') return JSON.stringify(value);
  if (value instanceof Date) return type === 'date' ? value.toISOString().slice(0, 10) : value.toISOString();
  if (typeof value === 'boolean') return value ? 't' : 'f';
  return String(value);
}

const COPY_SPECIAL = /[\\\t\n\r]/;
const COPY_ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

/** One field of COPY's text format: `\N` for NULL; backslash, tab and line breaks escaped. */
function copyField(value: unknown, type: string): string {
  if (value === null || value === undefined) return '\\N';
  const text = asText(value, type);
  return COPY_SPECIAL.test(text) ? text.replace(/[\\\t\n\r]/g, (c) => COPY_ESCAPES[c]!) : text;
}

/**
 * The pg connection behind `db` when COPY can run on it inside the caller's transaction: a
 * TypeORM EntityManager of a transaction (its query runner's connection) or a pg Client.
 * A DataSource or Pool has no single connection, so it gets the INSERT path.
 */
async function copyConnection(db: Queryable): Promise<ClientBase | undefined> {
  if (db instanceof Client) return db;
  const runner = (db as { queryRunner?: { connect(): Promise<unknown>; isTransactionActive?: boolean } }).queryRunner;
  if (runner?.isTransactionActive) {
    const connection = await runner.connect();
    if (connection instanceof Client) return connection;
  }
  return undefined;
}

/** One row as a line of COPY's text format (with its line break). */
export function copyLine(row: readonly unknown[], columns: readonly BulkColumn[]): string {
  let line = '';
  for (let i = 0; i < columns.length; i++) line += (i ? '\t' : '') + copyField(row[i], columns[i]![1]);
  return `${line}\n`;
}

/**
 * Writes rows with one `COPY … FROM STDIN` (text format): the server parses plain lines, with
 * no statement per chunk and no arrays to build and unnest; rows are encoded as they are read,
 * in pieces of ~64 KB, so a generator's rows never sit in memory all at once.
 */
async function copyRows(client: ClientBase, table: string, columns: readonly BulkColumn[], rows: BulkRows): Promise<number> {
  let count = 0;
  function* pieces(): Generator<string> {
    let piece = '';
    for (const row of rows) {
      piece += copyLine(row, columns);
      count += 1;
      if (piece.length >= 65_536) {
        yield piece;
        piece = '';
      }
    }
    if (piece) yield piece;
  }
  await copyText(client, table, columns, pieces());
  return count;
}

/** One `COPY … FROM STDIN` of text already in COPY's format (whole lines, in pieces of any size, as strings or UTF-8 bytes, e.g. from other threads). */
async function copyText(
  client: ClientBase,
  table: string,
  columns: readonly BulkColumn[],
  pieces: Iterable<string | Uint8Array> | AsyncIterable<string | Uint8Array>,
): Promise<void> {
  const names = columns.map(([name]) => `"${name}"`).join(', ');
  await pipeline(Readable.from(pieces), client.query(copyFrom(`COPY ${table} (${names}) FROM STDIN`)));
}

/**
 * Writes lines made with `copyLine` (pieces of whole lines, as they come, strings or UTF-8 bytes) with one COPY; `db`
 * must be one connection in a transaction (a transaction's EntityManager or a pg Client).
 */
export async function copyLines(
  db: Queryable,
  table: string,
  columns: readonly BulkColumn[],
  pieces: Iterable<string | Uint8Array> | AsyncIterable<string | Uint8Array>,
): Promise<void> {
  const client = await copyConnection(db);
  if (!client) throw new Error(`COPY into ${table} needs one connection in a transaction`);
  await copyText(client, table, columns, pieces);
}

/**
 * Multi-row INSERTs, one statement per chunk: every column is sent as one array parameter and
 * `unnest` turns them back into rows. Array and jsonb columns travel as text and are cast back.
 */
async function insertRows(db: Queryable, table: string, columns: readonly BulkColumn[], rows: BulkRows, chunk: number): Promise<number> {
  const all = Array.isArray(rows) ? (rows as readonly (readonly unknown[])[]) : [...rows];
  const transport = columns.map(([, type]) => (type.endsWith('[]') || type === 'jsonb' ? 'text' : type));
  const names = columns.map(([name]) => `"${name}"`).join(', ');
  const selected = columns.map(([, type], i) => (transport[i] === type ? `c${i}` : `c${i}::${type}`)).join(', ');
  const unnest = transport.map((type, i) => `$${i + 1}::${type}[]`).join(', ');
  const alias = columns.map((_, i) => `c${i}`).join(', ');
  const sql = `INSERT INTO ${table} (${names}) SELECT ${selected} FROM unnest(${unnest}) AS t(${alias})`;
  for (let start = 0; start < all.length; start += chunk) {
    const slice = all.slice(start, start + chunk);
    const params = columns.map(([, type], i) =>
      slice.map((row) => {
        const value = row[i];
        if (value === null || value === undefined) return null;
        return type.endsWith('[]') || type === 'jsonb' ? asText(value, type) : value;
      }),
    );
    await db.query(sql, params);
  }
  return all.length;
}

/**
 * Writes rows in bulk and returns how many: with COPY where `db` is one connection in a
 * transaction (every loader's EntityManager; the fastest way into PostgreSQL), otherwise with
 * multi-row INSERT … SELECT FROM unnest(…) in chunks of `chunk` rows.
 */
export async function bulkInsert(
  db: Queryable,
  table: string,
  columns: readonly BulkColumn[],
  rows: BulkRows,
  chunk = 5_000,
): Promise<number> {
  if (Array.isArray(rows) && !rows.length) return 0;
  const started = Date.now();
  const client = await copyConnection(db);
  const count = client ? await copyRows(client, table, columns, rows) : await insertRows(db, table, columns, rows, chunk);
  if (count) observer?.(table, count, Date.now() - started);
  return count;
}

/**
 * Bulk loading into empty tables: drops their secondary indexes (not those behind primary-key
 * or unique constraints, unless `keys`), runs `load`, then builds them again — one sort per index
 * instead of one insertion per row, and unique indexes still refuse duplicates when rebuilt. With
 * `keys`, primary-key and unique constraints are dropped and added back too (with their names and
 * definitions as they were), for tables that nothing references by foreign key. Call inside the
 * loader's transaction so a failure leaves the indexes as they were.
 */
export async function withIndexesDeferred<T>(
  db: Queryable,
  tables: readonly string[],
  load: () => Promise<T>,
  options: { keys?: boolean } = {},
): Promise<T> {
  const rowsOf = <R>(result: unknown): R[] => (Array.isArray(result) ? (result as R[]) : (result as { rows: R[] }).rows);
  const keys = options.keys
    ? rowsOf<{ table: string; name: string; definition: string }>(
        await db.query(
          `SELECT t.relname AS table, c.conname AS name, pg_get_constraintdef(c.oid) AS definition
             FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid JOIN pg_namespace n ON n.oid = t.relnamespace
            WHERE n.nspname = 'public' AND t.relname = ANY($1) AND c.contype IN ('p', 'u') ORDER BY t.relname, c.conname`,
          [tables],
        ),
      )
    : [];
  const indexes = rowsOf<{ indexname: string; indexdef: string }>(
    await db.query(
      `SELECT i.indexname, i.indexdef FROM pg_indexes i
        WHERE i.schemaname = 'public' AND i.tablename = ANY($1)
          AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)`,
      [tables],
    ),
  );
  for (const { indexname } of indexes) await db.query(`DROP INDEX "${indexname}"`);
  for (const { table, name } of keys) await db.query(`ALTER TABLE "${table}" DROP CONSTRAINT "${name}"`);
  // Lets the rebuild sort a large table's keys in memory rather than in temporary files.
  await db.query(`SET LOCAL maintenance_work_mem = '256MB'`);
  const out = await load();
  for (const { table, name, definition } of keys) await db.query(`ALTER TABLE "${table}" ADD CONSTRAINT "${name}" ${definition}`);
  for (const { indexdef } of indexes) await db.query(indexdef);
  return out;
}
