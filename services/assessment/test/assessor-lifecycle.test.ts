import { randomUUID } from 'node:crypto';
import { type Role } from '@medcollab/kit';
import { StaffRegistered, StaffStatusChanged } from '@medcollab/events';
import { libraryInstrumentId } from '../src/seed/instrument-library';
import { staffOf } from './support/actors';
import { emit, placementAt, registerStudent, runPlacement, type StaffRef, type StudentRef } from './support/fixtures';
import { buildWorld, type World } from './support/fixtures';
import { type AssessmentHarness, ok, startAssessment } from './support/harness';

/**
 * Issue #18: the network's StaffStatusChanged reaches assessment; a deactivated assessor's
 * open tasks go to another active teacher or clinical instructor of their department (least
 * loaded first) or, when there is none, are cancelled; either way with a reason that names the
 * people, kept on the task for the coordinator and published as an event.
 */
let h: AssessmentHarness;
let w: World;
let student: StudentRef;

beforeAll(async () => {
  h = await startAssessment({ weeklyCap: 100 });
  w = await buildWorld(h);
  student = await registerStudent(h, w.schoolA);
});
afterAll(() => h.stop());

const DAY = 86_400_000;
const ASSIGN = `mutation($input: AssignAssessmentInput!) { assignAssessment(input: $input) { id } }`;
const TASK = `query($id: ID!) { assessmentTask(id: $id) { id status assessorStaff { id } previousAssessor { id } reassignReason reassignedAt
  cancelReason cancelledAt } }`;

async function instructor(
  departmentId: string,
  givenName: string,
  familyName: string,
  roles: Role[] = ['CLINICAL_INSTRUCTOR'],
): Promise<StaffRef> {
  const id = randomUUID();
  await emit(h, StaffRegistered, id, { staffId: id, institutionId: w.hospitalH, departmentId, roles, givenName, familyName });
  return { id, institutionId: w.hospitalH, actor: { personId: id, institutionId: w.hospitalH, roles } };
}

/** A task of `assessor` about the student, assigned by the hospital's coordinator on a running placement at `departmentId`. */
async function taskOf(assessor: StaffRef, departmentId: string): Promise<string> {
  const p = placementAt(w, student, { departmentId, supervisorId: assessor.id });
  await runPlacement(h, p, 'IN_PROGRESS');
  const input = {
    instrumentId: libraryInstrumentId('dops'),
    studentId: student.id,
    assessorId: assessor.id,
    dueAt: new Date(Date.now() + 7 * DAY).toISOString(),
    placementId: p.placementId,
  };
  return ok(await h.call(w.coordinatorH.actor, ASSIGN, { input })).assignAssessment.id as string;
}

const deactivate = (staff: StaffRef, reason: string, id = randomUUID()) =>
  emit(
    h,
    StaffStatusChanged,
    staff.id,
    { staffId: staff.id, institutionId: w.hospitalH, active: false, reason },
    { id, source: 'network' },
  );

const read = async (id: string) => ok(await h.call(w.coordinatorH.actor, TASK, { id })).assessmentTask;
const eventsOf = async (taskId: string) =>
  (await h.dataSource.query(`SELECT event_type, payload FROM outbox WHERE aggregate_id = $1 ORDER BY position`, [taskId])) as {
    event_type: string;
    payload: Record<string, unknown>;
  }[];

describe("a deactivated assessor's open tasks", () => {
  it('go to the least loaded active instructor of the department, with a reason naming the people, and an event', async () => {
    const department = randomUUID();
    const leaving = await instructor(department, 'Mary', 'Leaving');
    const busy = await instructor(department, 'Bea', 'Busy');
    const free = await instructor(department, 'Fay', 'Free');
    const alsoLeft = await instructor(department, 'Al', 'Gone');
    const coordinatorOnly = await instructor(department, 'Cora', 'Coordinator', ['COORDINATOR']);
    await taskOf(busy, department);
    await deactivate(alsoLeft, 'Sabbatical');
    const tasks = [await taskOf(leaving, department), await taskOf(leaving, department)];

    expect(await deactivate(leaving, 'Contract ended')).toBe('applied');

    const after = await Promise.all(tasks.map(read));
    // Free had none and takes the first; then Free and Busy both have one, and the earlier in name order (Busy) takes the second.
    expect(after.map((t) => t.assessorStaff.id)).toEqual([free.id, busy.id]);
    for (const t of after) {
      expect(t).toMatchObject({ status: 'PENDING', previousAssessor: { id: leaving.id }, cancelReason: null });
      expect(t.reassignedAt).toEqual(expect.any(String));
    }
    expect(after[0].reassignReason).toBe(
      'Mary Leaving was deactivated by their institution (Contract ended); the task was handed to Fay Free of the same department.',
    );
    expect(after.map((t) => t.assessorStaff.id)).not.toContain(alsoLeft.id);
    expect(after.map((t) => t.assessorStaff.id)).not.toContain(coordinatorOnly.id);
    // The task's events: assigned, then rescheduled to the new assessor (reminders re-plan on it).
    const events = await eventsOf(tasks[0]!);
    expect(events.map((e) => e.event_type)).toEqual(['AssessmentTaskAssigned', 'AssessmentTaskRescheduled']);
    expect(events[1]!.payload).toMatchObject({ assessorId: free.id, previousAssessorId: leaving.id });
    // The new assessor sees it as theirs.
    expect(ok(await h.call(free.actor, TASK, { id: tasks[0] })).assessmentTask.assessorStaff.id).toBe(free.id);
  });

  it('are cancelled with a reason the coordinator reads when no one in the department can take them', async () => {
    const department = randomUUID();
    const sole = await instructor(department, 'Sol', 'Alone');
    const elsewhere = await instructor(randomUUID(), 'Ella', 'Elsewhere');
    const task = await taskOf(sole, department);

    await deactivate(sole, 'Retired');

    const t = await read(task);
    expect(t).toMatchObject({
      status: 'CANCELLED',
      assessorStaff: { id: sole.id },
      previousAssessor: null,
      cancelReason:
        'Sol Alone was deactivated by their institution (Retired) and no other active teacher or clinical instructor of their department could take the task.',
    });
    expect(t.cancelledAt).toEqual(expect.any(String));
    expect(t.assessorStaff.id).not.toBe(elsewhere.id);
    const events = await eventsOf(task);
    expect(events.map((e) => e.event_type)).toEqual(['AssessmentTaskAssigned', 'AssessmentTaskCancelled']);
    expect(events[1]!.payload).toMatchObject({ taskId: task, assessorId: sole.id, reason: t.cancelReason });
    // The school's coordinator of the student reads the reason too.
    expect(ok(await h.call(staffOf(w.schoolA, 'COORDINATOR'), TASK, { id: task })).assessmentTask.cancelReason).toBe(t.cancelReason);
  });

  it('change once: a redelivered deactivation and a reactivation change nothing', async () => {
    const department = randomUUID();
    const leaving = await instructor(department, 'Rita', 'Redelivered');
    const other = await instructor(department, 'Otto', 'Other');
    const task = await taskOf(leaving, department);
    const eventId = randomUUID();
    await deactivate(leaving, 'Leave', eventId);
    expect((await read(task)).assessorStaff.id).toBe(other.id);
    expect(await deactivate(leaving, 'Leave', eventId)).toBe('duplicate');
    await emit(h, StaffStatusChanged, leaving.id, { staffId: leaving.id, institutionId: w.hospitalH, active: true, reason: 'Back' });
    expect((await read(task)).assessorStaff.id).toBe(other.id);
    expect((await eventsOf(task)).map((e) => e.event_type)).toEqual(['AssessmentTaskAssigned', 'AssessmentTaskRescheduled']);
    const [row] = (await h.dataSource.query(`SELECT active FROM known_staff WHERE id = $1`, [leaving.id])) as { active: boolean }[];
    expect(row?.active).toBe(true);
  });
});
