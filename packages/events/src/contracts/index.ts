import {
  AssessmentSubmitted,
  AssessmentTaskAssigned,
  AssessmentTaskCancelled,
  AssessmentTaskDeclined,
  AssessmentTaskExpired,
  AssessmentTaskRescheduled,
  AssessmentTaskSubmitted,
} from './assessment';
import { EvaluationSubmitted } from './evaluation';
import { CompetencyFrameworkPublished, EnrollmentChanged, ModuleCompleted, PostProfilePublished } from './curriculum';
import { MentorshipChanged } from './mentorship';
import {
  AgreementActivated,
  AgreementEnded,
  StaffRegistered,
  StaffStatusChanged,
  StaffUpdated,
  StudentRegistered,
  StudentStatusChanged,
  StudentUpdated,
  DepartmentCreated,
  InstitutionCreated,
} from './network';
import { QualityAlertRaised } from './quality';
import { PlacementCancelled, PlacementCompleted, PlacementConfirmed, PlacementStarted } from './rotations';

export * from './assessment';
export * from './curriculum';
export * from './evaluation';
export * from './mentorship';
export * from './network';
export * from './quality';
export * from './rotations';

/** Every event type the network knows, by name (consumers look contracts up here). */
export const EVENT_CONTRACTS = {
  AgreementActivated,
  AgreementEnded,
  StudentRegistered,
  StaffRegistered,
  StudentUpdated,
  StaffUpdated,
  StudentStatusChanged,
  StaffStatusChanged,
  InstitutionCreated,
  DepartmentCreated,
  PlacementConfirmed,
  PlacementStarted,
  PlacementCompleted,
  PlacementCancelled,
  EnrollmentChanged,
  ModuleCompleted,
  CompetencyFrameworkPublished,
  PostProfilePublished,
  AssessmentSubmitted,
  AssessmentTaskAssigned,
  AssessmentTaskSubmitted,
  AssessmentTaskDeclined,
  AssessmentTaskExpired,
  AssessmentTaskRescheduled,
  AssessmentTaskCancelled,
  EvaluationSubmitted,
  MentorshipChanged,
  QualityAlertRaised,
} as const;

export type EventName = keyof typeof EVENT_CONTRACTS;
