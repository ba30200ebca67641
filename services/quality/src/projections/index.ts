import { type EVENT_CONTRACTS, type EventEnvelope, type EventHandler, type Handlers } from '@medcollab/events';
import { type EntityManager } from 'typeorm';
import { evaluateAlertsOnChange } from '../data/alerts';
import { applyEvent } from '../data/recompute';
import { type RollupSettings } from '../domain/contributions';
import { rollupLag } from '../metrics';
import { qualitySettings } from '../settings';
import { projectCompetencyFrameworkPublished, projectPostProfilePublished, projectProgramPublished } from './curriculum-events';
import { projectAgreementActivated, projectAgreementEnded, projectInstitutionCreated } from './network-events';

export * from './curriculum-events';
export * from './network-events';

type HandlerSettings = RollupSettings & { minEvaluators: number };

/**
 * Every rolled-up event goes the same way: kept in quality's history, its aggregate recomputed
 * (a frozen period it changes is marked for its next revision), then the alert rules watching
 * the open periods it changed are evaluated — all in the inbox transaction. The lag from the event's commit to here is observed.
 */
const rollup =
  (settings: HandlerSettings): EventHandler =>
  async (em: EntityManager, envelope: EventEnvelope) => {
    const change = await applyEvent(em, envelope, settings);
    // A frozen period's published figures do not move with the event: its revision is judged when the sweep makes it.
    const frozen = new Set(change.changedFrozen.map((p) => `${p.kind}\u0001${p.id}`));
    const live = change.deltas.filter((d) => !frozen.has(`${d.key.periodKind}\u0001${d.key.periodId}`));
    await evaluateAlertsOnChange(em, live, settings.minEvaluators, new Date());
    rollupLag.observe(envelope);
  };

/** The consumer's handlers (src/worker.ts): one per event quality subscribes to (ROUTES). */
export function qualityEventHandlers(settings: HandlerSettings = qualitySettings()): Handlers<typeof EVENT_CONTRACTS> {
  const r = rollup(settings);
  return {
    AgreementActivated: (em, e) => projectAgreementActivated(em, e.payload),
    AgreementEnded: (em, e) => projectAgreementEnded(em, e.payload),
    InstitutionCreated: (em, e) => projectInstitutionCreated(em, e.payload),
    ProgramPublished: projectProgramPublished,
    CompetencyFrameworkPublished: projectCompetencyFrameworkPublished,
    PlacementConfirmed: r,
    PlacementStarted: r,
    PlacementCompleted: r,
    PlacementCancelled: r,
    AllocationRunPublished: r,
    AllocationRunSuperseded: r,
    SwapRequestChanged: r,
    AssessmentTaskAssigned: r,
    AssessmentTaskSubmitted: r,
    AssessmentTaskDeclined: r,
    AssessmentTaskExpired: r,
    AssessmentTaskRescheduled: r,
    AssessmentTaskWithdrawn: r,
    AssessmentTaskCancelled: r,
    AssessmentReminderSent: r,
    MentorshipChanged: r,
    MentorshipMeetingLogged: r,
    DevelopmentGoalChanged: r,
    EvaluationSubmitted: r,
    AssessmentSubmitted: r,
    // Kept as published (curriculum figures) and rolled up (learners' readiness against it).
    PostProfilePublished: async (em, e) => {
      await projectPostProfilePublished(em, e);
      await r(em, e);
    },
  };
}
