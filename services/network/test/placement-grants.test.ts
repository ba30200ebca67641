import { randomUUID } from 'node:crypto';
import { createConsumer, type Consumer, type PayloadOf, type PlacementConfirmed } from '@medcollab/events';
import { placementGrantHandlers } from '../src/projections/placement-grants';
import { staffOf } from './support/actors';
import { buildWorld, registerStudent, type StudentRef, type World } from './support/fixtures';
import { codes, type NetworkHarness, ok, startNetwork } from './support/harness';

let h: NetworkHarness;
let w: World;
let consumer: Consumer;
let placed: StudentRef;
let other: StudentRef;
const placementId = randomUUID();

beforeAll(async () => {
  h = await startNetwork();
  w = await buildWorld(h);
  consumer = createConsumer({ service: 'network', dataSource: h.dataSource, handlers: placementGrantHandlers });
  [placed, other] = await Promise.all([registerStudent(h, w.schoolA.id), registerStudent(h, w.schoolA.id)]);
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
  const instructorH = () => staffOf(w.hospitalH.id, 'CLINICAL_INSTRUCTOR');

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
    // The students, then their grants: two statements for ten students.
    expect(h.counter.count).toBe(2);
  });
});
