import { type EVENT_CONTRACTS, type EventEnvelope, type EventHandler, type Handlers } from '@medcollab/events';
import { type EntityManager } from 'typeorm';
import { applyEvent } from '../data/recompute';
import { type RollupSettings } from '../domain/contributions';
import { qualitySettings } from '../settings';
import { projectAgreementActivated, projectAgreementEnded } from './network-events';

export * from './network-events';

/** Every rolled-up event goes the same way: kept in quality's history, its aggregate recomputed. */
const rollup =
  (settings: RollupSettings): EventHandler =>
  (em: EntityManager, envelope: EventEnvelope) =>
    applyEvent(em, envelope, settings);

/** The consumer's handlers (src/worker.ts): one per event quality subscribes to (ROUTES). */
export function qualityEventHandlers(settings: RollupSettings = qualitySettings()): Handlers<typeof EVENT_CONTRACTS> {
  const r = rollup(settings);
  return {
    AgreementActivated: (em, e) => projectAgreementActivated(em, e.payload),
    AgreementEnded: (em, e) => projectAgreementEnded(em, e.payload),
    PlacementConfirmed: r,
    PlacementStarted: r,
    PlacementCompleted: r,
    PlacementCancelled: r,
    AssessmentTaskAssigned: r,
    AssessmentTaskSubmitted: r,
    AssessmentTaskDeclined: r,
    AssessmentTaskExpired: r,
    AssessmentTaskRescheduled: r,
    EvaluationSubmitted: r,
  };
}
