import { randomUUID } from 'node:crypto';
import { createConsumer, type Consumer } from '@medcollab/events';
import { mentorGrantHandlers } from '../src/projections/mentor-grants';
import { placementGrantHandlers } from '../src/projections/placement-grants';
import { staffOf } from './support/actors';
import { buildWorld, registerStaff, registerStudent, type World } from './support/fixtures';
import { codes, type NetworkHarness, ok, startNetwork } from './support/harness';

/**
 * Issue #18: a deactivated person's access grants end in the deactivation's transaction, and
 * grant events that arrive later (a placement that starts, a mentorship that changes) cannot
 * reopen them. Reactivation restores none (a new placement or mentorship grants access again).
 */
let h: NetworkHarness;
let w: World;
let consumer: Consumer;

beforeAll(async () => {
  h = await startNetwork();
  w = await buildWorld(h);
  consumer = createConsumer({
    service: 'network',
    dataSource: h.dataSource,
    handlers: { ...placementGrantHandlers, ...mentorGrantHandlers },
  });
});
afterAll(() => h.stop());

const STUDENT = `query($id: ID!) { student(id: $id) { id } }`;
const DEACTIVATE_STUDENT = `mutation($input: PersonStatusChangeInput!) { deactivateStudent(input: $input) { id status } }`;
const REACTIVATE_STUDENT = `mutation($input: PersonStatusChangeInput!) { reactivateStudent(input: $input) { id status } }`;
const DEACTIVATE_STAFF = `mutation($input: PersonStatusChangeInput!) { deactivateStaffMember(input: $input) { id status } }`;

const sequences = new Map<string, { sequence: number; previous: string | null }>();
/** Delivers one event of `aggregateId` to the network's consumer, chained after that aggregate's previous one. */
async function deliver(type: string, source: string, aggregateType: string, aggregateId: string, payload: Record<string, unknown>) {
  const chain = sequences.get(aggregateId) ?? { sequence: 0, previous: null };
  const id = randomUUID();
  const envelope = {
    id,
    type,
    version: 1,
    source,
    aggregateType,
    aggregateId,
    sequence: chain.sequence + 1,
    occurredAt: new Date().toISOString(),
    payload,
    metadata: {},
  };
  expect(await consumer.apply({ envelope, previousEventId: chain.previous })).toBe('applied');
  sequences.set(aggregateId, { sequence: chain.sequence + 1, previous: id });
}

function placementEvent(type: string, placementId: string, studentId: string, departmentId: string) {
  return deliver(type, 'rotations', 'Placement', placementId, {
    placementId,
    studentId,
    schoolId: w.schoolA.id,
    hospitalId: w.hospitalH.id,
    departmentId,
    blockId: randomUUID(),
    supervisorId: null,
    startsOn: '2027-05-03',
    endsOn: '2027-06-25',
    at: new Date().toISOString(),
    accessUntil: null,
  });
}

const mentorshipEvent = (mentorshipId: string, mentorId: string, menteeIds: string[]) =>
  deliver('MentorshipChanged', 'mentorship', 'Mentorship', mentorshipId, { mentorshipId, mentorId, menteeIds, status: 'ACTIVE' });

const grantsOf = async (studentId: string) =>
  (await h.dataSource.query(
    `SELECT (valid_until IS NOT NULL AND valid_until <= now()) AS ended FROM hospital_access_grant WHERE student_id = $1`,
    [studentId],
  )) as { ended: boolean }[];
const mentorGrants = async (column: 'student_id' | 'mentor_id', id: string) =>
  Number(((await h.dataSource.query(`SELECT count(*) AS n FROM mentor_access_grant WHERE ${column} = $1`, [id])) as { n: string }[])[0]?.n);

describe("a student's deactivation", () => {
  it('ends their hospital and mentor grants at once, and later grant events do not reopen them', async () => {
    const student = await registerStudent(h, w.schoolA.id);
    const department = w.hDepartments[0]!.id;
    const instructor = await registerStaff(h, w.hospitalH.id, ['CLINICAL_INSTRUCTOR'], { departmentId: department });
    const mentor = await registerStaff(h, w.hospitalH.id, ['CLINICAL_INSTRUCTOR', 'MENTOR']);
    const placementId = randomUUID();
    const mentorshipId = randomUUID();
    await placementEvent('PlacementConfirmed', placementId, student.id, department);
    await mentorshipEvent(mentorshipId, mentor.id, [student.id]);
    expect(ok(await h.call(instructor.actor, STUDENT, { id: student.id })).student.id).toBe(student.id);
    expect(ok(await h.call(mentor.actor, STUDENT, { id: student.id })).student.id).toBe(student.id);

    const off = ok(
      await h.call(staffOf(w.schoolA.id, 'INSTITUTION_ADMIN'), DEACTIVATE_STUDENT, {
        input: { id: student.id, reason: 'Leave of absence' },
      }),
    );
    expect(off.deactivateStudent.status).toBe('INACTIVE');
    expect(await grantsOf(student.id)).toEqual([{ ended: true }]);
    expect(await mentorGrants('student_id', student.id)).toBe(0);
    expect(codes(await h.call(instructor.actor, STUDENT, { id: student.id }))).toEqual(['FORBIDDEN']);
    expect(codes(await h.call(mentor.actor, STUDENT, { id: student.id }))).toEqual(['FORBIDDEN']);

    // Events written before the deactivation reached rotations and mentorship, delivered after it.
    await placementEvent('PlacementStarted', placementId, student.id, department);
    await mentorshipEvent(mentorshipId, mentor.id, [student.id]);
    expect(await grantsOf(student.id)).toEqual([{ ended: true }]);
    expect(await mentorGrants('student_id', student.id)).toBe(0);
    expect(codes(await h.call(instructor.actor, STUDENT, { id: student.id }))).toEqual(['FORBIDDEN']);

    // Reactivation restores nothing by itself; a new placement grants access again.
    ok(await h.call(staffOf(w.schoolA.id, 'INSTITUTION_ADMIN'), REACTIVATE_STUDENT, { input: { id: student.id, reason: 'Back' } }));
    expect(codes(await h.call(instructor.actor, STUDENT, { id: student.id }))).toEqual(['FORBIDDEN']);
    await placementEvent('PlacementConfirmed', randomUUID(), student.id, department);
    expect(ok(await h.call(instructor.actor, STUDENT, { id: student.id })).student.id).toBe(student.id);
  });

  it("leaves other students' grants alone", async () => {
    const [gone, staying] = await Promise.all([registerStudent(h, w.schoolA.id), registerStudent(h, w.schoolA.id)]);
    const department = w.hDepartments[1]!.id;
    await placementEvent('PlacementConfirmed', randomUUID(), gone.id, department);
    await placementEvent('PlacementConfirmed', randomUUID(), staying.id, department);
    ok(await h.call(staffOf(w.schoolA.id, 'INSTITUTION_ADMIN'), DEACTIVATE_STUDENT, { input: { id: gone.id, reason: 'Graduated' } }));
    expect(await grantsOf(gone.id)).toEqual([{ ended: true }]);
    expect(await grantsOf(staying.id)).toEqual([{ ended: false }]);
  });
});

describe("a mentor's deactivation", () => {
  it('ends the grants they hold as mentor, and a later MentorshipChanged does not give them back', async () => {
    const [a, b] = await Promise.all([registerStudent(h, w.schoolA.id), registerStudent(h, w.schoolA.id)]);
    const mentor = await registerStaff(h, w.hospitalH.id, ['CLINICAL_INSTRUCTOR', 'MENTOR']);
    const other = await registerStaff(h, w.hospitalH.id, ['CLINICAL_INSTRUCTOR', 'MENTOR']);
    const mentorshipId = randomUUID();
    await mentorshipEvent(mentorshipId, mentor.id, [a.id, b.id]);
    await mentorshipEvent(randomUUID(), other.id, [a.id]);
    expect(await mentorGrants('mentor_id', mentor.id)).toBe(2);

    ok(
      await h.call(staffOf(w.hospitalH.id, 'INSTITUTION_ADMIN'), DEACTIVATE_STAFF, { input: { id: mentor.id, reason: 'Contract ended' } }),
    );
    expect(await mentorGrants('mentor_id', mentor.id)).toBe(0);
    expect(codes(await h.call(mentor.actor, STUDENT, { id: a.id }))).toEqual(['FORBIDDEN']);
    // The other mentor of the same student keeps theirs.
    expect(await mentorGrants('mentor_id', other.id)).toBe(1);
    expect(ok(await h.call(other.actor, STUDENT, { id: a.id })).student.id).toBe(a.id);

    await mentorshipEvent(mentorshipId, mentor.id, [a.id, b.id]);
    expect(await mentorGrants('mentor_id', mentor.id)).toBe(0);
  });
});
