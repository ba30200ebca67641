import { type EventName } from './contracts';

/**
 * Which consuming services receive which events. A BullMQ job is taken by one worker of one
 * queue, so fan-out is one queue per consuming service (`events.<service>`); the producer
 * records one delivery per route in the same transaction as the event (see docs/adr).
 * Consumers are added here as the services that need them are built.
 */
export type Routes = Partial<Record<string, readonly string[]>>;

export const ROUTES: Partial<Record<EventName, readonly string[]>> = {
  // rotations: projections of students, staff, agreements and departments' hospitals.
  // curriculum: partner hospitals that may read a school's curriculum; students' schools and experience.
  // mentorship: students, staff (MENTOR role) and agreements for access checks and matching.
  // assessment: students' schools, assessors' roles and institutions, partners of quality officers.
  // quality: departments' hospitals and specialties (peer benchmark), schools' partner hospitals (access).
  AgreementActivated: ['rotations', 'curriculum', 'mentorship', 'assessment', 'quality'],
  AgreementEnded: ['rotations', 'curriculum', 'mentorship', 'assessment', 'quality'],
  // notifications: names, emails and institutions of the people it reminds.
  StudentRegistered: ['rotations', 'curriculum', 'mentorship', 'assessment', 'notifications'],
  StaffRegistered: ['rotations', 'mentorship', 'assessment', 'notifications'],
  // notifications: institutions' time zones (quiet hours) and departments' names for messages.
  // quality: institutions' time zones (a period freezes at local midnight).
  InstitutionCreated: ['notifications', 'quality'],
  DepartmentCreated: ['notifications'],
  // network's own roster import queue (events.network-roster-imports), not its inbox: the network
  // worker runs each uploaded import as a BullMQ job with a long lock (ADR 0026).
  RosterImportQueued: ['network-roster-imports'],
  // network: hospital access grants derived from placements. mentorship: mentors are told when a mentee's placement starts.
  // assessment: hospital access to placement tasks; a completion creates the end-of-placement tasks.
  // quality: placement rollups (confirmed, completed, cancelled per department and period).
  // notifications: the student and the supervisor are reminded the day before a confirmed placement starts.
  PlacementConfirmed: ['network', 'assessment', 'quality', 'notifications'],
  PlacementStarted: ['network', 'mentorship', 'assessment', 'quality', 'notifications'],
  PlacementCompleted: ['network', 'assessment', 'quality', 'notifications'],
  PlacementCancelled: ['network', 'assessment', 'quality', 'notifications'],
  // A supervisor named after confirmation (issue 14). network: the instructor's grant to their supervisee.
  // assessment: the placement's supervisor (the end-of-placement task goes to them). notifications: the
  // supervisor of a placement not yet begun is reminded the day before it starts.
  PlacementSupervisorAssigned: ['network', 'assessment', 'notifications'],
  // notifications: students who have not ranked are reminded 48 h before their school's window closes.
  PreferenceWindowOpened: ['notifications'],
  PreferencesSubmitted: ['notifications'],
  // notifications: whoever a swap waits for (the other student, then the coordinators) is reminded after 48 h.
  // quality: approved swaps per department and period.
  SwapRequestChanged: ['notifications', 'quality'],
  // quality: seats offered vs filled and preference ranks per allocation run (issue 13).
  AllocationRunPublished: ['quality'],
  AllocationRunSuperseded: ['quality'],
  // mentorship: a student's track is matching input. rotations: which requirements apply to a student (program, track).
  // assessment: a student's program chooses their end-of-placement instrument.
  EnrollmentChanged: ['mentorship', 'rotations', 'assessment'],
  // rotations: completed modules, for the prerequisites of rotation requirements.
  ModuleCompleted: ['rotations'],
  // assessment: competencies' domains and hierarchy, and post profiles' requirements, for readiness.
  // quality: post profiles' requirements (readiness distribution of learner outcomes, post-profile coverage);
  // programs' teaching-method blend and post-profile coverage (curriculum figures), through the competency
  // hierarchy (a profile's requirement is covered by teaching a competency beneath it).
  CompetencyFrameworkPublished: ['assessment', 'quality'],
  PostProfilePublished: ['assessment', 'quality'],
  // assessment: each module's disciplines, to name the module a placement's evaluation belongs to (quality's per-module teaching quality).
  ProgramPublished: ['quality', 'assessment'],
  // mentorship: a mentor is told when a mentee's summative assessment comes back below the expected level.
  // quality: learner-outcome rollups (competency scores and entrustment levels per program).
  AssessmentSubmitted: ['mentorship', 'quality'],
  // notifications: each task's reminder plan (planned on assignment, re-planned on a new due date, stopped when settled).
  // quality: assessment-process rollups (assigned, on time, late, declined, expired, days to submit).
  AssessmentTaskAssigned: ['notifications', 'quality'],
  AssessmentTaskSubmitted: ['notifications', 'quality'],
  AssessmentTaskDeclined: ['notifications', 'quality'],
  AssessmentTaskExpired: ['notifications', 'quality'],
  AssessmentTaskRescheduled: ['notifications', 'quality'],
  // notifications: a task displaced by the weekly burden cap is never reminded.
  // quality: withdrawn and cancelled tasks are settled (counted as such, no longer open).
  AssessmentTaskWithdrawn: ['notifications', 'quality'],
  AssessmentTaskCancelled: ['notifications', 'quality'],
  // quality: teaching-quality rollups; the evaluator travels only as a keyed pseudonym.
  EvaluationSubmitted: ['quality'],
  // network: mentors' read access to their mentees (mentor access grants).
  // assessment: mentors' read access to their mentees' progress, readiness and assessment tasks.
  // notifications: since when each mentee is in an ACTIVE mentorship (the mentee-without-a-meeting reminder).
  // quality: mentorship rollups (mentees per period, meetings per mentee, mentees without a meeting, goals).
  MentorshipChanged: ['network', 'assessment', 'notifications', 'quality'],
  // notifications: when each mentee last met their mentor (re-plans the mentee-without-a-meeting reminder).
  MentorshipMeetingLogged: ['notifications', 'quality'],
  DevelopmentGoalChanged: ['quality'],
  // notifications: the one inbox that tells mentors about their mentees (placement started, assessment below level).
  MentorNoticeRaised: ['notifications'],
  // quality: reminders and escalations needed per completed assessment task (issue 13).
  AssessmentReminderSent: ['quality'],
  // notifications: the institution's quality officers are told when a quality alert rule fires.
  QualityAlertRaised: ['notifications'],
  // People's lifecycle: every service that keeps the network's facts (@medcollab/projections) follows
  // updates and status changes. rotations also cancels a deactivated student's placements that have
  // not begun; assessment reassigns or cancels a deactivated assessor's open tasks.
  StudentUpdated: ['rotations', 'curriculum', 'mentorship', 'assessment'],
  StaffUpdated: ['rotations', 'mentorship', 'assessment'],
  StudentStatusChanged: ['rotations', 'curriculum', 'mentorship', 'assessment'],
  StaffStatusChanged: ['rotations', 'mentorship', 'assessment'],
  // audit: every service's record of who read or changed which student record (ADR 0008).
  AuditRecorded: ['audit'],
  // notifications: each audit-chain checkpoint goes to the institution's webhook subscribers (ADR 0008 §5).
  AuditChainAnchored: ['notifications'],
};

export function consumersOf(routes: Routes, eventType: string): readonly string[] {
  const consumers = Object.hasOwn(routes, eventType) ? routes[eventType] : undefined;
  return [...new Set(consumers ?? [])];
}

export const eventQueueName = (consumer: string): string => `events.${consumer}`;

/**
 * The BullMQ job id of one delivery. Deterministic, so publishing a delivery twice (relay
 * retry, sweeper republish) adds the job once while it is still in Redis. BullMQ refuses ':'
 * in custom ids; uuids and service names contain none, and we check anyway.
 */
export function eventJobId(eventId: string, consumer: string): string {
  const id = `${eventId}.${consumer}`;
  if (id.includes(':')) throw new Error(`Event job id may not contain ':' (${id})`);
  return id;
}
