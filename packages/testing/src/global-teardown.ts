import { Client } from 'pg';
import { dropCompositionCache } from './composition-cache';

/** Drops this run's templates and composed supergraphs (test files drop their own databases in afterAll). */
export default async function globalTeardown(): Promise<void> {
  const serverUrl = process.env.TEST_DATABASE_URL;
  const run = process.env.TEST_RUN_ID;
  if (!serverUrl || !run) return;
  dropCompositionCache(run);
  const client = new Client({ connectionString: serverUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ datname: string }>('SELECT datname FROM pg_database WHERE datname LIKE $1', [
      `mctpl\\_%\\_${run}\\_%`,
    ]);
    for (const { datname } of rows) {
      await client.query(`ALTER DATABASE "${datname}" WITH IS_TEMPLATE false`);
      await client.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
    }
  } finally {
    await client.end();
  }
  await (globalThis as { __testRun?: { release(): Promise<void> } }).__testRun?.release();
  const containers = (globalThis as { __containers?: { stop(): Promise<unknown> }[] }).__containers ?? [];
  await Promise.all(containers.map((c) => c.stop()));
}
