/**
 * The init container of every Deployment (subgraph and worker): waits until the service's
 * database carries exactly the migrations this image ships, so a pod never serves a schema it
 * does not expect.
 *
 *   node scripts/wait-for-schema.js <service> [--timeout-seconds 600]
 *
 * Pending migrations (the release's migrations Job has not finished): waits, polling.
 * Migrations this image does not know (a newer release migrated the database): exits 1 at once;
 * the pod does not start, and the rollout stops instead of serving a schema it cannot read.
 */
import { parseArgs } from 'node:util';
import {
  baseConfigShape,
  createDataSource,
  initializeDataSource,
  loadConfig,
  schemaVersion,
  serviceDatabaseName,
  withDatabase,
} from '@medcollab/kit';
import { loadSubgraph } from './lib/services';

const POLL_MS = 2_000;

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { 'timeout-seconds': { type: 'string', default: '600' } } });
  const service = positionals[0];
  if (!service) {
    console.error('Usage: node scripts/wait-for-schema.js <service> [--timeout-seconds 600]');
    return 2;
  }
  const mod = await loadSubgraph(service);
  const config = loadConfig(baseConfigShape);
  const deadline = Date.now() + Number(values['timeout-seconds']) * 1000;
  let said = '';
  for (;;) {
    const ds = createDataSource({
      url: withDatabase(config.DATABASE_URL, serviceDatabaseName(service)),
      entities: [],
      migrations: mod.migrations,
      poolSize: 1,
    });
    try {
      await initializeDataSource(ds, { migrate: false });
      const { pending, unknown } = await schemaVersion(ds);
      if (unknown.length) {
        console.error(`${service}: the database has migrations this release does not know (${unknown.join(', ')}); refusing to start.`);
        return 1;
      }
      if (!pending.length) {
        console.log(`${service}: schema is at this release's migrations.`);
        return 0;
      }
      const now = `${service}: waiting for the migrations Job (pending: ${pending.join(', ')})`;
      if (now !== said) console.log((said = now));
    } catch (error) {
      const now = `${service}: database not reachable yet (${(error as Error).message})`;
      if (now !== said) console.log((said = now));
    } finally {
      if (ds.isInitialized) await ds.destroy();
    }
    if (Date.now() > deadline) {
      console.error(`${service}: schema not ready after ${values['timeout-seconds']} s.`);
      return 1;
    }
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  },
);
