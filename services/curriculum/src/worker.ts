/**
 * The curriculum's worker process (no GraphQL API). It consumes the network's events into the
 * projections the access policy and the track advice need (known_student, known_agreement),
 * and publishes the curriculum's own outbox (EnrollmentChanged) to its consumers. Probes:
 * /healthz and /readyz on HEALTH_PORT (default: the subgraph's port + 100, i.e. 4102).
 */
import { startWorkerProcess } from '@medcollab/events';
import { projectionHandlers } from './data/projections';
import { curriculumSubgraph } from './server';

startWorkerProcess({
  module: curriculumSubgraph,
  handlers: projectionHandlers,
});
