import { baseConfigShape, loadConfig, parseCommandLine } from '@medcollab/kit';
import { checkPostgres } from './lib/preflight';
import { closeAll, migrateAll } from './lib/migrate-all';

/** `pnpm migrate`: creates every service database that is missing and applies pending migrations. */
const USAGE = `Usage: pnpm migrate

Creates every service database that is missing and applies pending migrations. Uses DATABASE_URL.`;

async function main(): Promise<void> {
  parseCommandLine(USAGE, {});
  const config = loadConfig(baseConfigShape);
  await checkPostgres(config.DATABASE_URL);
  const dataSources = await migrateAll(config.DATABASE_URL);
  console.log(`migrations applied: ${Object.keys(dataSources).join(', ')}`);
  await closeAll(dataSources);
}

main().catch((error: Error) => {
  console.error(error.message);
  process.exit(1);
});
