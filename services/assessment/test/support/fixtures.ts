import { LIBRARY } from '@medcollab/demo-world';
import { randomUUID } from 'node:crypto';
import { type Actor, type Role } from '@medcollab/kit';
import {
  AgreementActivated,
  type ApplyOutcome,
  CompetencyFrameworkPublished,
  EnrollmentChanged,
  type EventContract,
  type PayloadOf,
  PlacementCompleted,
  PlacementConfirmed,
  PlacementStarted,
  PostProfilePublished,
  StaffRegistered,
  StudentRegistered,
} from '@medcollab/events';
import { libraryIds } from '@medcollab/demo-world';
import { staffOf } from './actors';
import { type AssessmentHarness } from './harness';

/** Feeds one event through the assessment consumer (inbox + handler in one transaction), as the worker would. */
export async function emit<C extends EventContract>(
  h: AssessmentHarness,
  contract: C,
  aggregateId: string,
  payload: PayloadOf<C>,
  opts: { id?: string; source?: string; occurredAt?: Date } = {},
): Promise<ApplyOutcome> {
  return h.consumer.apply({
    envelope: {
      id: opts.id ?? randomUUID(),
      type: contract.name,
      version: contract.version,
      source: opts.source ?? 'test',
      aggregateType: contract.aggregateType,
      aggregateId,
      sequence: 1,
      occurredAt: (opts.occurredAt ?? new Date()).toISOString(),
      payload,
      metadata: {},
    },
    previousEventId: null,
  });
}

export interface StudentRef {
  id: string;
  schoolId: string;
  actor: Actor;
}
export interface StaffRef {
  id: string;
  institutionId: string;
  actor: Actor;
}

export async function registerStudent(h: AssessmentHarness, schoolId: string): Promise<StudentRef> {
  const id = randomUUID();
  await emit(h, StudentRegistered, id, { studentId: id, schoolId, email: `s-${id}@example.edu`, cohortYear: 2023, priorClinicalYears: 0 });
  return { id, schoolId, actor: { personId: id, institutionId: schoolId, roles: ['STUDENT'] } };
}

export async function registerStaff(
  h: AssessmentHarness,
  institutionId: string,
  roles: Role[],
  departmentId: string | null = null,
): Promise<StaffRef> {
  const id = randomUUID();
  await emit(h, StaffRegistered, id, { staffId: id, institutionId, departmentId, roles });
  return { id, institutionId, actor: { personId: id, institutionId, roles } };
}

export async function activateAgreement(
  h: AssessmentHarness,
  schoolId: string,
  hospitalId: string,
  departmentIds: string[],
): Promise<string> {
  const id = randomUUID();
  await emit(h, AgreementActivated, id, {
    agreementId: id,
    schoolId,
    hospitalId,
    departmentIds,
    startsOn: '2026-01-01',
    endsOn: '2028-12-31',
  });
  return id;
}

export async function enrol(h: AssessmentHarness, student: StudentRef, programId: string): Promise<void> {
  const enrollmentId = randomUUID();
  await emit(h, EnrollmentChanged, enrollmentId, {
    enrollmentId,
    studentId: student.id,
    programId,
    schoolId: student.schoolId,
    trackId: null,
    trackKind: null,
    change: 'ENROLLED',
  });
}

/** The curriculum's seeded library (CanMEDS, Core EPAs, NOTSS) as CompetencyFrameworkPublished would bring it. Returns ids by "<framework>/<code>". */
export async function publishLibrary(h: AssessmentHarness): Promise<Record<string, string>> {
  const ids: Record<string, string> = {};
  for (const framework of LIBRARY) {
    const seeded = libraryIds(framework);
    const competencies = framework.competencies.map((c) => ({
      id: seeded.competencyIds[c.code] as string,
      code: c.code,
      domain: c.domain,
      parentId: c.parentCode ? (seeded.competencyIds[c.parentCode] as string) : null,
    }));
    await emit(h, CompetencyFrameworkPublished, seeded.id, {
      frameworkId: seeded.id,
      name: framework.name,
      version: framework.version,
      competencies,
    });
    for (const c of framework.competencies) ids[`${framework.key}/${c.code}`] = seeded.competencyIds[c.code] as string;
  }
  return ids;
}

export async function publishPostProfile(
  h: AssessmentHarness,
  requirements: { competencyId: string; level: number }[],
  scale = { name: 'Entrustment', min: 1, max: 5 },
): Promise<string> {
  const id = randomUUID();
  await emit(h, PostProfilePublished, id, { postProfileId: id, title: `Profile ${id.slice(0, 8)}`, scale, requirements });
  return id;
}

export interface PlacementFacts {
  placementId: string;
  studentId: string;
  schoolId: string;
  hospitalId: string;
  departmentId: string;
  blockId: string;
  supervisorId: string | null;
  startsOn: string;
  endsOn: string;
  /** A part of a rotation longer than one block (ADR 0027 §8). */
  rotation?: { rotationId: string; part: number; parts: number; name: string; startsOn: string; endsOn: string };
}

const DAY = 86_400_000;

/**
 * Runs a placement's events up to `upTo`. `completedAt` is the completion instant (the tasks'
 * assignment week and due date follow from it).
 */
export async function runPlacement(
  h: AssessmentHarness,
  p: PlacementFacts,
  upTo: 'CONFIRMED' | 'IN_PROGRESS' | 'COMPLETED',
  completedAt = new Date(),
): Promise<ApplyOutcome[]> {
  const base = { ...p };
  const outcomes = [
    await emit(h, PlacementConfirmed, p.placementId, {
      ...base,
      at: new Date(completedAt.getTime() - 60 * DAY).toISOString(),
      accessUntil: null,
    }),
  ];
  if (upTo === 'CONFIRMED') return outcomes;
  outcomes.push(
    await emit(h, PlacementStarted, p.placementId, {
      ...base,
      at: new Date(completedAt.getTime() - 50 * DAY).toISOString(),
      accessUntil: null,
    }),
  );
  if (upTo === 'IN_PROGRESS') return outcomes;
  outcomes.push(await completePlacement(h, p, completedAt));
  return outcomes;
}

/** PlacementCompleted alone (an `id` repeats a delivery: the inbox refuses it). */
export function completePlacement(
  h: AssessmentHarness,
  p: PlacementFacts,
  completedAt = new Date(),
  eventId?: string,
): Promise<ApplyOutcome> {
  return emit(
    h,
    PlacementCompleted,
    p.placementId,
    { ...p, at: completedAt.toISOString(), accessUntil: new Date(completedAt.getTime() + 30 * DAY).toISOString() },
    { id: eventId },
  );
}

/**
 * Two schools and a hospital. A and H are partners (departments d1, d2); B is not. H has a
 * clinical instructor in d1 and in d2, a coordinator and a quality officer; A has a teacher, a
 * coordinator, an admin and a quality officer; B a coordinator and a quality officer.
 */
export async function buildWorld(h: AssessmentHarness) {
  const schoolA = randomUUID();
  const schoolB = randomUUID();
  const hospitalH = randomUUID();
  const [d1, d2] = [randomUUID(), randomUUID()];
  await activateAgreement(h, schoolA, hospitalH, [d1, d2]);
  const ciD1 = await registerStaff(h, hospitalH, ['CLINICAL_INSTRUCTOR'], d1);
  const ciD2 = await registerStaff(h, hospitalH, ['CLINICAL_INSTRUCTOR'], d2);
  const coordinatorH = await registerStaff(h, hospitalH, ['COORDINATOR']);
  const qualityH = await registerStaff(h, hospitalH, ['QUALITY_OFFICER']);
  const teacherA = await registerStaff(h, schoolA, ['TEACHER'], null);
  const coordinatorA = await registerStaff(h, schoolA, ['COORDINATOR']);
  const adminA = await registerStaff(h, schoolA, ['INSTITUTION_ADMIN']);
  const qualityA = await registerStaff(h, schoolA, ['QUALITY_OFFICER']);
  const teacherB = await registerStaff(h, schoolB, ['TEACHER']);
  return {
    schoolA,
    schoolB,
    hospitalH,
    d1,
    d2,
    ciD1,
    ciD2,
    coordinatorH,
    qualityH,
    teacherA,
    coordinatorA,
    adminA,
    qualityA,
    teacherB,
    coordinatorB: staffOf(schoolB, 'COORDINATOR'),
    qualityB: staffOf(schoolB, 'QUALITY_OFFICER'),
  };
}
export type World = Awaited<ReturnType<typeof buildWorld>>;

/** A placement of `student` at H's d1 (supervised by ciD1 unless told otherwise) in a fresh block. */
export function placementAt(w: World, student: StudentRef, overrides: Partial<PlacementFacts> = {}): PlacementFacts {
  return {
    placementId: randomUUID(),
    studentId: student.id,
    schoolId: student.schoolId,
    hospitalId: w.hospitalH,
    departmentId: w.d1,
    blockId: randomUUID(),
    supervisorId: w.ciD1.id,
    startsOn: '2026-09-07',
    endsOn: '2026-10-30',
    ...overrides,
  };
}

/** Rows per table: "nothing was written" means these did not change. */
export async function rowCounts(h: AssessmentHarness): Promise<Record<string, number>> {
  const tables = [
    'instrument',
    'instrument_item',
    'placement_instrument',
    'assessment_task',
    'task_sampling',
    'submission',
    'submission_amendment',
    'competency_observation',
    'outbox',
  ];
  const [row] = await h.dataSource.query(`SELECT ${tables.map((t) => `(SELECT count(*)::int FROM ${t}) AS ${t}`).join(', ')}`);
  return row as Record<string, number>;
}
