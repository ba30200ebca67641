import { type EVENT_CONTRACTS, type EventEnvelope, type Handlers } from '@medcollab/events';
import { networkFactHandlers } from '@medcollab/projections';
import { type EntityManager } from 'typeorm';
import { noticeAssessmentSubmitted } from './assessment-events';
import { projectEnrollmentChanged } from './curriculum-events';
import { noticePlacementStarted } from './rotations-events';

export * from './assessment-events';
export * from './curriculum-events';
export * from './rotations-events';

const payload =
  <P>(handler: (em: EntityManager, p: P) => Promise<void>) =>
  (em: EntityManager, envelope: EventEnvelope<P>) =>
    handler(em, envelope.payload);

/** The consumer's handlers (src/worker.ts): one per event mentorship subscribes to (ROUTES). */
export const mentorshipEventHandlers: Handlers<typeof EVENT_CONTRACTS> = {
  ...networkFactHandlers(['student', 'staff', 'agreement']),
  EnrollmentChanged: (em, envelope) => projectEnrollmentChanged(em, envelope.payload, envelope.occurredAt),
  PlacementStarted: payload(noticePlacementStarted),
  AssessmentSubmitted: payload(noticeAssessmentSubmitted),
};
