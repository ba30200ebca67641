import { randomUUID } from 'node:crypto';
import {
  AssessmentTaskAssigned,
  type ApplyOutcome,
  type Consumer,
  createConsumer,
  DepartmentCreated,
  type EventContract,
  InstitutionCreated,
  type PayloadOf,
  StaffRegistered,
  StudentRegistered,
} from '@medcollab/events';
import { type Actor, type Role } from '@medcollab/kit';
import { startSubgraphUnderTest, type SubgraphHarness } from '@medcollab/testing';
import { notificationEventHandlers } from '../../src/projections';
import { notificationsSubgraph } from '../../src/server';

export { codes, ok } from '@medcollab/testing';

export interface NotificationsHarness extends SubgraphHarness {
  /** The inbox side of notifications: tests feed other services' events through it, as the worker would. */
  consumer: Consumer;
}

export async function startNotifications(): Promise<NotificationsHarness> {
  const base = await startSubgraphUnderTest(notificationsSubgraph);
  const consumer = createConsumer({ service: 'notifications', dataSource: base.dataSource, handlers: notificationEventHandlers });
  return { ...base, consumer };
}

/** Feeds one event through the notifications consumer (inbox + handler in one transaction). */
export function emit<C extends EventContract>(
  h: { consumer: Consumer },
  contract: C,
  aggregateId: string,
  payload: PayloadOf<C>,
  occurredAt = new Date(),
): Promise<ApplyOutcome> {
  return h.consumer.apply({
    envelope: {
      id: randomUUID(),
      type: contract.name,
      version: contract.version,
      source: 'test',
      aggregateType: contract.aggregateType,
      aggregateId,
      sequence: 1,
      occurredAt: occurredAt.toISOString(),
      payload,
      metadata: {},
    },
    previousEventId: null,
  });
}

export interface Person {
  id: string;
  actor: Actor;
}

async function staff(
  h: { consumer: Consumer },
  institutionId: string,
  departmentId: string | null,
  givenName: string,
  familyName: string,
  ...roles: Role[]
): Promise<Person> {
  const id = randomUUID();
  await emit(h, StaffRegistered, id, {
    staffId: id,
    institutionId,
    departmentId,
    roles,
    givenName,
    familyName,
    email: `${givenName.toLowerCase()}.${id.slice(0, 8)}@example.org`,
  });
  return { id, actor: { personId: id, institutionId, roles } };
}

/** A school in Paris and a hospital in Shanghai, with the people a task's ladder reaches. */
export async function buildWorld(h: { consumer: Consumer }) {
  const school = randomUUID();
  const otherSchool = randomUUID();
  const hospital = randomUUID();
  const department = randomUUID();
  await emit(h, InstitutionCreated, school, {
    institutionId: school,
    name: 'Paris Medical School',
    kind: 'SCHOOL',
    timezone: 'Europe/Paris',
  });
  await emit(h, InstitutionCreated, otherSchool, {
    institutionId: otherSchool,
    name: 'Lyon Medical School',
    kind: 'SCHOOL',
    timezone: 'Europe/Paris',
  });
  await emit(h, InstitutionCreated, hospital, {
    institutionId: hospital,
    name: 'Shanghai General',
    kind: 'HOSPITAL',
    timezone: 'Asia/Shanghai',
  });
  await emit(h, DepartmentCreated, department, { departmentId: department, institutionId: hospital, name: 'Cardiology' });
  const studentId = randomUUID();
  await emit(h, StudentRegistered, studentId, {
    studentId,
    schoolId: school,
    email: `s-${studentId.slice(0, 8)}@example.edu`,
    cohortYear: 2023,
    priorClinicalYears: 0,
    givenName: 'Lina',
    familyName: 'Martin',
  });
  return {
    school,
    otherSchool,
    hospital,
    department,
    student: { id: studentId, actor: { personId: studentId, institutionId: school, roles: ['STUDENT'] as Role[] } },
    assessor: await staff(h, hospital, department, 'Wei', 'Zhang', 'CLINICAL_INSTRUCTOR'),
    schoolCoordinator: await staff(h, school, null, 'Claire', 'Dubois', 'COORDINATOR'),
    departmentCoordinator: await staff(h, hospital, department, 'Min', 'Li', 'COORDINATOR'),
    otherDepartmentCoordinator: await staff(h, hospital, null, 'Jun', 'Wang', 'COORDINATOR'),
    quality: await staff(h, school, null, 'Hugo', 'Bernard', 'QUALITY_OFFICER'),
    admin: await staff(h, school, null, 'Anne', 'Petit', 'INSTITUTION_ADMIN'),
    otherAdmin: await staff(h, otherSchool, null, 'Paul', 'Roux', 'INSTITUTION_ADMIN'),
    teacher: await staff(h, school, null, 'Marc', 'Leroy', 'TEACHER'),
  };
}

export type World = Awaited<ReturnType<typeof buildWorld>>;

/** The facts of a supervisor assessment at the world's hospital department, due at `dueAt`. */
export function taskFacts(
  w: World,
  dueAt: Date,
  taskId: string = randomUUID(),
): Omit<PayloadOf<typeof AssessmentTaskAssigned>, 'assignedAt'> {
  return {
    taskId,
    assessorId: w.assessor.id,
    role: 'SUPERVISOR_ASSESSMENT',
    instrumentId: randomUUID(),
    instrumentKind: 'MINI_CEX',
    instrumentTitle: 'Mini-CEX',
    purpose: 'FORMATIVE',
    studentId: w.student.id,
    schoolId: w.school,
    subjectStaffId: null,
    departmentId: w.department,
    placementId: randomUUID(),
    hospitalId: w.hospital,
    blockId: randomUUID(),
    dueAt: dueAt.toISOString(),
  };
}

export async function assignTask(h: { consumer: Consumer }, w: World, dueAt: Date, assignedAt: Date): Promise<string> {
  const facts = taskFacts(w, dueAt);
  await emit(h, AssessmentTaskAssigned, facts.taskId, { ...facts, assignedAt: assignedAt.toISOString() }, assignedAt);
  return facts.taskId;
}

/** Polls until `check` holds (no timed assertions: slow machines only wait longer). */
export async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs = 60_000, everyMs = 100): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
