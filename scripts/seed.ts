import { baseConfigShape, loadConfig, parseCommandLine } from '@medcollab/kit';
import { checkPostgres } from './lib/preflight';
import { closeAll, migrateAll } from './lib/migrate-all';
import { demoTokens, seedDemo } from './lib/demo';

/** `pnpm seed`: migrates every service database and loads the demo data where it is missing. */
const USAGE = `Usage: pnpm seed

Creates and migrates every service database that is missing, loads the demo network where it
is not there yet (idempotent), and prints the demo summary and tokens. Uses DATABASE_URL.`;

async function main(): Promise<void> {
  parseCommandLine(USAGE, {});
  const config = loadConfig(baseConfigShape);
  await checkPostgres(config.DATABASE_URL);
  const dataSources = await migrateAll(config.DATABASE_URL);
  try {
    const summary = await seedDemo(dataSources);
    console.log(summary.created ? 'Demo network loaded.' : 'Demo network already present; nothing changed.');
    console.log(JSON.stringify(summary, null, 2));
    for (const [who, token] of Object.entries(await demoTokens(summary))) console.log(`${who}: ${token}`);
  } finally {
    await closeAll(dataSources);
  }
}

main().catch((error: Error) => {
  console.error(error.message);
  process.exit(1);
});
