import { type EVENT_CONTRACTS, type EventEnvelope, type Handlers } from '@medcollab/events';
import { type EntityManager } from 'typeorm';
import { planAssignedTask, replanRescheduledTask, settleTask } from './assessment-events';
import { projectDepartmentCreated, projectInstitutionCreated, projectStaffRegistered, projectStudentRegistered } from './network-events';
import { notifyQualityAlert } from './quality-events';
import { sendAuditCheckpoint } from './audit-events';
import { notifyMentorNotice } from './mentorship-events';
import { projectMentorshipChanged, recordMeetingLogged } from '../data/mentee-meeting-reminders';
import { planPlacement, settlePlacement } from '../data/placement-reminders';
import { planPreferenceWindow, recordPreferencesSubmitted } from '../data/preference-window-reminders';
import { planSwap } from '../data/swap-reminders';

export * from './assessment-events';
export * from './network-events';
export * from './quality-events';
export * from './audit-events';
export * from './mentorship-events';

const payload =
  <P>(handler: (em: EntityManager, p: P) => Promise<void>) =>
  (em: EntityManager, envelope: EventEnvelope<P>) =>
    handler(em, envelope.payload);

/** The consumer's handlers (src/worker.ts): one per event notifications subscribes to (ROUTES). */
export const notificationEventHandlers: Handlers<typeof EVENT_CONTRACTS> = {
  InstitutionCreated: payload(projectInstitutionCreated),
  DepartmentCreated: payload(projectDepartmentCreated),
  StudentRegistered: payload(projectStudentRegistered),
  StaffRegistered: payload(projectStaffRegistered),
  AssessmentTaskAssigned: planAssignedTask,
  AssessmentTaskRescheduled: replanRescheduledTask,
  AssessmentTaskSubmitted: settleTask('SUBMITTED'),
  AssessmentTaskDeclined: settleTask('DECLINED'),
  AssessmentTaskExpired: settleTask('EXPIRED'),
  AssessmentTaskWithdrawn: settleTask('WITHDRAWN'),
  // Cancelled (its assessor left and nobody could take it over) ends the task the same way: nobody is to answer it.
  AssessmentTaskCancelled: settleTask('WITHDRAWN'),
  PlacementConfirmed: payload(planPlacement),
  PlacementStarted: payload((em, p) => settlePlacement(em, p, 'STARTED')),
  PlacementCompleted: payload((em, p) => settlePlacement(em, p, 'COMPLETED')),
  PlacementCancelled: payload((em, p) => settlePlacement(em, p, 'CANCELLED')),
  // A supervisor named after confirmation: a placement not yet begun is re-planned (the new supervisor is reminded too);
  // a running one only records its supervisor.
  PlacementSupervisorAssigned: payload((em, p) => (p.status === 'CONFIRMED' ? planPlacement(em, p) : settlePlacement(em, p, 'STARTED'))),
  PreferenceWindowOpened: payload(planPreferenceWindow),
  PreferencesSubmitted: payload(recordPreferencesSubmitted),
  SwapRequestChanged: payload(planSwap),
  QualityAlertRaised: (em, e) => notifyQualityAlert(em, e),
  AuditChainAnchored: payload(sendAuditCheckpoint),
  // A mentee without a meeting for the school's number of weeks: their mentor, then the coordinators.
  MentorshipChanged: projectMentorshipChanged,
  MentorshipMeetingLogged: recordMeetingLogged,
  MentorNoticeRaised: (em, e) => notifyMentorNotice(em, e),
};
