/**
 * The mentorship worker process (no GraphQL API). It consumes the events mentorship decides
 * with (src/projections): the network's students, staff and agreements, curriculum's
 * enrolments, rotations' PlacementStarted and assessment's AssessmentSubmitted (notices to
 * mentors). It also publishes mentorship's own outbox (MentorshipChanged) to the consuming
 * services' queues (relay) and repairs lost or stuck deliveries (sweeper). Probes: /healthz and /readyz on
 * HEALTH_PORT (default: kit's workerHealthPort, i.e. 4105).
 */
import { startWorkerProcess } from '@medcollab/events';
import { workerHealthPort } from '@medcollab/kit';
import { mentorshipEventHandlers } from './projections';
import { mentorshipSubgraph } from './server';

startWorkerProcess({
  service: mentorshipSubgraph.name,
  entities: mentorshipSubgraph.entities,
  migrations: mentorshipSubgraph.migrations,
  handlers: mentorshipEventHandlers,
  defaultHealthPort: workerHealthPort(mentorshipSubgraph.defaultPort),
});
