import { baseConfigShape, loadConfig, SUBGRAPHS } from '@medcollab/kit';
import { checkPostgres } from './lib/preflight';
import { migrateService } from './lib/services';

/** `pnpm migrate`: creates every service database that is missing and applies pending migrations. */
async function main(): Promise<void> {
  const config = loadConfig(baseConfigShape);
  await checkPostgres(config.DATABASE_URL);
  for (const { name } of SUBGRAPHS) {
    const ds = await migrateService(config.DATABASE_URL, name);
    console.log(`${name}: migrations applied`);
    await ds.destroy();
  }
}

main().catch((error: Error) => {
  console.error(error.message);
  process.exit(1);
});
