/**
 * The assessment worker process (no GraphQL API). It consumes the network's, rotations' and the
 * curriculum's events into assessment's projections — a completed placement creates its three
 * end-of-placement tasks here — publishes assessment's outbox (AssessmentSubmitted), and sweeps
 * overdue tasks to EXPIRED. Probes: /healthz and /readyz on HEALTH_PORT (default 4104).
 */
import { runWorker, startLoop } from '@medcollab/events';
import { createLogger, installShutdown, loadConfig, baseConfigShape, workerHealthPort } from '@medcollab/kit';
import { expireOverdueTasks } from './data/expiry';
import { assessmentEventHandlers } from './projections';
import { assessmentSubgraph } from './server';
import { assessmentSettings } from './settings';

async function main(): Promise<void> {
  const config = loadConfig(baseConfigShape);
  const log = createLogger('assessment-worker', config.LOG_LEVEL);
  const settings = assessmentSettings();
  const worker = await runWorker(
    {
      service: assessmentSubgraph.name,
      entities: assessmentSubgraph.entities,
      migrations: assessmentSubgraph.migrations,
      handlers: assessmentEventHandlers(settings),
      defaultHealthPort: workerHealthPort(assessmentSubgraph.defaultPort),
    },
    { log, handleSignals: false },
  );
  const expiry = startLoop({
    name: 'expiry',
    log,
    intervalMs: settings.expiryIntervalMs,
    run: async () => {
      const expired = await expireOverdueTasks(worker.dataSource, new Date());
      if (expired) log.info({ expired }, 'overdue assessment tasks expired');
      return expired > 0;
    },
  });
  installShutdown(
    log,
    [
      { name: 'expiry', run: () => expiry.stop() },
      { name: 'events-worker', run: () => worker.stop() },
    ],
    config.SHUTDOWN_TIMEOUT_MS,
  );
}

main().catch((error: unknown) => {
  console.error(`assessment worker cannot start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
