/**
 * The rotations worker process (no GraphQL API). It consumes the network's events into the
 * projections rotations decides with (students, staff, departments, agreements), and
 * publishes rotations' own outbox (Placement* events) to their consumers. Probes: /healthz
 * and /readyz on HEALTH_PORT (default: kit's workerHealthPort, i.e. 4103).
 */
import { startWorkerProcess } from '@medcollab/events';
import { workerHealthPort } from '@medcollab/kit';
import { networkEventHandlers } from './projections/network-events';
import { rotationsSubgraph } from './server';

startWorkerProcess({
  service: rotationsSubgraph.name,
  entities: rotationsSubgraph.entities,
  migrations: rotationsSubgraph.migrations,
  handlers: networkEventHandlers,
  defaultHealthPort: workerHealthPort(rotationsSubgraph.defaultPort),
});
