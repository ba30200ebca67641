/**
 * The mentorship worker process (no GraphQL API). It consumes the events mentorship decides
 * with (src/projections): the network's students, staff and agreements, curriculum's
 * enrolments, rotations' PlacementStarted and assessment's AssessmentSubmitted (which raise
 * MentorNoticeRaised for notifications to deliver). It also publishes mentorship's own outbox
 * (MentorshipChanged, MentorshipMeetingLogged, DevelopmentGoalChanged, MentorNoticeRaised) to the consuming
 * services' queues (relay) and repairs lost or stuck deliveries (sweeper). Probes: /healthz and /readyz on
 * HEALTH_PORT (default 4105).
 */
import { startWorkerProcess } from '@medcollab/events';
import { mentorshipEventHandlers } from './projections';
import { mentorshipSubgraph } from './server';

startWorkerProcess({
  module: mentorshipSubgraph,
  handlers: mentorshipEventHandlers,
});
