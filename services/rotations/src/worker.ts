/**
 * The rotations worker process (no GraphQL API). It consumes the network's events into the
 * projections rotations decides with (students, staff, departments, agreements), the
 * curriculum's (enrolments, completed modules: requirements' prerequisites), and
 * publishes rotations' own outbox (Placement* events) to their consumers. Probes: /healthz
 * and /readyz on HEALTH_PORT (default: kit's workerHealthPort, i.e. 4103).
 */
import { startWorkerProcess } from '@medcollab/events';
import { workerHealthPort } from '@medcollab/kit';
import { rotationsEventHandlers } from './projections';
import { rotationsSubgraph } from './server';

startWorkerProcess({
  service: rotationsSubgraph.name,
  entities: rotationsSubgraph.entities,
  migrations: rotationsSubgraph.migrations,
  handlers: rotationsEventHandlers,
  defaultHealthPort: workerHealthPort(rotationsSubgraph.defaultPort),
});
