import concurrently from 'concurrently';
import { baseConfigShape, GATEWAY_PORT, loadConfig, parseCommandLine } from '@medcollab/kit';
import { checkPostgres, checkRedis } from './lib/preflight';
import { closeAll, migrateAll } from './lib/migrate-all';
import { demoTokens, seedDemo } from './lib/demo';
import { startCommands } from './lib/start-commands';

/**
 * `pnpm start`: the whole system on one machine. Checks PostgreSQL and Redis, creates and
 * migrates every service database, loads the demo network when empty, then runs every
 * subgraph, every worker, the gateway and a local mail catcher as child processes with prefixed logs.
 */
const USAGE = `Usage: pnpm start

Starts the whole system on this machine: checks PostgreSQL (DATABASE_URL) and Redis (REDIS_URL),
migrates every service database, loads the demo network when empty, runs every subgraph, worker
and the gateway, and prints the GraphQL URL and demo tokens. Ctrl-C stops everything.`;

async function main(): Promise<void> {
  parseCommandLine(USAGE, {});
  const config = loadConfig(baseConfigShape);
  await checkPostgres(config.DATABASE_URL);
  await checkRedis(config.REDIS_URL);

  const dataSources = await migrateAll(config.DATABASE_URL);
  const summary = await seedDemo(dataSources).finally(() => closeAll(dataSources));

  // Migrations ran above, once; the processes must not race to run them again.
  // The reminders demo switch: one day of a task's life lasts 10 s, so a completed placement's
  // tasks reach their assessor, lapse and escalate within minutes (REMINDERS_DEMO_SECONDS_PER_DAY=0 turns it off).
  const demoSecondsPerDay = process.env.REMINDERS_DEMO_SECONDS_PER_DAY ?? '10';
  const env = { ...process.env, REMINDERS_DEMO_SECONDS_PER_DAY: demoSecondsPerDay, MIGRATE_ON_START: 'false', FORCE_COLOR: '1' };
  const commands = startCommands(env);
  const { result, commands: running } = concurrently(commands, { prefix: 'name', killOthersOn: ['failure'], restartTries: 0 });

  const gatewayPort = Number(process.env.GATEWAY_PORT ?? process.env.PORT ?? GATEWAY_PORT);
  const stopAll = () => running.forEach((c) => c.kill('SIGTERM'));
  try {
    // Generous: seventeen processes compiling TypeScript on a small or busy machine take a while.
    await waitForReady(`http://127.0.0.1:${gatewayPort}/readyz`, 180_000);
  } catch (error) {
    // Leave nothing running behind a failed start (it would hold the ports of the next one).
    stopAll();
    await result.catch(() => undefined);
    throw error;
  }
  const tokens = await demoTokens(summary);
  console.log(`\nEmails the reminders send: http://localhost:${process.env.MAIL_CATCHER_HTTP_PORT ?? 1080}`);
  if (Number(demoSecondsPerDay) > 0)
    console.log(
      `Reminders run on demo time: one day lasts ${demoSecondsPerDay} s (REMINDERS_DEMO_SECONDS_PER_DAY; 0 for real time). Complete a placement and watch its tasks lapse.\n`,
    );
  for (const [who, token] of Object.entries(tokens)) console.log(`${who} token:\n  ${token}\n`);
  console.log(
    'Try: curl -s localhost:' + gatewayPort + '/graphql -H "content-type: application/json" -H "authorization: Bearer <token>" \\',
  );
  console.log(`  -d '{"query":"query { institutions { name kind departments { name } } }"}'\n`);
  // Last, so that whoever waits for this line (people and scripts/readme-commands.ts) has the tokens above it.
  console.log(`MedCollab is up. GraphQL: http://localhost:${gatewayPort}/graphql\n`);

  process.once('SIGINT', stopAll);
  process.once('SIGTERM', stopAll);
  await result.catch(() => process.exit(1));
}

async function waitForReady(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const res = await fetch(url);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`The gateway did not become ready at ${url} within ${timeoutMs / 1000} s; see the logs above.`);
}

main().catch((error: Error) => {
  console.error(error.message);
  process.exit(1);
});
