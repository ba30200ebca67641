import { Client } from 'pg';
import { type BulkColumn, copyLines, type Queryable } from './bulk';
import { type ConnectionSettings } from './snapshot';

/** The suffix of a shadow table and of its indexes until they are swapped in. */
const SHADOW = '__rebuilt';

/** A table's keys (primary key, unique constraints) and other indexes, as the catalog defines them. */
interface TableIndexes {
  keys: { name: string; kind: 'PRIMARY KEY' | 'UNIQUE'; index: string; definition: string }[];
  indexes: { name: string; definition: string }[];
}

const rowsOf = <R>(result: unknown): R[] => (Array.isArray(result) ? (result as R[]) : (result as { rows: R[] }).rows);

/** `CREATE [UNIQUE] INDEX name ON [ONLY] table …` (pg_get_indexdef) for the shadow: its index on the shadow table. */
function onShadow(definition: string, table: string): string {
  const head = /^CREATE (UNIQUE )?INDEX (\S+) ON (ONLY )?(\S+) /.exec(definition);
  if (!head) throw new Error(`an index definition not understood: ${definition}`);
  return `CREATE ${head[1] ?? ''}INDEX "${head[2]!.replace(/"/g, '')}${SHADOW}" ON "${table}${SHADOW}" ${definition.slice(head[0].length)}`;
}

/**
 * Tables loaded from nothing beside the live ones (ADR 0061), for a rebuild that replaces every
 * row: each table's shadow is created like it (columns, defaults, checks; no indexes), filled on
 * connections of their own — several COPYs and index builds at once, where one transaction could
 * only run them one after another — and swapped in by the caller's transaction (the live table
 * dropped, the shadow renamed, its keys and indexes given the live names), so the change is still
 * one commit and readers keep the old rows until it. A failure before the swap leaves the live
 * tables as they were; `close` drops shadows left over, and `open` drops those of a rebuild that
 * died. For tables nothing references by foreign key or view, and whose rebuild is serialised by
 * the caller (a lock held by its transaction).
 */
export class ShadowTables {
  private swapped = false;

  private constructor(
    private readonly connection: ConnectionSettings,
    private readonly tables: ReadonlyMap<string, TableIndexes>,
  ) {}

  /** Reads the tables' keys and indexes in the caller's transaction and creates the empty shadows. */
  static async open(db: Queryable, connection: ConnectionSettings, tables: readonly string[]): Promise<ShadowTables> {
    const keys = rowsOf<{ table: string; name: string; kind: 'p' | 'u'; index: string; definition: string }>(
      await db.query(
        `SELECT t.relname AS table, c.conname AS name, c.contype AS kind, i.relname AS index, pg_get_indexdef(c.conindid) AS definition
           FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid JOIN pg_class i ON i.oid = c.conindid
           JOIN pg_namespace n ON n.oid = t.relnamespace
          WHERE n.nspname = 'public' AND t.relname = ANY($1) AND c.contype IN ('p', 'u') ORDER BY 1, 2`,
        [tables],
      ),
    );
    const indexes = rowsOf<{ table: string; name: string; definition: string }>(
      await db.query(
        `SELECT i.tablename AS table, i.indexname AS name, i.indexdef AS definition FROM pg_indexes i
          WHERE i.schemaname = 'public' AND i.tablename = ANY($1)
            AND NOT EXISTS (SELECT 1 FROM pg_constraint c JOIN pg_class x ON x.oid = c.conindid WHERE x.relname = i.indexname)
          ORDER BY 1, 2`,
        [tables],
      ),
    );
    const byTable = new Map<string, TableIndexes>(tables.map((t) => [t, { keys: [], indexes: [] }]));
    for (const k of keys)
      byTable
        .get(k.table)!
        .keys.push({ name: k.name, kind: k.kind === 'p' ? 'PRIMARY KEY' : 'UNIQUE', index: k.index, definition: k.definition });
    for (const i of indexes) byTable.get(i.table)!.indexes.push({ name: i.name, definition: i.definition });
    const shadows = new ShadowTables(connection, byTable);
    await shadows.on(async (client) => {
      for (const table of tables) {
        await client.query(`DROP TABLE IF EXISTS "${table}${SHADOW}"`);
        await client.query(`CREATE TABLE "${table}${SHADOW}" (LIKE "${table}" INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING STORAGE)`);
      }
    });
    return shadows;
  }

  /** Writes COPY text (whole lines, in pieces) into the shadow of `table`, on a connection of its own. */
  async copy(table: string, columns: readonly BulkColumn[], pieces: AsyncIterable<string | Uint8Array>): Promise<void> {
    this.indexesOf(table);
    await this.on((client) => copyLines(client, `"${table}${SHADOW}"`, columns, pieces));
  }

  /** Builds the keys' and indexes' indexes of the filled shadow of `table`, each on a connection of its own, all at once. */
  async index(table: string): Promise<void> {
    const { keys, indexes } = this.indexesOf(table);
    await Promise.all(
      [...keys, ...indexes].map(({ definition }) =>
        this.on(async (client) => {
          // One sort in memory per index rather than in temporary files (a large table's key).
          await client.query(`SET maintenance_work_mem = '256MB'`);
          await client.query(onShadow(definition, table));
        }),
      ),
    );
  }

  /** In the caller's transaction: each live table dropped and its shadow put in its place, keys and indexes under the live names. */
  async swap(db: Queryable): Promise<void> {
    for (const [table, { keys, indexes }] of this.tables) {
      await db.query(`DROP TABLE "${table}"`);
      await db.query(`ALTER TABLE "${table}${SHADOW}" RENAME TO "${table}"`);
      // The index is renamed to the constraint's name (ADD CONSTRAINT … USING INDEX).
      for (const k of keys) await db.query(`ALTER TABLE "${table}" ADD CONSTRAINT "${k.name}" ${k.kind} USING INDEX "${k.index}${SHADOW}"`);
      for (const i of indexes) await db.query(`ALTER INDEX "${i.name}${SHADOW}" RENAME TO "${i.name}"`);
    }
    this.swapped = true;
  }

  /** Drops the shadows unless they were swapped in (call after the caller's transaction has ended). */
  async close(): Promise<void> {
    if (this.swapped) return;
    await this.on(async (client) => {
      for (const table of this.tables.keys()) await client.query(`DROP TABLE IF EXISTS "${table}${SHADOW}"`);
    });
  }

  private indexesOf(table: string): TableIndexes {
    const found = this.tables.get(table);
    if (!found) throw new Error(`${table} has no shadow`);
    return found;
  }

  /** Runs `work` on a connection of its own (each statement its own transaction). */
  private async on<T>(work: (client: Client) => Promise<T>): Promise<T> {
    const client = new Client({ ...this.connection, application_name: 'shadow-tables' });
    await client.connect();
    try {
      return await work(client);
    } finally {
      await client.end().catch(() => undefined);
    }
  }
}
