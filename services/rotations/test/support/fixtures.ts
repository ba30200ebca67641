import { randomUUID } from 'node:crypto';
import { type Actor, type Role, type Specialty } from '@medcollab/kit';
import {
  AgreementActivated,
  AgreementEnded,
  EnrollmentChanged,
  type EventContract,
  ModuleCompleted,
  type PayloadOf,
  StaffRegistered,
  StudentRegistered,
} from '@medcollab/events';
import { staffOf } from './actors';
import { ok, type RotationsHarness } from './harness';

/** The mutations the tests send, with the fields they read back. */
export const M = {
  createRotationBlock: `mutation($input: CreateRotationBlockInput!) { createRotationBlock(input: $input) { id name academicYear startsOn endsOn school { id } } }`,
  setSiteCapacity: `mutation($input: SetSiteCapacityInput!) { setSiteCapacity(input: $input) { id seats heldSeats committedSeats availableSeats department { id } hospital { id } school { id } block { id } } }`,
  createPlacement: `mutation($input: CreatePlacementInput!) { createPlacement(input: $input) { id status startsOn endsOn student { id } department { id } hospital { id } supervisor { id } block { id } } }`,
  confirmPlacement: `mutation($input: PlacementIdInput!) { confirmPlacement(input: $input) { id status hospitalAccessUntil } }`,
  startPlacement: `mutation($input: PlacementIdInput!) { startPlacement(input: $input) { id status hospitalAccessUntil } }`,
  completePlacement: `mutation($input: PlacementIdInput!) { completePlacement(input: $input) { id status hospitalAccessUntil } }`,
  cancelPlacement: `mutation($input: CancelPlacementInput!) { cancelPlacement(input: $input) { id status cancelReason hospitalAccessUntil } }`,
};

export interface Ref {
  id: string;
}
export interface StudentRef {
  id: string;
  schoolId: string;
}
export interface StaffRef {
  id: string;
  actor: Actor;
}

/** Feeds one event (the network's, unless `source` says otherwise) through the rotations consumer (inbox + handler in one transaction). */
export async function emit<C extends EventContract>(
  h: RotationsHarness,
  contract: C,
  aggregateId: string,
  payload: PayloadOf<C>,
  source = 'network',
): Promise<void> {
  await h.consumer.apply({
    envelope: {
      id: randomUUID(),
      type: contract.name,
      version: contract.version,
      source,
      aggregateType: contract.aggregateType,
      aggregateId,
      sequence: 1,
      occurredAt: new Date().toISOString(),
      payload,
      metadata: {},
    },
    previousEventId: null,
  });
}

export async function registerStudent(
  h: RotationsHarness,
  schoolId: string,
  names: { givenName?: string; familyName?: string } = {},
): Promise<StudentRef> {
  const id = randomUUID();
  await emit(h, StudentRegistered, id, {
    studentId: id,
    schoolId,
    email: `s-${id}@example.edu`,
    cohortYear: 2023,
    priorClinicalYears: 0,
    ...names,
  });
  return { id, schoolId };
}

export async function registerStaff(
  h: RotationsHarness,
  institutionId: string,
  roles: Role[],
  departmentId: string | null = null,
): Promise<StaffRef> {
  const id = randomUUID();
  await emit(h, StaffRegistered, id, { staffId: id, institutionId, departmentId, roles });
  return { id, actor: { personId: id, institutionId, roles } };
}

export interface AgreementTerms {
  schoolId: string;
  hospitalId: string;
  departmentIds: string[];
  startsOn: string;
  endsOn: string;
  departmentSpecialties?: PayloadOf<typeof AgreementActivated>['departmentSpecialties'];
  departmentNames?: PayloadOf<typeof AgreementActivated>['departmentNames'];
  hospitalName?: string;
}

export async function activateAgreement(h: RotationsHarness, terms: AgreementTerms): Promise<string> {
  const id = randomUUID();
  await emit(h, AgreementActivated, id, { agreementId: id, ...terms });
  return id;
}

/** The network names a department's specialty (an agreement of school A with hospital H activated again, naming it). */
export async function nameSpecialty(h: RotationsHarness, w: World, departmentId: string, specialty: Specialty): Promise<void> {
  await activateAgreement(h, {
    schoolId: w.schoolA,
    hospitalId: w.hospitalH,
    departmentIds: [departmentId],
    startsOn: '2026-01-01',
    endsOn: '2027-12-31',
    departmentSpecialties: [{ departmentId, specialty }],
  });
}

export async function endAgreement(h: RotationsHarness, id: string, terms: AgreementTerms, endedOn: string): Promise<void> {
  await emit(h, AgreementEnded, id, { agreementId: id, schoolId: terms.schoolId, hospitalId: terms.hospitalId, endedOn });
}

/** A student's enrolment as curriculum announces it (EnrollmentChanged). */
export interface EnrolmentRef {
  enrollmentId: string;
  studentId: string;
  programId: string;
  schoolId: string;
}

/** Feeds curriculum's EnrollmentChanged: the student is enrolled on (or moved to) a track, or withdrew. */
export async function changeEnrolment(
  h: RotationsHarness,
  e: EnrolmentRef,
  change: 'ENROLLED' | 'TRACK_CHANGED' | 'WITHDRAWN',
  trackId: string | null = null,
): Promise<void> {
  await emit(
    h,
    EnrollmentChanged,
    e.enrollmentId,
    { ...e, trackId, trackKind: trackId ? 'CLINICAL_PRACTICE' : null, change },
    'curriculum',
  );
}

export async function enrol(
  h: RotationsHarness,
  student: StudentRef,
  programId: string,
  trackId: string | null = null,
): Promise<EnrolmentRef> {
  const e = { enrollmentId: randomUUID(), studentId: student.id, programId, schoolId: student.schoolId };
  await changeEnrolment(h, e, 'ENROLLED', trackId);
  return e;
}

/** Feeds curriculum's ModuleCompleted for the enrolment. */
export async function completeModule(h: RotationsHarness, e: EnrolmentRef, moduleId: string, completedOn = '2026-06-15'): Promise<void> {
  await emit(h, ModuleCompleted, e.enrollmentId, { ...e, moduleId, completedOn }, 'curriculum');
}

/** Academic year used by most tests; its blocks lie inside the agreements below. */
export const YEAR = '2026-2027';

/**
 * Two schools, two hospitals. A may send students to H's departments d1 and d2 for 2026-2027
 * and to K's k1 only in the first half of 2026; B may send to H's d1. H has a coordinator and
 * a clinical instructor in d1 and in d2.
 */
export async function buildWorld(h: RotationsHarness) {
  const schoolA = randomUUID();
  const schoolB = randomUUID();
  const hospitalH = randomUUID();
  const hospitalK = randomUUID();
  const [d1, d2, d3, k1] = [randomUUID(), randomUUID(), randomUUID(), randomUUID()] as [string, string, string, string];
  await activateAgreement(h, {
    schoolId: schoolA,
    hospitalId: hospitalH,
    departmentIds: [d1, d2],
    startsOn: '2026-01-01',
    endsOn: '2027-12-31',
  });
  await activateAgreement(h, {
    schoolId: schoolA,
    hospitalId: hospitalK,
    departmentIds: [k1],
    startsOn: '2026-01-01',
    endsOn: '2026-06-30',
  });
  await activateAgreement(h, {
    schoolId: schoolB,
    hospitalId: hospitalH,
    departmentIds: [d1],
    startsOn: '2026-01-01',
    endsOn: '2027-12-31',
  });
  const ciD1 = await registerStaff(h, hospitalH, ['CLINICAL_INSTRUCTOR'], d1);
  const ciD2 = await registerStaff(h, hospitalH, ['CLINICAL_INSTRUCTOR'], d2);
  const hospitalCoordinator = await registerStaff(h, hospitalH, ['COORDINATOR']);
  const schoolCoordinator = await registerStaff(h, schoolA, ['COORDINATOR']);
  // d3 is H's too (a staff registration tells rotations so), but no agreement names it.
  const teacherD3 = await registerStaff(h, hospitalH, ['CLINICAL_INSTRUCTOR'], d3);
  return {
    schoolA,
    schoolB,
    hospitalH,
    hospitalK,
    d1,
    d2,
    d3,
    k1,
    ciD1,
    ciD2,
    teacherD3,
    coordinatorA: schoolCoordinator.actor,
    coordinatorB: staffOf(schoolB, 'COORDINATOR'),
    coordinatorH: hospitalCoordinator.actor,
  };
}
export type World = Awaited<ReturnType<typeof buildWorld>>;

export async function createBlock(
  h: RotationsHarness,
  actor: Actor,
  input: { schoolId: string; name: string; startsOn: string; endsOn: string; academicYear?: string },
): Promise<Ref> {
  return ok(await h.call<{ createRotationBlock: Ref }>(actor, M.createRotationBlock, { input: { academicYear: YEAR, ...input } }))
    .createRotationBlock;
}

export async function setSeats(
  h: RotationsHarness,
  actor: Actor,
  input: { departmentId: string; blockId: string; schoolId: string; seats: number },
) {
  return ok(await h.call(actor, M.setSiteCapacity, { input })).setSiteCapacity as {
    id: string;
    seats: number;
    heldSeats: number;
    committedSeats: number;
    availableSeats: number;
  };
}

export async function propose(
  h: RotationsHarness,
  actor: Actor,
  input: { studentId: string; departmentId: string; blockId: string; supervisorId?: string },
): Promise<Ref> {
  return ok(await h.call<{ createPlacement: Ref }>(actor, M.createPlacement, { input })).createPlacement;
}

/** Runs a lifecycle mutation and returns the placement's new status. */
export async function step(
  h: RotationsHarness,
  actor: Actor,
  mutation: 'confirmPlacement' | 'startPlacement' | 'completePlacement',
  id: string,
): Promise<string> {
  return (ok(await h.call(actor, M[mutation], { input: { id } })) as Record<string, { status: string }>)[mutation]!.status;
}
