import { StaffRegistered } from '@medcollab/events';
import { staffOf } from './support/actors';
import {
  buildWorld,
  createBlock,
  emit,
  propose,
  type Ref,
  registerStaff,
  registerStudent,
  setSeats,
  step,
  type StudentRef,
  type World,
} from './support/fixtures';
import { codes, ok, type RotationsHarness, startRotations } from './support/harness';

/**
 * Least privilege at hospitals (issue 15, hole 6): a clinical instructor reads the placements
 * of their own department and those they supervise, not every student placed at the hospital;
 * the hospital's coordinators and admins read all of them. Every path: by id, lists,
 * `_entities`, department and supervisor fields.
 */
let h: RotationsHarness;
let w: World;
let student: StudentRef;
let inD2: Ref;

const BY_ID = `query($id: ID!) { placement(id: $id) { id } }`;
const LIST = `query($hospital: ID!) { placements(filter: { hospitalId: $hospital }) { totalCount edges { node { id } } } }`;
const STUDENT = `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Student { placements { id } } } }`;
const DEPARTMENT = `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Department { placements { id } } } }`;

const listed = async (actor: Parameters<RotationsHarness['call']>[0]) =>
  (ok(await h.call(actor, LIST, { hospital: w.hospitalH })).placements.edges as { node: Ref }[]).map((e) => e.node.id);

beforeAll(async () => {
  h = await startRotations();
  w = await buildWorld(h);
  const block = await createBlock(h, w.coordinatorA, { schoolId: w.schoolA, name: 'Autumn', startsOn: '2026-09-07', endsOn: '2026-10-30' });
  await setSeats(h, w.coordinatorH, { departmentId: w.d2, blockId: block.id, schoolId: w.schoolA, seats: 2 });
  student = await registerStudent(h, w.schoolA);
  inD2 = await propose(h, w.coordinatorA, { studentId: student.id, departmentId: w.d2, blockId: block.id, supervisorId: w.ciD2.id });
  await step(h, w.coordinatorA, 'confirmPlacement', inD2.id);
});
afterAll(() => h.stop());

describe('an instructor of another department of the same hospital', () => {
  it('reads none of the placement, by any path', async () => {
    const other = w.ciD1.actor;
    expect(codes(await h.call(other, BY_ID, { id: inD2.id }))).toEqual(['FORBIDDEN']);
    expect(await listed(other)).not.toContain(inD2.id);
    expect(codes(await h.call(other, STUDENT, { reps: [{ __typename: 'Student', id: student.id }] }))).toEqual(['FORBIDDEN']);
    expect(ok(await h.call(other, DEPARTMENT, { reps: [{ __typename: 'Department', id: w.d2 }] }))._entities).toEqual([{ placements: [] }]);
  });
});

describe('who at the hospital reads it', () => {
  it("the department's instructor, and the hospital's coordinators and admins", async () => {
    for (const actor of [w.ciD2.actor, w.coordinatorH, staffOf(w.hospitalH, 'INSTITUTION_ADMIN')]) {
      expect(ok(await h.call(actor, BY_ID, { id: inD2.id })).placement).toEqual({ id: inD2.id });
      expect(await listed(actor)).toContain(inD2.id);
      expect(ok(await h.call(actor, STUDENT, { reps: [{ __typename: 'Student', id: student.id }] }))._entities).toEqual([
        { placements: [{ id: inD2.id }] },
      ]);
    }
  });

  it('its supervisor after moving to another department, but not a hospital role that runs no placements', async () => {
    // The supervisor moves to d1: still supervising, still reading.
    await emit(h, StaffRegistered, w.ciD2.id, {
      staffId: w.ciD2.id,
      institutionId: w.hospitalH,
      departmentId: w.d1,
      roles: ['CLINICAL_INSTRUCTOR'],
    });
    expect(ok(await h.call(w.ciD2.actor, BY_ID, { id: inD2.id })).placement).toEqual({ id: inD2.id });
    expect(await listed(w.ciD2.actor)).toContain(inD2.id);
    await emit(h, StaffRegistered, w.ciD2.id, {
      staffId: w.ciD2.id,
      institutionId: w.hospitalH,
      departmentId: w.d2,
      roles: ['CLINICAL_INSTRUCTOR'],
    });
    const officer = (await registerStaff(h, w.hospitalH, ['QUALITY_OFFICER'], w.d2)).actor;
    expect(codes(await h.call(officer, BY_ID, { id: inD2.id }))).toEqual(['FORBIDDEN']);
    expect(await listed(officer)).not.toContain(inD2.id);
  });
});
