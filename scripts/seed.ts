import { baseConfigShape, loadConfig } from '@medcollab/kit';
import { checkPostgres } from './lib/preflight';
import { migrateService } from './lib/services';
import { demoTokens, seedDemo } from './lib/demo';

/** `pnpm seed`: migrates the network database and loads the demo network if it is empty. */
async function main(): Promise<void> {
  const config = loadConfig(baseConfigShape);
  await checkPostgres(config.DATABASE_URL);
  const network = await migrateService(config.DATABASE_URL, 'network');
  try {
    const summary = await seedDemo(network);
    console.log(summary.created ? 'Demo network loaded.' : 'Demo network already present; nothing changed.');
    console.log(JSON.stringify(summary, null, 2));
    for (const [who, token] of Object.entries(await demoTokens(summary))) console.log(`${who}: ${token}`);
  } finally {
    await network.destroy();
  }
}

main().catch((error: Error) => {
  console.error(error.message);
  process.exit(1);
});
