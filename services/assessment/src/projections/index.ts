import { type EVENT_CONTRACTS, type EventEnvelope, type Handlers } from '@medcollab/events';
import { andThen, networkFactHandlers } from '@medcollab/projections';
import { assessorStatusChanged } from '../data/assessor-lifecycle';
import { type EntityManager } from 'typeorm';
import { assessmentSettings, type AssessmentSettings } from '../settings';
import {
  projectCompetencyFrameworkPublished,
  projectEnrollmentChanged,
  projectPostProfilePublished,
  projectProgramPublished,
} from './curriculum-events';
import { projectDepartmentSpecialties } from './department-specialties';
import { projectMentorshipChanged } from './mentorship-events';
import { placementCompleted, projectPlacement } from './placement-events';

const payload =
  <P>(handler: (em: EntityManager, p: P) => Promise<void>) =>
  (em: EntityManager, envelope: EventEnvelope<P>) =>
    handler(em, envelope.payload);

/**
 * The consumer's handlers (src/worker.ts): the network's people and agreements (the shared
 * projections of @medcollab/projections), rotations'
 * placements (a completion creates the end-of-placement tasks) and the curriculum's
 * enrolments, frameworks, post profiles and programs' modules (with departments' specialties:
 * the module an evaluation belongs to), and the mentorship service's mentorships (mentor
 * grants). `settings` (due days, burden cap) default to the
 * environment's.
 */
export function assessmentEventHandlers(settings: AssessmentSettings = assessmentSettings()): Handlers<typeof EVENT_CONTRACTS> {
  const shared = networkFactHandlers(['student', 'staff', 'agreement']);
  return {
    ...shared,
    // A deactivated assessor's open tasks are reassigned in their department, or cancelled (data/assessor-lifecycle.ts).
    StaffStatusChanged: andThen(shared.StaffStatusChanged, assessorStatusChanged),
    // Departments' specialties: the module an evaluation belongs to (ADR 0031).
    AgreementActivated: andThen(shared.AgreementActivated, payload(projectDepartmentSpecialties)),
    PlacementConfirmed: payload((em, p) => projectPlacement(em, p, 'CONFIRMED')),
    PlacementStarted: payload((em, p) => projectPlacement(em, p, 'IN_PROGRESS')),
    PlacementCompleted: payload((em, p) => placementCompleted(em, p, settings)),
    PlacementCancelled: payload((em, p) => projectPlacement(em, p, 'CANCELLED')),
    // A supervisor named after confirmation: the projection takes it, so the completion's tasks and access follow it.
    PlacementSupervisorAssigned: payload((em, p) => projectPlacement(em, p, p.status)),
    EnrollmentChanged: (em, envelope) => projectEnrollmentChanged(em, envelope.payload, new Date(envelope.occurredAt)),
    CompetencyFrameworkPublished: payload(projectCompetencyFrameworkPublished),
    PostProfilePublished: payload(projectPostProfilePublished),
    ProgramPublished: payload(projectProgramPublished),
    MentorshipChanged: payload(projectMentorshipChanged),
  };
}
