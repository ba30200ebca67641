import { type DataSource, type ObjectLiteral } from 'typeorm';
import { type ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';

/**
 * Rows of a flat entity by one column's values, in plain SQL through the DataSource's pool,
 * without TypeORM's query building and result transformer (ADR 0036). Hot loaders ask the same
 * shape of question thousands of times a second (`WHERE student_id = ANY($1)` ordered one way):
 * TypeORM rebuilt the SQL from find options and ran its generic row-to-entity transformer on
 * every call — a third of a subgraph's CPU on the dashboard operations. Here the SQL is built
 * once per question from the entity's metadata, and each row is mapped column by column with
 * the driver's own hydration (date columns as `YYYY-MM-DD`, enum arrays, transformers) only
 * where a column needs it. The statement still goes through `DataSource.query`, so ORM loggers
 * (the tests' statement counters) see it as before.
 *
 * For entities without relations or embedded columns (every entity a loader reads here); one
 * with those is refused when the reader is made.
 */
export interface PlainRowReader<T> {
  /**
   * Rows whose `column` is one of `values`, matching every `where` equality, in `order`.
   * `where` and `order` must be the same few shapes per call site: each distinct shape is
   * one cached SQL text.
   */
  by(column: keyof T & string, values: readonly string[], options?: { where?: Partial<T>; order?: Order<T> }): Promise<T[]>;
  /** Every row, in `order`. */
  all(order?: Order<T>): Promise<T[]>;
  /**
   * Rows matching a hand-written condition over the table's database column names, with what
   * follows it (ORDER BY, LIMIT): `where('assessor_id = $1 ORDER BY assigned_at DESC LIMIT $2', [id, 51])`.
   */
  where(condition: string, params: readonly unknown[]): Promise<T[]>;
  /**
   * Rows of the entity's table (alias `t` in `from`) joined to another, each with one more value
   * (`key`, e.g. the link's other id) — a link table read in one statement:
   * `keyed('agreement_department l JOIN department t ON t.id = l.department_id', 'l.agreement_id', 'l.agreement_id = ANY($1::uuid[])', [ids])`.
   */
  keyed(from: string, key: string, condition: string, params: readonly unknown[]): Promise<{ key: string; row: T }[]>;
}

export type Order<T> = { [K in keyof T]?: 'ASC' | 'DESC' };

/** Column types pg already returns as TypeORM would hydrate them (when the column has no transformer and is not an array). */
const AS_PG_RETURNS = new Set([
  'uuid',
  'text',
  'varchar',
  'character varying',
  'boolean',
  'bool',
  'integer',
  'int',
  'int4',
  'smallint',
  'jsonb',
  'json',
  'double precision',
  'float8',
  'real',
  'timestamptz',
  'timestamp with time zone',
]);

/** Column types a key array is cast to as they are (others are compared as text). */
const KEY_TYPES = new Set(['uuid', 'text', 'character varying', 'integer', 'bigint', 'smallint']);

interface Field {
  property: string;
  database: string;
  /** Set when the driver must convert pg's value (dates, enums, arrays, numeric, transformers). */
  hydrate?: ColumnMetadata;
}

/** Readers made so far, per DataSource and entity: each question's SQL is built once per process. */
const made = new WeakMap<DataSource, Map<unknown, PlainRowReader<never>>>();

export function plainRowReader<T extends ObjectLiteral>(ds: DataSource, entity: new () => T): PlainRowReader<T> {
  let forSource = made.get(ds);
  if (!forSource) made.set(ds, (forSource = new Map()));
  let reader = forSource.get(entity) as PlainRowReader<T> | undefined;
  if (!reader) forSource.set(entity, (reader = makeReader(ds, entity) as PlainRowReader<never>));
  return reader;
}

function makeReader<T extends ObjectLiteral>(ds: DataSource, entity: new () => T): PlainRowReader<T> {
  const meta = ds.getMetadata(entity);
  if (meta.relations.length || meta.embeddeds.length)
    throw new Error(`plainRowReader reads flat entities only; ${meta.name} has relations or embedded columns`);
  const driver = ds.driver;
  const q = (name: string) => driver.escape(name);
  const fields: Field[] = meta.columns
    .filter((c) => c.isSelect && !c.isVirtual)
    .map((c) => ({
      property: c.propertyName,
      database: c.databaseName,
      hydrate: c.transformer || c.isArray || !AS_PG_RETURNS.has(driver.normalizeType(c)) ? c : undefined,
    }));
  const columnOf = new Map(meta.columns.map((c) => [c.propertyName, c]));
  const dbName = (property: string): string => {
    const column = columnOf.get(property);
    if (!column) throw new Error(`${meta.name} has no column ${property}`);
    return q(column.databaseName);
  };
  const head = `SELECT ${fields.map((f) => q(f.database)).join(', ')} FROM ${meta.tablePath.split('.').map(q).join('.')}`;
  const orderBy = (order: Order<T> | undefined): string => {
    const parts = Object.entries(order ?? {}).map(
      ([property, direction]) => `${dbName(property)} ${direction === 'DESC' ? 'DESC' : 'ASC'}`,
    );
    return parts.length ? ` ORDER BY ${parts.join(', ')}` : '';
  };
  const sqlCache = new Map<string, string>();
  const toRow = (raw: Record<string, unknown>): T => {
    const row = Object.create(entity.prototype as object) as Record<string, unknown>;
    for (const f of fields) {
      const value = raw[f.database];
      row[f.property] = f.hydrate ? driver.prepareHydratedValue(value, f.hydrate) : value;
    }
    return row as T;
  };
  const run = async (sql: string, params: readonly unknown[]): Promise<T[]> =>
    ((await ds.query(sql, [...params])) as Record<string, unknown>[]).map(toRow);

  return {
    by: (column, values, options = {}) => {
      const where = Object.entries(options.where ?? {});
      const key = `${column}|${where.map(([k]) => k).join(',')}|${JSON.stringify(options.order ?? {})}`;
      let sql = sqlCache.get(key);
      if (!sql) {
        const keyColumn = columnOf.get(column);
        const normalized = keyColumn ? driver.normalizeType(keyColumn) : 'uuid';
        // The array's element type is the column's, so PostgreSQL compares like with like.
        const type = KEY_TYPES.has(normalized) ? normalized : 'text';
        const conditions = [`${dbName(column)} = ANY($1::${type}[])`, ...where.map(([property], i) => `${dbName(property)} = $${i + 2}`)];
        sql = `${head} WHERE ${conditions.join(' AND ')}${orderBy(options.order)}`;
        sqlCache.set(key, sql);
      }
      return run(sql, [values, ...where.map(([, value]) => value)]);
    },
    all: (order) => run(`${head}${orderBy(order)}`, []),
    where: (condition, params) => run(`${head} WHERE ${condition}`, [...params]),
    keyed: async (from, key, condition, params) => {
      const sql = `SELECT ${key} AS "__key", ${fields.map((f) => `t.${q(f.database)}`).join(', ')} FROM ${from} WHERE ${condition}`;
      const raw = (await ds.query(sql, [...params])) as Record<string, unknown>[];
      return raw.map((r) => ({ key: String(r.__key), row: toRow(r) }));
    },
  };
}
