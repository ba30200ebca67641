import { createHash, randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { type DataSource } from 'typeorm';
import { createDataSource, initializeDataSource, withDatabase, type DataSourceOptions } from '@medcollab/kit';
import { testServices } from './services';

export interface TestDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
type MigrationClass = Function;

/**
 * Data a test database starts with, loaded once per run into a template of its own (cloned per
 * file like the migrated one): e.g. the demo network, which a dozen e2e files would otherwise
 * seed one by one. `name` tells templates apart, so it must differ between two loads.
 */
export interface TemplateSeed {
  name: string;
  load(dataSource: DataSource): Promise<unknown>;
}

/**
 * Templates are built once per test run (TEST_RUN_ID, set by globalSetup) and per set of
 * migrations: a migration that calls shared SQL (the event tables) changes with that SQL, which
 * a hash of its own code would miss, and a run never sees another run's template.
 */
function templateName(service: string, migrations: MigrationClass[]): string {
  const hash = createHash('sha256');
  for (const m of migrations) hash.update(m.name);
  return `mctpl_${service}_${runId()}_${hash.digest('hex').slice(0, 8)}`;
}

/** Seconds since the epoch when this run started; names carry it so stale leftovers can be dropped. */
export function runId(): string {
  return (process.env.TEST_RUN_ID ??= String(Math.floor(Date.now() / 1000)));
}

async function withAdmin<T>(serverUrl: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: serverUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/**
 * Creates the service's template once across all Jest workers (advisory lock): migrated, or
 * cloned from the migrated one (`from`) and given the seed's data.
 */
async function ensureTemplate(
  serverUrl: string,
  name: string,
  opts: Pick<DataSourceOptions, 'entities' | 'migrations'>,
  seeded?: { from: string; seed: TemplateSeed },
): Promise<void> {
  await withAdmin(serverUrl, async (admin) => {
    await admin.query('SELECT pg_advisory_lock(hashtext($1))', [name]);
    try {
      const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
      if (exists.rowCount) return;
      const building = `${name}_build`;
      await admin.query(`DROP DATABASE IF EXISTS "${building}" WITH (FORCE)`);
      await admin.query(seeded ? `CREATE DATABASE "${building}" TEMPLATE "${seeded.from}"` : `CREATE DATABASE "${building}"`);
      const ds = createDataSource({ url: withDatabase(serverUrl, building), ...opts, poolSize: 1 });
      await initializeDataSource(ds, { migrate: !seeded });
      try {
        await seeded?.seed.load(ds);
      } finally {
        await ds.destroy();
      }
      // Renamed only when complete, so no worker ever clones a half-migrated template.
      await admin.query(`ALTER DATABASE "${building}" RENAME TO "${name}"`);
      await admin.query(`ALTER DATABASE "${name}" WITH IS_TEMPLATE true`);
    } finally {
      await admin.query('SELECT pg_advisory_unlock(hashtext($1))', [name]);
    }
  });
}

/**
 * A fresh, migrated database for one test file, cloned from a template (much faster than
 * running the migrations again), holding `seed`'s data when given. Drop it in afterAll.
 */
export async function createTestDatabase(
  service: string,
  opts: { entities: DataSourceOptions['entities']; migrations: DataSourceOptions['migrations']; seed?: TemplateSeed },
): Promise<TestDatabase> {
  const { databaseUrl: serverUrl } = testServices();
  // Services list their migrations as classes; the template's name hashes their code.
  const migrated = templateName(service, opts.migrations as MigrationClass[]);
  await ensureTemplate(serverUrl, migrated, opts);
  let template = migrated;
  if (opts.seed) {
    template = `${migrated}_${opts.seed.name}`;
    await ensureTemplate(serverUrl, template, opts, { from: migrated, seed: opts.seed });
  }
  const name = `mctest_${service}_${runId()}_${randomBytes(4).toString('hex')}`;
  await withAdmin(serverUrl, async (admin) => {
    for (let attempt = 0; ; attempt++) {
      try {
        await admin.query(`CREATE DATABASE "${name}" TEMPLATE "${template}"`);
        return;
      } catch (error) {
        // Two clones of one template at the same instant can collide; a short retry settles it.
        if (attempt >= 10 || (error as { code?: string }).code !== '55006') throw error;
        await new Promise((r) => setTimeout(r, 50 + Math.random() * 100));
      }
    }
  });
  return {
    name,
    url: withDatabase(serverUrl, name),
    drop: () => withAdmin(serverUrl, (admin) => admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)).then(() => undefined),
  };
}
