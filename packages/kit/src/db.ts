import 'reflect-metadata';
import { type EventEmitter } from 'node:events';
import { Client } from 'pg';
import { ConfigError } from './config';
import { ConflictError } from './errors';
import { DataSource, type EntityManager, type EntitySchema, type Logger as OrmLogger, type MixedList } from 'typeorm';

// TypeORM takes classes or schemas here; `Function` is its own type for entity classes.
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
type EntityList = MixedList<Function | string | EntitySchema>;
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
type MigrationList = MixedList<Function | string>;

/**
 * One database per service on the shared server (docs/architecture.md §2): `<prefix>_<service>`.
 * The prefix is `medcollab` unless `DATABASE_PREFIX` says otherwise (e.g. `medcollab_large` for
 * the world `pnpm seed --scale large` builds beside the demo).
 */
export function serviceDatabaseName(service: string, prefix: string = process.env.DATABASE_PREFIX || 'medcollab'): string {
  if (!/^[a-z][a-z0-9_]*$/.test(prefix)) throw new Error(`DATABASE_PREFIX must be lower-case letters, digits and _ (got ${prefix})`);
  return `${prefix}_${service}`;
}

/** The same server URL pointing at another database. */
export function withDatabase(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** Creates `database` on the server unless it exists; safe to call from several processes. */
export async function ensureDatabase(serverUrl: string, database: string, template?: string): Promise<void> {
  const client = new Client({ connectionString: serverUrl });
  await client.connect();
  try {
    const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (exists.rowCount) return;
    const from = template ? ` TEMPLATE ${quoteIdent(template)}` : '';
    await client.query(`CREATE DATABASE ${quoteIdent(database)}${from}`);
  } catch (error) {
    // 42P04 duplicate_database, 23505: another process created it between our check and create.
    const code = (error as { code?: string }).code;
    if (code !== '42P04' && code !== '23505') throw error;
  } finally {
    await client.end();
  }
}

export interface DataSourceOptions {
  url: string;
  entities: EntityList;
  migrations: MigrationList;
  /** Connections at most; default DATABASE_POOL_SIZE, else 10. */
  poolSize?: number;
  logger?: OrmLogger;
  applicationName?: string;
}

/**
 * Pool settings from the environment. DATABASE_POOL_SIZE is the pool of every DataSource that
 * does not choose its own (an API's; tests set it low, so two suites beside a running stack stay
 * within PostgreSQL's max_connections); DATABASE_CONNECT_TIMEOUT_MS is how long a query waits for
 * a connection, a free slot in the pool included (tests wait longer: a small pool on a loaded
 * machine queues).
 */
export function databasePoolSettings(env: NodeJS.ProcessEnv = process.env): { size: number; connectTimeoutMs: number } {
  const read = (name: string, fallback: number): number => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 1)
      throw new ConfigError(`Invalid configuration:\n  - ${name}: must be a positive whole number (got ${raw})`);
    return n;
  };
  return { size: read('DATABASE_POOL_SIZE', 10), connectTimeoutMs: read('DATABASE_CONNECT_TIMEOUT_MS', 5_000) };
}

/** A service's DataSource; schema changes only ever come from its migrations. */
export function createDataSource(opts: DataSourceOptions): DataSource {
  const pool = databasePoolSettings();
  return new DataSource({
    type: 'postgres',
    url: opts.url,
    entities: opts.entities,
    migrations: opts.migrations,
    migrationsTableName: 'migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    logger: opts.logger,
    logging: opts.logger ? ['query', 'error'] : ['error'],
    applicationName: opts.applicationName,
    extra: {
      max: opts.poolSize ?? pool.size,
      // A killed or restarted PostgreSQL leaves dead sockets; fail fast and let the pool reconnect.
      connectionTimeoutMillis: pool.connectTimeoutMs,
      idleTimeoutMillis: 30_000,
      keepAlive: true,
    },
  });
}

/**
 * A connection PostgreSQL terminates (restart, pg_terminate_backend) while it is checked out but
 * between queries — e.g. a transaction waiting on Redis — emits 'error' on the client itself,
 * where nobody listens: Node would crash the process. The query in flight (if any) still fails
 * and the pool drops the client, so a listener that swallows the event is all that is needed.
 */
function guardPooledClients(ds: DataSource): void {
  const pool = (ds.driver as unknown as { master?: EventEmitter }).master;
  pool?.on('connect', (client: EventEmitter) => client.on('error', () => undefined));
  pool?.on('error', () => undefined);
}

/** Connects and applies pending migrations (start-up and the `migrate` command). */
export async function initializeDataSource(ds: DataSource, opts: { migrate: boolean }): Promise<DataSource> {
  if (!ds.isInitialized) {
    await ds.initialize();
    guardPooledClients(ds);
  }
  if (opts.migrate) await ds.runMigrations({ transaction: 'each' });
  return ds;
}

/**
 * How a service names the unique indexes a racing writer can still hit after its own checks:
 * a message (CONFLICT), a message and the input field to name, or the exact refusal to raise.
 */
export type UniqueRefusals = Record<string, string | { message: string; field: string } | (() => Error)>;

const UNIQUE_VIOLATION = '23505';

/**
 * Runs one command in one transaction: the change, its audit rows and its outbox events commit
 * together or not at all. A unique index that catches a race becomes the refusal the service's
 * own checks would have given (CONFLICT by default), never a server error.
 */
export async function runCommand<T>(ds: DataSource, work: (em: EntityManager) => Promise<T>, refusals: UniqueRefusals = {}): Promise<T> {
  try {
    return await ds.transaction(work);
  } catch (error) {
    const { code, constraint } = error as { code?: string; constraint?: string };
    if (code !== UNIQUE_VIOLATION) throw error;
    const known = refusals[constraint ?? ''];
    if (typeof known === 'function') throw known();
    if (typeof known === 'string') throw new ConflictError(known);
    if (known) throw new ConflictError(known.message, { field: known.field });
    throw new ConflictError('This record already exists');
  }
}

/** Runs `work` in one transaction: every multi-row change commits or rolls back as a whole. */
export function inTransaction<T>(ds: DataSource, work: (em: EntityManager) => Promise<T>): Promise<T> {
  return ds.transaction(work);
}
