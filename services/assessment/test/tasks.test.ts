import { randomUUID } from 'node:crypto';
import { expireOverdueTasks } from '../src/data/expiry';
import { isoWeek } from '../src/domain/calendar';
import { libraryInstrumentId } from '../src/seed/instrument-library';
import { networkAdmin, staffOf } from './support/actors';
import {
  buildWorld,
  completePlacement,
  enrol,
  placementAt,
  registerStudent,
  rowCounts,
  runPlacement,
  type StudentRef,
  type World,
} from './support/fixtures';
import { type AssessmentHarness, badFields, codes, ok, refusalOf, startAssessment } from './support/harness';

let h: AssessmentHarness;
let w: World;

beforeAll(async () => {
  h = await startAssessment({ declineLimit: 2, weeklyCap: 100 });
  w = await buildWorld(h);
});
afterAll(() => h.stop());

const DAY = 86_400_000;
const TASK = `query($id: ID!) { assessmentTask(id: $id) { id role status dueAt week instrument { kind purpose } assessorStaff { id } assessorStudent { id }
  subjectStudent { id } subjectTeacher { id } subjectDepartment { id } placement { id } declineReason } }`;
const ASSIGN = `mutation($input: AssignAssessmentInput!) { assignAssessment(input: $input) { id role status dueAt assessorStaff { id } subjectStudent { id } placement { id } instrument { kind } } }`;
const DECLINE = `mutation($input: DeclineAssessmentInput!) { declineAssessment(input: $input) { id status declineReason } }`;
const SAMPLED = `query($school: ID!) { sampledOutTasks(schoolId: $school) { placement { id } role reason assessorId week displacedTaskId } }`;

interface TaskRow {
  id: string;
  role: string;
  assessor_id: string;
  instrument_id: string;
  due_at: Date;
  week: string;
}
const tasksOf = (placementId: string): Promise<TaskRow[]> =>
  h.dataSource.query(
    `SELECT id, role, assessor_id, instrument_id, due_at, week FROM assessment_task WHERE placement_id = $1 ORDER BY role`,
    [placementId],
  );

describe('tasks from a completed placement', () => {
  let student: StudentRef;

  it('creates the three end-of-placement tasks, due ASSESSMENT_DUE_DAYS after completion', async () => {
    student = await registerStudent(h, w.schoolA);
    const p = placementAt(w, student);
    const completedAt = new Date(Date.now() - DAY);
    await runPlacement(h, p, 'COMPLETED', completedAt);
    const tasks = await tasksOf(p.placementId);
    expect(tasks.map((t) => [t.role, t.assessor_id, t.instrument_id])).toEqual([
      ['SITE_EVALUATION', student.id, libraryInstrumentId('site-evaluation')],
      ['SUPERVISOR_ASSESSMENT', w.ciD1.id, libraryInstrumentId('mini-cex')],
      ['TEACHER_EVALUATION', student.id, libraryInstrumentId('teacher-evaluation')],
    ]);
    expect(tasks.every((t) => t.due_at.getTime() === completedAt.getTime() + 14 * DAY && t.week === isoWeek(completedAt))).toBe(true);

    const supervisorTask = tasks.find((t) => t.role === 'SUPERVISOR_ASSESSMENT') as TaskRow;
    const { assessmentTask } = ok(await h.call(w.ciD1.actor, TASK, { id: supervisorTask.id }));
    expect(assessmentTask).toMatchObject({
      role: 'SUPERVISOR_ASSESSMENT',
      status: 'PENDING',
      instrument: { kind: 'MINI_CEX', purpose: 'SUMMATIVE' },
      assessorStaff: { id: w.ciD1.id },
      subjectStudent: { id: student.id },
      placement: { id: p.placementId },
    });
    const teacherTask = tasks.find((t) => t.role === 'TEACHER_EVALUATION') as TaskRow;
    expect(ok(await h.call(student.actor, TASK, { id: teacherTask.id })).assessmentTask).toMatchObject({
      assessorStudent: { id: student.id },
      subjectStudent: null,
      subjectTeacher: { id: w.ciD1.id },
    });
  });

  it('creates them exactly once: a redelivered event, and a second completion event of the placement, change nothing', async () => {
    const p = placementAt(w, await registerStudent(h, w.schoolA));
    await runPlacement(h, p, 'IN_PROGRESS');
    const eventId = randomUUID();
    expect(await completePlacement(h, p, new Date(), eventId)).toBe('applied');
    expect(await completePlacement(h, p, new Date(), eventId)).toBe('duplicate');
    expect(await completePlacement(h, p, new Date())).toBe('applied');
    expect((await tasksOf(p.placementId)).map((t) => t.role)).toEqual(['SITE_EVALUATION', 'SUPERVISOR_ASSESSMENT', 'TEACHER_EVALUATION']);
  });

  it("uses the program's instrument, else the school's, else the library mini-CEX", async () => {
    const [inProgram, elsewhere] = [await registerStudent(h, w.schoolA), await registerStudent(h, w.schoolA)];
    const programId = randomUUID();
    await enrol(h, inProgram, programId);
    const set = `mutation($input: SetPlacementInstrumentInput!) { setPlacementInstrument(input: $input) { programId } }`;
    ok(
      await h.call(w.coordinatorA.actor, set, {
        input: { schoolId: w.schoolA, programId, instrumentId: libraryInstrumentId('epa-entrustment') },
      }),
    );
    const pA = placementAt(w, inProgram);
    const pB = placementAt(w, elsewhere);
    await runPlacement(h, pA, 'COMPLETED');
    await runPlacement(h, pB, 'COMPLETED');
    const instrumentOf = async (p: { placementId: string }) =>
      (await tasksOf(p.placementId)).find((t) => t.role === 'SUPERVISOR_ASSESSMENT')?.instrument_id;
    expect(await instrumentOf(pA)).toBe(libraryInstrumentId('epa-entrustment'));
    expect(await instrumentOf(pB)).toBe(libraryInstrumentId('mini-cex'));

    ok(await h.call(w.coordinatorA.actor, set, { input: { schoolId: w.schoolA, instrumentId: libraryInstrumentId('dops') } }));
    const pC = placementAt(w, elsewhere);
    await runPlacement(h, pC, 'COMPLETED');
    expect(await instrumentOf(pC)).toBe(libraryInstrumentId('dops'));
    await h.dataSource.query(`DELETE FROM placement_instrument WHERE school_id = $1 AND program_id IS NULL`, [w.schoolA]);
  });

  it('records the tasks it cannot give when no supervisor is named, for the school to see', async () => {
    const student2 = await registerStudent(h, w.schoolA);
    const p = placementAt(w, student2, { supervisorId: null });
    await runPlacement(h, p, 'COMPLETED');
    expect((await tasksOf(p.placementId)).map((t) => t.role)).toEqual(['SITE_EVALUATION']);
    const { sampledOutTasks } = ok(await h.call(w.coordinatorA.actor, SAMPLED, { school: w.schoolA }));
    expect(
      sampledOutTasks
        .filter((s: { placement: { id: string } }) => s.placement.id === p.placementId)
        .map((s: { role: string; reason: string }) => `${s.role}:${s.reason}`)
        .sort(),
    ).toEqual(['SUPERVISOR_ASSESSMENT:NO_SUPERVISOR', 'TEACHER_EVALUATION:NO_SUPERVISOR']);
    expect(codes(await h.call(w.coordinatorB, SAMPLED, { school: w.schoolA }))).toEqual(['FORBIDDEN']);
  });
});

describe('who sees a task', () => {
  it('shows the assessment to the student, the school, the assessor and the hospital; evaluations never to the hospital', async () => {
    const student = await registerStudent(h, w.schoolA);
    const p = placementAt(w, student);
    await runPlacement(h, p, 'COMPLETED');
    const tasks = await tasksOf(p.placementId);
    const id = (role: string) => (tasks.find((t) => t.role === role) as TaskRow).id;
    const sees = async (actor: Parameters<typeof h.call>[0], role: string) =>
      codes(await h.call(actor, TASK, { id: id(role) })).length === 0;

    // The hospital's staff see the assessment while the placement grants them access: its
    // coordinators, and the instructors of the placement's department (d1) — not of another (hole 6).
    for (const actor of [student.actor, w.coordinatorA.actor, w.ciD1.actor, w.coordinatorH.actor, networkAdmin()])
      expect(await sees(actor, 'SUPERVISOR_ASSESSMENT')).toBe(true);
    for (const actor of [w.ciD2.actor, w.coordinatorB, staffOf(randomUUID(), 'COORDINATOR'), staffOf(w.schoolA, 'STUDENT')])
      expect(await sees(actor, 'SUPERVISOR_ASSESSMENT')).toBe(false);
    // The evaluated teacher and their hospital never see the evaluation tasks.
    for (const role of ['TEACHER_EVALUATION', 'SITE_EVALUATION']) {
      expect(await sees(student.actor, role)).toBe(true);
      expect(await sees(w.coordinatorA.actor, role)).toBe(true);
      expect(await sees(w.ciD1.actor, role)).toBe(false);
      expect(await sees(w.coordinatorH.actor, role)).toBe(false);
      expect(await sees(w.qualityH.actor, role)).toBe(false);
    }
    expect(ok(await h.call(w.ciD1.actor, TASK, { id: randomUUID() })).assessmentTask).toBeNull();
  });
});

describe('assignAssessment', () => {
  let student: StudentRef;
  let placementId: string;
  const dueAt = () => new Date(Date.now() + 7 * DAY).toISOString();

  beforeAll(async () => {
    student = await registerStudent(h, w.schoolA);
    const p = placementAt(w, student, { departmentId: w.d2, supervisorId: w.ciD2.id });
    placementId = p.placementId;
    await runPlacement(h, p, 'IN_PROGRESS');
  });

  it("lets the school assign its teacher or the placing hospital's instructor, and the hospital its own", async () => {
    const byTeacher = ok(
      await h.call(w.coordinatorA.actor, ASSIGN, {
        input: { instrumentId: libraryInstrumentId('case-analysis'), studentId: student.id, assessorId: w.teacherA.id, dueAt: dueAt() },
      }),
    );
    expect(byTeacher.assignAssessment).toMatchObject({
      role: 'ASSIGNED',
      status: 'PENDING',
      assessorStaff: { id: w.teacherA.id },
      subjectStudent: { id: student.id },
      placement: null,
      instrument: { kind: 'CASE_ANALYSIS' },
    });
    ok(
      await h.call(w.teacherA.actor, ASSIGN, {
        input: { instrumentId: libraryInstrumentId('notss'), studentId: student.id, assessorId: w.ciD2.id, dueAt: dueAt() },
      }),
    );
    const byHospital = ok(
      await h.call(w.coordinatorH.actor, ASSIGN, {
        input: { instrumentId: libraryInstrumentId('dops'), studentId: student.id, assessorId: w.ciD1.id, dueAt: dueAt(), placementId },
      }),
    );
    expect(byHospital.assignAssessment.placement).toEqual({ id: placementId });
  });

  it('refuses other institutions and roles, ineligible assessors, evaluations, past due dates and bad input; writes nothing', async () => {
    const before = await rowCounts(h);
    const input = (overrides: Record<string, unknown> = {}) => ({
      input: { instrumentId: libraryInstrumentId('mini-cex'), studentId: student.id, assessorId: w.ciD1.id, dueAt: dueAt(), ...overrides },
    });
    expect(codes(await h.call(w.coordinatorB, ASSIGN, input()))).toEqual(['FORBIDDEN']);
    expect(codes(await h.call(w.coordinatorH.actor, ASSIGN, input()))).toEqual(['FORBIDDEN']);
    expect(codes(await h.call(student.actor, ASSIGN, input()))).toEqual(['FORBIDDEN']);
    expect(codes(await h.call(w.qualityA.actor, ASSIGN, input()))).toEqual(['FORBIDDEN']);
    const otherSchoolsPlacement = placementAt(w, await registerStudent(h, w.schoolA));
    await runPlacement(h, otherSchoolsPlacement, 'CONFIRMED');
    expect(refusalOf(await h.call(w.coordinatorH.actor, ASSIGN, input({ placementId: otherSchoolsPlacement.placementId })))).toBe(
      'BAD_USER_INPUT/PLACEMENT_MISMATCH',
    );
    expect(refusalOf(await h.call(w.coordinatorA.actor, ASSIGN, input({ assessorId: w.coordinatorA.id })))).toBe(
      'BAD_USER_INPUT/ASSESSOR_NOT_ELIGIBLE',
    );
    expect(refusalOf(await h.call(w.coordinatorA.actor, ASSIGN, input({ assessorId: w.teacherB.id })))).toBe(
      'BAD_USER_INPUT/ASSESSOR_NOT_ELIGIBLE',
    );
    expect(refusalOf(await h.call(w.coordinatorA.actor, ASSIGN, input({ instrumentId: libraryInstrumentId('teacher-evaluation') })))).toBe(
      'BAD_USER_INPUT/INSTRUMENT_NOT_ASSIGNABLE',
    );
    expect(refusalOf(await h.call(w.coordinatorA.actor, ASSIGN, input({ dueAt: new Date(Date.now() - DAY).toISOString() })))).toBe(
      'BAD_USER_INPUT/DUE_DATE_PASSED',
    );
    const notAnInstant = await h.call(w.coordinatorA.actor, ASSIGN, input({ dueAt: 'tomorrow' }));
    expect(codes(notAnInstant)).toEqual(['BAD_USER_INPUT']);
    expect(notAnInstant.errors?.[0]?.message).toContain('dueAt');
    expect(badFields(await h.call(w.coordinatorA.actor, ASSIGN, input({ studentId: 'x', assessorId: 'y' })))).toEqual([
      'studentId',
      'assessorId',
    ]);
    expect(badFields(await h.call(w.coordinatorA.actor, ASSIGN, input({ studentId: randomUUID() })))).toEqual(['studentId']);
    expect(codes(await h.call(w.coordinatorA.actor, ASSIGN, input({ instrumentId: randomUUID() })))).toEqual(['NOT_FOUND']);
    expect(await rowCounts(h)).toEqual(before);
  });
});

describe('declineAssessment and expiry', () => {
  it('declines with a reason, only by the assessor, within the yearly allowance', async () => {
    const instructor = w.ciD2;
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const s = await registerStudent(h, w.schoolA);
      const p = placementAt(w, s, { departmentId: w.d2, supervisorId: instructor.id });
      await runPlacement(h, p, 'COMPLETED');
      ids.push((await tasksOf(p.placementId)).find((t) => t.role === 'SUPERVISOR_ASSESSMENT')!.id);
    }
    expect(badFields(await h.call(instructor.actor, DECLINE, { input: { taskId: ids[0], reason: '' } }))).toEqual(['reason']);
    expect(codes(await h.call(w.ciD1.actor, DECLINE, { input: { taskId: ids[0], reason: 'Not my student' } }))).toEqual(['FORBIDDEN']);
    expect(codes(await h.call(w.coordinatorA.actor, DECLINE, { input: { taskId: ids[0], reason: 'Not my student' } }))).toEqual([
      'FORBIDDEN',
    ]);
    const declined = ok(
      await h.call(instructor.actor, DECLINE, { input: { taskId: ids[0], reason: 'I supervised the student for two days only' } }),
    );
    expect(declined.declineAssessment).toEqual({
      id: ids[0],
      status: 'DECLINED',
      declineReason: 'I supervised the student for two days only',
    });
    expect(refusalOf(await h.call(instructor.actor, DECLINE, { input: { taskId: ids[0], reason: 'Again, please' } }))).toBe(
      'CONFLICT/TASK_NOT_PENDING',
    );
    ok(await h.call(instructor.actor, DECLINE, { input: { taskId: ids[1], reason: 'On leave during the placement' } }));
    const third = await h.call(instructor.actor, DECLINE, { input: { taskId: ids[2], reason: 'Too many this year' } });
    expect(refusalOf(third)).toBe('CONFLICT/DECLINE_LIMIT_REACHED');
    expect(third.errors?.[0]?.extensions).toMatchObject({ limit: 2 });
    expect(ok(await h.call(instructor.actor, TASK, { id: ids[2] })).assessmentTask.status).toBe('PENDING');
  });

  it('expires pending tasks past their due date; an expired task cannot be declined', async () => {
    const s = await registerStudent(h, w.schoolA);
    const p = placementAt(w, s);
    await runPlacement(h, p, 'COMPLETED', new Date(Date.now() - 20 * DAY));
    const tasks = await tasksOf(p.placementId);
    expect(await expireOverdueTasks(h.dataSource, new Date())).toBeGreaterThanOrEqual(3);
    const task = ok(await h.call(s.actor, TASK, { id: tasks.find((t) => t.role === 'SITE_EVALUATION')!.id })).assessmentTask;
    expect(task.status).toBe('EXPIRED');
    expect(refusalOf(await h.call(s.actor, DECLINE, { input: { taskId: task.id, reason: 'Too late anyway' } }))).toBe(
      'CONFLICT/TASK_NOT_PENDING',
    );
  });
});
