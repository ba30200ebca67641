/**
 * The assessment worker process (no GraphQL API). It consumes the network's, rotations' and the
 * curriculum's events into assessment's projections — a completed placement creates its three
 * end-of-placement tasks here — publishes assessment's outbox (AssessmentSubmitted), and sweeps
 * overdue tasks to EXPIRED. Probes: /healthz and /readyz on HEALTH_PORT (default 4104).
 */
import { startLoop, startWorkerProcess } from '@medcollab/events';
import { expireOverdueTasks } from './data/expiry';
import { assessmentEventHandlers } from './projections';
import { assessmentSubgraph } from './server';
import { assessmentSettings } from './settings';

const settings = assessmentSettings();

startWorkerProcess({
  module: assessmentSubgraph,
  handlers: assessmentEventHandlers(settings),
  tasks: [
    {
      name: 'expiry',
      start: ({ dataSource, log }) =>
        startLoop({
          name: 'expiry',
          log,
          intervalMs: settings.expiryIntervalMs,
          run: async () => {
            const expired = await expireOverdueTasks(dataSource, new Date());
            if (expired) log.info({ expired }, 'overdue assessment tasks expired');
            return expired > 0;
          },
        }),
    },
  ],
});
