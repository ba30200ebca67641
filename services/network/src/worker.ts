/**
 * The network's worker process (no GraphQL API). It publishes the network's outbox to the
 * consuming services' queues (relay) and repairs lost or stuck deliveries (sweeper). The
 * network consumes no events yet; when it does, its handlers are declared here. Probes:
 * /healthz and /readyz on HEALTH_PORT (default: kit's workerHealthPort, i.e. 4101).
 */
import { startWorkerProcess } from '@medcollab/events';
import { workerHealthPort } from '@medcollab/kit';
import { networkSubgraph } from './server';

startWorkerProcess({
  service: networkSubgraph.name,
  entities: networkSubgraph.entities,
  migrations: networkSubgraph.migrations,
  defaultHealthPort: workerHealthPort(networkSubgraph.defaultPort),
});
