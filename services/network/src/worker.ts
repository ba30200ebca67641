/**
 * The network's worker process (no GraphQL API). It publishes the network's outbox to the
 * consuming services' queues (relay), repairs lost or stuck deliveries (sweeper), and consumes
 * the rotations service's Placement* events into hospital access grants
 * (src/projections/placement-grants.ts) and the mentorship service's MentorshipChanged events
 * into mentor access grants (src/projections/mentor-grants.ts). It also validates and applies
 * uploaded roster imports (src/roster/processor.ts). Probes: /healthz and /readyz on HEALTH_PORT
 * (default: kit's workerHealthPort, i.e. 4101).
 */
import { runWorker } from '@medcollab/events';
import { createLogger, installShutdown, workerHealthPort } from '@medcollab/kit';
import { mentorGrantHandlers } from './projections/mentor-grants';
import { placementGrantHandlers } from './projections/placement-grants';
import { startRosterImportLoop } from './roster/processor';
import { networkSubgraph } from './server';

const SHUTDOWN_TIMEOUT_MS = 30_000;

async function main(): Promise<void> {
  const log = createLogger('network-worker', process.env.LOG_LEVEL ?? 'info');
  const worker = await runWorker(
    {
      service: networkSubgraph.name,
      entities: networkSubgraph.entities,
      migrations: networkSubgraph.migrations,
      handlers: { ...placementGrantHandlers, ...mentorGrantHandlers },
      defaultHealthPort: workerHealthPort(networkSubgraph.defaultPort),
    },
    { log, handleSignals: false },
  );
  const imports = startRosterImportLoop(worker.dataSource, log);
  // The import loop first (an import in progress finishes its pass), then the events runtime and the pool.
  installShutdown(
    log,
    [
      { name: 'roster-imports', run: () => imports.stop() },
      { name: 'events-worker', run: () => worker.stop() },
    ],
    SHUTDOWN_TIMEOUT_MS,
  );
}

main().catch((error: unknown) => {
  console.error(`network worker cannot start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
