import { AuditChainAnchored, AuditRecorded } from './audit';
import {
  AssessmentSubmitted,
  AssessmentTaskAssigned,
  AssessmentTaskCancelled,
  AssessmentTaskDeclined,
  AssessmentTaskExpired,
  AssessmentTaskRescheduled,
  AssessmentTaskSubmitted,
  AssessmentTaskWithdrawn,
} from './assessment';
import { EvaluationSubmitted } from './evaluation';
import { CompetencyFrameworkPublished, EnrollmentChanged, ModuleCompleted, PostProfilePublished, ProgramPublished } from './curriculum';
import { DevelopmentGoalChanged, MentorNoticeRaised, MentorshipChanged, MentorshipMeetingLogged } from './mentorship';
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
  RosterImportQueued,
} from './network';
import { QualityAlertRaised } from './quality';
import { AssessmentReminderSent } from './notifications';
import {
  AllocationRunPublished,
  AllocationRunSuperseded,
  PlacementCancelled,
  PlacementCompleted,
  PlacementConfirmed,
  PlacementStarted,
  PlacementSupervisorAssigned,
  PreferencesSubmitted,
  PreferenceWindowOpened,
  SwapRequestChanged,
} from './rotations';

export * from './assessment';
export * from './audit';
export * from './curriculum';
export * from './evaluation';
export * from './mentorship';
export * from './network';
export * from './notifications';
export * from './quality';
export * from './rotations';

/** Every event type the network knows, by name (consumers look contracts up here). */
export const EVENT_CONTRACTS = {
  AuditRecorded,
  AuditChainAnchored,
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
  RosterImportQueued,
  PlacementConfirmed,
  PlacementStarted,
  PlacementCompleted,
  PlacementCancelled,
  PlacementSupervisorAssigned,
  PreferenceWindowOpened,
  PreferencesSubmitted,
  SwapRequestChanged,
  AllocationRunPublished,
  AllocationRunSuperseded,
  EnrollmentChanged,
  ModuleCompleted,
  CompetencyFrameworkPublished,
  PostProfilePublished,
  ProgramPublished,
  AssessmentSubmitted,
  AssessmentTaskAssigned,
  AssessmentTaskSubmitted,
  AssessmentTaskDeclined,
  AssessmentTaskExpired,
  AssessmentTaskRescheduled,
  AssessmentTaskWithdrawn,
  AssessmentTaskCancelled,
  EvaluationSubmitted,
  MentorshipChanged,
  MentorshipMeetingLogged,
  DevelopmentGoalChanged,
  MentorNoticeRaised,
  QualityAlertRaised,
  AssessmentReminderSent,
} as const;

export type EventName = keyof typeof EVENT_CONTRACTS;
