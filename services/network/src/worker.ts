/**
 * The network's worker process (no GraphQL API). It publishes the network's outbox to the
 * consuming services' queues (relay), repairs lost or stuck deliveries (sweeper), and consumes
 * the rotations service's Placement* events into hospital access grants
 * (src/projections/placement-grants.ts) and the mentorship service's MentorshipChanged events
 * into mentor access grants (src/projections/mentor-grants.ts). It also validates and applies
 * uploaded roster imports (src/roster/processor.ts). Probes: /healthz and /readyz on HEALTH_PORT
 * (default 4101).
 */
import { startWorkerProcess } from '@medcollab/events';
import { mentorGrantHandlers } from './projections/mentor-grants';
import { placementGrantHandlers } from './projections/placement-grants';
import { startRosterImportLoop } from './roster/processor';
import { networkSubgraph } from './server';

startWorkerProcess({
  module: networkSubgraph,
  handlers: { ...placementGrantHandlers, ...mentorGrantHandlers },
  // Stopped before the events runtime: an import in progress finishes its pass first.
  tasks: [{ name: 'roster-imports', start: ({ dataSource, log }) => startRosterImportLoop(dataSource, log) }],
});
