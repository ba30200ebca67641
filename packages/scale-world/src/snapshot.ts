import { Client, type ClientConfig } from 'pg';
import { type Queryable } from './bulk';

/** How to reach the database from another connection (or another thread): a URL, or its parts. */
export type ConnectionSettings = Pick<ClientConfig, 'connectionString' | 'host' | 'port' | 'user' | 'password' | 'database' | 'ssl'>;

const SNAPSHOT_ID = /^[0-9A-F]+-[0-9A-F]+(-[0-9A-F]+)?$/i;

/**
 * Exports the snapshot of the caller's open transaction (`pg_export_snapshot()`), for readers on
 * other connections to see exactly the rows it sees; valid until that transaction ends.
 */
export async function exportSnapshot(db: Queryable): Promise<string> {
  const result = (await db.query('SELECT pg_export_snapshot() AS snapshot')) as { snapshot: string }[] | { rows: { snapshot: string }[] };
  const rows = Array.isArray(result) ? result : result.rows;
  return rows[0]!.snapshot;
}

/** A read-only connection on its own transaction that sees what `snapshot` sees (nothing committed since). */
export interface SnapshotReader {
  query<T>(sql: string, params?: unknown[]): Promise<T[]>;
  close(): Promise<void>;
}

/**
 * Opens a connection whose transaction imports an exported snapshot (REPEATABLE READ, READ ONLY):
 * several of them read one transaction's view of the data in parallel.
 */
export async function openSnapshotReader(
  settings: ConnectionSettings,
  snapshot: string,
  applicationName?: string,
): Promise<SnapshotReader> {
  if (!SNAPSHOT_ID.test(snapshot)) throw new Error(`not a snapshot id: ${snapshot}`);
  const client = new Client({ ...settings, application_name: applicationName });
  await client.connect();
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY');
    // SET TRANSACTION SNAPSHOT takes no parameters; the id is checked above.
    await client.query(`SET TRANSACTION SNAPSHOT '${snapshot}'`);
  } catch (error) {
    await client.end().catch(() => undefined);
    throw error;
  }
  return {
    async query<T>(sql: string, params?: unknown[]) {
      return (await client.query(sql, params)).rows as T[];
    },
    async close() {
      await client.query('COMMIT').catch(() => undefined);
      await client.end();
    },
  };
}
