/**
 * The network's worker process (no GraphQL API). It publishes the network's outbox to the
 * consuming services' queues (relay), repairs lost or stuck deliveries (sweeper), and consumes
 * the rotations service's Placement* events into hospital access grants
 * (src/projections/placement-grants.ts) and the mentorship service's MentorshipChanged events
 * into mentor access grants (src/projections/mentor-grants.ts). It also runs uploaded roster
 * imports as BullMQ jobs of its own queue, which its relay fills from the uploads'
 * RosterImportQueued events (src/roster/job.ts, ADR 0026). Probes: /healthz and /readyz on
 * HEALTH_PORT (default 4101).
 */
import { startWorkerProcess } from '@medcollab/events';
import { mentorGrantHandlers } from './projections/mentor-grants';
import { placementGrantHandlers } from './projections/placement-grants';
import { rosterImportTask } from './roster/job';
import { networkSubgraph } from './server';

startWorkerProcess({
  module: networkSubgraph,
  handlers: { ...placementGrantHandlers, ...mentorGrantHandlers },
  // Stopped before the events runtime: an import in progress finishes first.
  tasks: [rosterImportTask],
});
