/**
 * The network's worker process (no GraphQL API). It publishes the network's outbox to the
 * consuming services' queues (relay), repairs lost or stuck deliveries (sweeper), and consumes
 * the rotations service's Placement* events into hospital access grants
 * (src/projections/placement-grants.ts). Probes: /healthz and /readyz on HEALTH_PORT
 * (default: kit's workerHealthPort, i.e. 4101).
 */
import { startWorkerProcess } from '@medcollab/events';
import { workerHealthPort } from '@medcollab/kit';
import { placementGrantHandlers } from './projections/placement-grants';
import { networkSubgraph } from './server';

startWorkerProcess({
  service: networkSubgraph.name,
  entities: networkSubgraph.entities,
  migrations: networkSubgraph.migrations,
  handlers: placementGrantHandlers,
  defaultHealthPort: workerHealthPort(networkSubgraph.defaultPort),
});
