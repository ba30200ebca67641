import { randomUUID } from 'node:crypto';
import { createConsumer, type Consumer, type EventEnvelope } from '@medcollab/events';
import { type Actor, type Role } from '@medcollab/kit';
import { type SubgraphHarness } from '@medcollab/testing';
import { mentorshipEventHandlers } from '../../src/projections';
import { ok } from './harness';

/**
 * The cast of a test file, made the way production makes it: other services' events applied
 * through mentorship's consumer (inbox + the real handlers), never by writing projections.
 */

let sequence = 0;
function envelope(type: string, aggregateType: string, aggregateId: string, payload: object, source = 'network'): EventEnvelope {
  return {
    id: randomUUID(),
    type,
    version: 1,
    source,
    aggregateType,
    aggregateId,
    sequence: ++sequence,
    occurredAt: new Date().toISOString(),
    payload,
    metadata: {},
  };
}

export interface Person {
  id: string;
  institutionId: string;
  actor: Actor;
}

export class World {
  readonly consumer: Consumer;
  readonly schoolA = randomUUID();
  readonly schoolB = randomUUID();
  /** Under an ACTIVE agreement with schoolA. */
  readonly hospitalH = randomUUID();
  /** Its agreement with schoolA ended. */
  readonly hospitalK = randomUUID();

  constructor(readonly h: SubgraphHarness) {
    this.consumer = createConsumer({ service: 'mentorship', dataSource: h.dataSource, handlers: mentorshipEventHandlers });
  }

  async emit(type: string, aggregateType: string, aggregateId: string, payload: object, source?: string): Promise<void> {
    const outcome = await this.consumer.apply({
      envelope: envelope(type, aggregateType, aggregateId, payload, source),
      previousEventId: null,
    });
    if (outcome !== 'applied') throw new Error(`${type} was ${outcome}`);
  }

  async setup(): Promise<this> {
    const agreement = (hospitalId: string) => ({
      agreementId: randomUUID(),
      schoolId: this.schoolA,
      hospitalId,
      departmentIds: [randomUUID()],
      startsOn: '2024-01-01',
      endsOn: '2030-12-31',
    });
    const h = agreement(this.hospitalH);
    await this.emit('AgreementActivated', 'CollaborationAgreement', h.agreementId, h);
    const k = agreement(this.hospitalK);
    await this.emit('AgreementActivated', 'CollaborationAgreement', k.agreementId, k);
    await this.emit('AgreementEnded', 'CollaborationAgreement', k.agreementId, {
      agreementId: k.agreementId,
      schoolId: this.schoolA,
      hospitalId: this.hospitalK,
      endedOn: '2025-06-30',
    });
    return this;
  }

  async student(schoolId = this.schoolA, over: { cohortYear?: number; priorClinicalYears?: number } = {}): Promise<Person> {
    const id = randomUUID();
    await this.emit('StudentRegistered', 'Student', id, {
      studentId: id,
      schoolId,
      email: `s-${id}@example.edu`,
      cohortYear: over.cohortYear ?? 2024,
      priorClinicalYears: over.priorClinicalYears ?? 0,
    });
    return { id, institutionId: schoolId, actor: { personId: id, institutionId: schoolId, roles: ['STUDENT'] } };
  }

  async staff(institutionId: string, roles: Role[]): Promise<Person> {
    const id = randomUUID();
    await this.emit('StaffRegistered', 'StaffMember', id, { staffId: id, institutionId, departmentId: null, roles });
    return { id, institutionId, actor: { personId: id, institutionId, roles } };
  }

  /** A MENTOR with a profile (written by a network admin through the API). */
  async mentor(
    institutionId: string,
    profile: Record<string, unknown> = {},
    roles: Role[] = ['MENTOR'],
  ): Promise<Person & { profileId: string }> {
    const person = await this.staff(institutionId, roles);
    const input = { staffId: person.id, capacity: 3, formats: ['ONE_ON_ONE', 'SMALL_GROUP'], ...profile };
    const data = ok(await this.h.call(networkAdmin(), M.upsertMentorProfile, { input }));
    return { ...person, profileId: data.upsertMentorProfile.id };
  }

  private readonly enrollments = new Map<string, { enrollmentId: string; programId: string; schoolId: string }>();

  /** Curriculum enrols the student in a program (a new one unless given); returns the program id. */
  async enroll(
    studentId: string,
    trackKind: 'CLINICAL_PRACTICE' | 'RESEARCH' | 'SPECIALTY' | null,
    programId: string = randomUUID(),
    schoolId: string = this.schoolA,
  ): Promise<string> {
    const enrollmentId = randomUUID();
    await this.emit(
      'EnrollmentChanged',
      'Enrollment',
      enrollmentId,
      { enrollmentId, studentId, programId, schoolId, trackId: trackKind ? randomUUID() : null, trackKind, change: 'ENROLLED' },
      'curriculum',
    );
    this.enrollments.set(studentId, { enrollmentId, programId, schoolId });
    return programId;
  }

  /** Curriculum reports the student's latest enrolment withdrawn. */
  async withdraw(studentId: string): Promise<void> {
    const e = this.enrollments.get(studentId);
    if (!e) throw new Error('not enrolled');
    await this.emit(
      'EnrollmentChanged',
      'Enrollment',
      e.enrollmentId,
      { ...e, studentId, trackId: null, trackKind: null, change: 'WITHDRAWN' },
      'curriculum',
    );
  }

  async mentorship(
    mentorId: string,
    menteeIds: string[],
    format: 'ONE_ON_ONE' | 'SMALL_GROUP' = 'ONE_ON_ONE',
    focus = 'CAREER',
  ): Promise<string> {
    const input = { mentorId, menteeIds, format, focus, groupSizeLimit: format === 'SMALL_GROUP' ? 4 : null };
    return ok(await this.h.call(networkAdmin(), M.createMentorship, { input })).createMentorship.id;
  }
}

export const networkAdmin = (): Actor => ({ personId: randomUUID(), institutionId: null, roles: ['NETWORK_ADMIN'] });
export const staffActor = (institutionId: string, ...roles: Role[]): Actor => ({ personId: randomUUID(), institutionId, roles });

/** The operations the tests send, with the fields they read back. */
export const M = {
  upsertMentorProfile: `mutation($input: UpsertMentorProfileInput!) { upsertMentorProfile(input: $input) {
    id capacity menteeCount capacityLeft specialties researchAreas researchActive formats acceptingMentees hoursPerMonth bio mentor { id } institution { id } } }`,
  setMenteePreferences: `mutation($input: SetMenteePreferencesInput!) { setMenteePreferences(input: $input) { specialtyInterests researchInterests preferredFormat } }`,
  createMentorship: `mutation($input: CreateMentorshipInput!) { createMentorship(input: $input) { id status format focus groupSizeLimit mentor { id } mentees { id } school { id } } }`,
  addMentee: `mutation($input: AddMenteeInput!) { addMentee(input: $input) { id mentees { id } } }`,
  pauseMentorship: `mutation($input: ChangeMentorshipInput!) { pauseMentorship(input: $input) { id status statusReason endedAt } }`,
  resumeMentorship: `mutation($input: ResumeMentorshipInput!) { resumeMentorship(input: $input) { id status statusReason } }`,
  endMentorship: `mutation($input: ChangeMentorshipInput!) { endMentorship(input: $input) { id status statusReason endedAt } }`,
  logMeeting: `mutation($input: LogMeetingInput!) { logMeeting(input: $input) { id date mentorAttended attendingMentees { id } notes loggedById } }`,
  startMatchingRun: `mutation($input: StartMatchingRunInput!) { startMatchingRun(input: $input) {
    id status mechanism totalScore programId cohortYear school { id } unmatchedStudents { id }
    proposals { student { id } mentor { id } score reasons { code points detail } } } }`,
  acceptMatchingRun: `mutation($input: AcceptMatchingRunInput!) { acceptMatchingRun(input: $input) {
    id status decidedAt mentorships { id format focus status mentor { id } mentees { id } } } }`,
  rejectMatchingRun: `mutation($input: RejectMatchingRunInput!) { rejectMatchingRun(input: $input) { id status decisionReason decidedAt mentorships { id } } }`,
  setDevelopmentGoal: `mutation($input: SetDevelopmentGoalInput!) { setDevelopmentGoal(input: $input) {
    id title status targetDate pendingAcceptance proposedBy { id } competency { id } evidence { kind id } student { id } } }`,
  updateDevelopmentGoal: `mutation($input: UpdateDevelopmentGoalInput!) { updateDevelopmentGoal(input: $input) {
    id title description status pendingAcceptance evidence { kind id } targetDate } }`,
  createGoalFromGap: `mutation($input: CreateGoalFromGapInput!) { createGoalFromGap(input: $input) {
    id title status pendingAcceptance competency { id } gap { requiredLevel currentLevel } } }`,
  suggestions: `query($studentId: ID!, $first: Int) { mentorSuggestions(studentId: $studentId, first: $first) {
    mentor { id } profile { id capacityLeft } score reasons { code points detail } } }`,
};
