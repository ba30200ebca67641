import { randomUUID } from 'node:crypto';
import { createConsumer, type Consumer, type PayloadOf, type PlacementConfirmed } from '@medcollab/events';
import { placementGrantHandlers } from '../src/projections/placement-grants';
import { staffOf } from './support/actors';
import { buildWorld, registerStaff, registerStudent, type StudentRef, type World } from './support/fixtures';
import { codes, type NetworkHarness, ok, startNetwork } from './support/harness';

let h: NetworkHarness;
let w: World;
let consumer: Consumer;
let placed: StudentRef;
let other: StudentRef;
/** A clinical instructor of the placement's department, and one of another department of the same hospital. */
let instructorOfDepartment: Awaited<ReturnType<typeof registerStaff>>;
let instructorElsewhere: Awaited<ReturnType<typeof registerStaff>>;
const placementId = randomUUID();

beforeAll(async () => {
  h = await startNetwork();
  w = await buildWorld(h);
  consumer = createConsumer({ service: 'network', dataSource: h.dataSource, handlers: placementGrantHandlers });
  [placed, other] = await Promise.all([registerStudent(h, w.schoolA.id), registerStudent(h, w.schoolA.id)]);
  instructorOfDepartment = await registerStaff(h, w.hospitalH.id, ['CLINICAL_INSTRUCTOR'], { departmentId: w.hDepartments[0]!.id });
  instructorElsewhere = await registerStaff(h, w.hospitalH.id, ['CLINICAL_INSTRUCTOR'], { departmentId: w.hDepartments[1]!.id });
});
afterAll(() => h.stop());

let sequence = 0;
/** Delivers one Placement* event to the network's consumer, chained after the previous one. */
let previous: string | null = null;
async function deliver(
  type: 'PlacementConfirmed' | 'PlacementStarted' | 'PlacementCompleted' | 'PlacementCancelled',
  over: Partial<PayloadOf<typeof PlacementConfirmed>> = {},
) {
  const id = randomUUID();
  const payload = {
    placementId,
    studentId: placed.id,
    schoolId: w.schoolA.id,
    hospitalId: w.hospitalH.id,
    departmentId: w.hDepartments[0]!.id,
    blockId: randomUUID(),
    supervisorId: null,
    startsOn: '2026-09-07',
    endsOn: '2026-10-30',
    at: new Date().toISOString(),
    accessUntil: null,
    ...(type === 'PlacementCancelled' ? { reason: 'test' } : {}),
    ...over,
  };
  const envelope = {
    id,
    type,
    version: 1,
    source: 'rotations',
    aggregateType: 'Placement',
    aggregateId: placementId,
    sequence: ++sequence,
    occurredAt: payload.at,
    payload,
    metadata: {},
  };
  expect(await consumer.apply({ envelope, previousEventId: previous })).toBe('applied');
  previous = id;
}

const STUDENT = `query($id: ID!) { student(id: $id) { id familyName } }`;
const ENTITIES = `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Student { id } } }`;

describe('hospital access grants from placement events', () => {
  const instructorH = () => instructorOfDepartment.actor;

  it('refuses a hospital before any placement, and grants it once the placement is confirmed', async () => {
    expect(codes(await h.call(instructorH(), STUDENT, { id: placed.id }))).toEqual(['FORBIDDEN']);
    await deliver('PlacementConfirmed');
    expect(ok(await h.call(instructorH(), STUDENT, { id: placed.id })).student.id).toBe(placed.id);
    // Only that student, only that hospital, only its staff.
    expect(codes(await h.call(instructorH(), STUDENT, { id: other.id }))).toEqual(['FORBIDDEN']);
    expect(codes(await h.call(staffOf(w.hospitalK.id, 'CLINICAL_INSTRUCTOR'), STUDENT, { id: placed.id }))).toEqual(['FORBIDDEN']);
  });

  it('keeps the grant while running and for the grace period after completion, then ends it', async () => {
    await deliver('PlacementStarted');
    expect(ok(await h.call(instructorH(), STUDENT, { id: placed.id })).student.id).toBe(placed.id);
    await deliver('PlacementCompleted', { accessUntil: new Date(Date.now() + 60_000).toISOString() });
    expect(ok(await h.call(instructorH(), STUDENT, { id: placed.id })).student.id).toBe(placed.id);
    await h.dataSource.query(`UPDATE hospital_access_grant SET valid_until = now() - interval '1 second' WHERE placement_id = $1`, [
      placementId,
    ]);
    expect(codes(await h.call(instructorH(), STUDENT, { id: placed.id }))).toEqual(['FORBIDDEN']);
  });

  it('ends the grant when the placement is cancelled', async () => {
    const second = randomUUID();
    const payload = {
      placementId: second,
      studentId: other.id,
      schoolId: w.schoolA.id,
      hospitalId: w.hospitalH.id,
      departmentId: w.hDepartments[0]!.id,
      blockId: randomUUID(),
      supervisorId: null,
      startsOn: '2027-01-04',
      endsOn: '2027-02-26',
    };
    const send = async (type: string, extra: Record<string, unknown>, prev: string | null) => {
      const id = randomUUID();
      const envelope = {
        id,
        type,
        version: 1,
        source: 'rotations',
        aggregateType: 'Placement',
        aggregateId: second,
        sequence: prev ? 2 : 1,
        occurredAt: new Date().toISOString(),
        payload: { ...payload, at: new Date().toISOString(), ...extra },
        metadata: {},
      };
      await consumer.apply({ envelope, previousEventId: prev });
      return id;
    };
    const first = await send('PlacementConfirmed', { accessUntil: null }, null);
    expect(ok(await h.call(instructorH(), STUDENT, { id: other.id })).student.id).toBe(other.id);
    await send('PlacementCancelled', { accessUntil: new Date().toISOString(), reason: 'called off' }, first);
    expect(codes(await h.call(instructorH(), STUDENT, { id: other.id }))).toEqual(['FORBIDDEN']);
  });

  it('checks the grants of many students in one batched statement', async () => {
    const students = await Promise.all(Array.from({ length: 10 }, () => registerStudent(h, w.schoolA.id)));
    h.counter.reset();
    const response = await h.call(instructorH(), ENTITIES, { reps: students.map((s) => ({ __typename: 'Student', id: s.id })) });
    expect(codes(response)).toEqual(Array(10).fill('FORBIDDEN'));
    // The students, then their grants: two statements for ten students (no grant here, so no department look-up).
    expect(h.counter.count).toBe(2);
  });
});

describe('least privilege at the hospital', () => {
  const student = () => registerStudent(h, w.schoolA.id);
  async function confirm(studentId: string, departmentId: string, supervisorId: string | null = null) {
    const id = randomUUID();
    const payload = {
      placementId: randomUUID(),
      studentId,
      schoolId: w.schoolA.id,
      hospitalId: w.hospitalH.id,
      departmentId,
      blockId: randomUUID(),
      supervisorId,
      startsOn: '2027-03-01',
      endsOn: '2027-04-23',
      at: new Date().toISOString(),
      accessUntil: null,
    };
    const envelope = {
      id,
      type: 'PlacementConfirmed',
      version: 1,
      source: 'rotations',
      aggregateType: 'Placement',
      aggregateId: payload.placementId,
      sequence: 1,
      occurredAt: payload.at,
      payload,
      metadata: {},
    };
    expect(await consumer.apply({ envelope, previousEventId: null })).toBe('applied');
  }

  it("refuses an instructor a student placed in another department of the same hospital, and lets the hospital's coordinator read", async () => {
    const s = await student();
    await confirm(s.id, w.hDepartments[0]!.id);
    expect(ok(await h.call(instructorOfDepartment.actor, STUDENT, { id: s.id })).student.id).toBe(s.id);
    expect(codes(await h.call(instructorElsewhere.actor, STUDENT, { id: s.id }))).toEqual(['FORBIDDEN']);
    expect(codes(await h.call(instructorElsewhere.actor, ENTITIES, { reps: [{ __typename: 'Student', id: s.id }] }))).toEqual([
      'FORBIDDEN',
    ]);
    expect(ok(await h.call(staffOf(w.hospitalH.id, 'COORDINATOR'), STUDENT, { id: s.id })).student.id).toBe(s.id);
    expect(ok(await h.call(staffOf(w.hospitalH.id, 'INSTITUTION_ADMIN'), STUDENT, { id: s.id })).student.id).toBe(s.id);
    expect(codes(await h.call(staffOf(w.hospitalH.id, 'QUALITY_OFFICER'), STUDENT, { id: s.id }))).toEqual(['FORBIDDEN']);
  });

  it('lets an instructor read the students they supervise, whatever the department', async () => {
    const s = await student();
    await confirm(s.id, w.hDepartments[2]!.id, instructorElsewhere.id);
    expect(ok(await h.call(instructorElsewhere.actor, STUDENT, { id: s.id })).student.id).toBe(s.id);
    expect(codes(await h.call(instructorOfDepartment.actor, STUDENT, { id: s.id }))).toEqual(['FORBIDDEN']);
  });
});

describe('the migration that records departments on grants', () => {
  it('goes down and up again', async () => {
    const columns = async () =>
      (
        (await h.dataSource.query(
          `SELECT column_name FROM information_schema.columns WHERE table_name = 'hospital_access_grant' AND column_name IN ('department_id', 'supervisor_id') ORDER BY 1`,
        )) as { column_name: string }[]
      ).map((r) => r.column_name);
    expect(await columns()).toEqual(['department_id', 'supervisor_id']);
    // Undo the later migrations first, then this one.
    const undone =
      h.dataSource.migrations.length -
      h.dataSource.migrations.findIndex((m) => m.constructor.name === 'HospitalGrantDepartment1764100000006');
    for (let i = 0; i < undone; i++) await h.dataSource.undoLastMigration();
    expect(await columns()).toEqual([]);
    await h.dataSource.runMigrations();
    expect(await columns()).toEqual(['department_id', 'supervisor_id']);
  });
});
