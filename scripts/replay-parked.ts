/**
 * Replays an event a service parked (after the cause is fixed):
 *
 *   pnpm events:replay --service rotations --event 7f1c8a52-3f1f-4c3b-9f5e-0c6f2b1d9a10 [--wait]
 *
 * It only marks the replay in the service's own database (DATABASE_URL's server, database
 * medcollab_<service>); the service's worker applies it within about a second, through the
 * same inbox transaction as any delivery, so the event has one effect however often this runs.
 * --wait polls until the worker has applied it (or parked it again) and says which.
 */
import {
  baseConfigShape,
  createDataSource,
  initializeDataSource,
  loadConfig,
  parseCommandLine,
  serviceDatabaseName,
  withDatabase,
} from '@medcollab/kit';
import { findParked, replayParked } from '@medcollab/events';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const WAIT_MS = 30_000;
const USAGE = `Usage: pnpm events:replay --service <name> --event <event uuid> [--wait]

Marks a parked event for replay in the service's database; its worker applies it once.
--wait polls until the worker has applied it (or parked it again) and says which.`;

async function main(): Promise<number> {
  const values = parseCommandLine(USAGE, {
    service: { type: 'string' },
    event: { type: 'string' },
    wait: { type: 'boolean', default: false },
  });
  if (!values.service || !/^[a-z][a-z0-9-]*$/.test(values.service) || !values.event || !UUID.test(values.event)) {
    console.error(USAGE);
    return 2;
  }
  const config = loadConfig(baseConfigShape);
  const dataSource = createDataSource({
    url: withDatabase(config.DATABASE_URL, serviceDatabaseName(values.service)),
    entities: [],
    migrations: [],
    poolSize: 1,
  });
  await initializeDataSource(dataSource, { migrate: false });
  try {
    const requested = await replayParked(dataSource, values.event);
    if (requested.appliedAt) {
      console.log(`Event ${values.event} was already applied by a replay at ${requested.appliedAt.toISOString()}; nothing to do.`);
      return 0;
    }
    console.log(
      `Replay of ${requested.eventType} ${values.event} (from ${requested.source}) requested; the ${values.service} worker applies it shortly.`,
    );
    if (!values.wait) return 0;
    const deadline = Date.now() + WAIT_MS;
    while (Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 250));
      const now = await findParked(dataSource, values.event);
      if (now?.appliedAt) {
        console.log(`Applied at ${now.appliedAt.toISOString()}.`);
        return 0;
      }
      if (now && !now.replayedAt) {
        console.error(`The replay failed and the event is parked again:\n${now.error}`);
        return 1;
      }
    }
    console.error(
      `Not applied after ${WAIT_MS / 1000} s: is the ${values.service} worker running? (Or the event waits for an earlier event of its aggregate.)`,
    );
    return 1;
  } finally {
    await dataSource.destroy();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  },
);
