/**
 * The rotations worker process (no GraphQL API). It consumes the network's events into the
 * projections rotations decides with (students, staff, departments, agreements), the
 * curriculum's (enrolments, completed modules: requirements' prerequisites), publishes
 * rotations' own outbox (Placement* events) to their consumers, and solves queued allocation
 * runs (src/allocation/processor.ts). Probes: /healthz and /readyz on HEALTH_PORT (default:
 * kit's workerHealthPort, i.e. 4103).
 */
import { runWorker } from '@medcollab/events';
import { createLogger, installShutdown, workerHealthPort } from '@medcollab/kit';
import { startAllocationLoop } from './allocation/processor';
import { rotationsEventHandlers } from './projections';
import { rotationsSubgraph } from './server';

const SHUTDOWN_TIMEOUT_MS = 30_000;

async function main(): Promise<void> {
  const log = createLogger('rotations-worker', process.env.LOG_LEVEL ?? 'info');
  const worker = await runWorker(
    {
      service: rotationsSubgraph.name,
      entities: rotationsSubgraph.entities,
      migrations: rotationsSubgraph.migrations,
      handlers: rotationsEventHandlers,
      defaultHealthPort: workerHealthPort(rotationsSubgraph.defaultPort),
    },
    { log, handleSignals: false },
  );
  const allocation = startAllocationLoop(worker.dataSource, log);
  // The allocation loop first (a solve in progress finishes its pass), then the events runtime and the pool.
  installShutdown(
    log,
    [
      { name: 'allocation', run: () => allocation.stop() },
      { name: 'events-worker', run: () => worker.stop() },
    ],
    SHUTDOWN_TIMEOUT_MS,
  );
}

main().catch((error: unknown) => {
  console.error(`rotations worker cannot start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
