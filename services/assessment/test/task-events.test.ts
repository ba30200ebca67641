import { expireOverdueTasks } from '../src/data/expiry';
import { INSTRUMENT_LIBRARY, libraryInstrumentId } from '../src/seed/instrument-library';
import { buildWorld, placementAt, publishLibrary, registerStudent, runPlacement, type World } from './support/fixtures';
import { type AssessmentHarness, codes, ok, startAssessment } from './support/harness';

/** Assessment publishes each task's lifecycle through its outbox, in the transaction of the change. */
let h: AssessmentHarness;
let w: World;

beforeAll(async () => {
  h = await startAssessment({ weeklyCap: 100 });
  w = await buildWorld(h);
  await publishLibrary(h);
});
afterAll(() => h.stop());

const DAY = 86_400_000;
const ASSIGN = `mutation($input: AssignAssessmentInput!) { assignAssessment(input: $input) { id } }`;
const DECLINE = `mutation($input: DeclineAssessmentInput!) { declineAssessment(input: $input) { id status } }`;
const SUBMIT = `mutation($input: SubmitAssessmentInput!) { submitAssessment(input: $input) { id } }`;

interface EventRow {
  event_type: string;
  payload: Record<string, unknown>;
  consumers: string[];
}
const eventsOf = (taskId: string): Promise<EventRow[]> =>
  h.dataSource.query(
    `SELECT o.event_type, o.payload, array(SELECT d.consumer FROM outbox_delivery d WHERE d.event_id = o.id ORDER BY d.consumer) AS consumers
       FROM outbox o WHERE o.aggregate_type = 'AssessmentTask' AND o.aggregate_id = $1 ORDER BY o.sequence`,
    [taskId],
  );

const miniCex = INSTRUMENT_LIBRARY.find((i) => i.kind === 'MINI_CEX')!
  .items.filter((i) => i.scale.type !== 'NARRATIVE')
  .map((i) => ({ itemKey: i.key, rating: 5 }));

describe('task lifecycle events', () => {
  it('publishes AssessmentTaskAssigned for each end-of-placement task, with its facts, routed to notifications', async () => {
    const student = await registerStudent(h, w.schoolA);
    const p = placementAt(w, student);
    await runPlacement(h, p, 'COMPLETED');
    const tasks: { id: string; role: string; due_at: Date }[] = await h.dataSource.query(
      `SELECT id, role, due_at FROM assessment_task WHERE placement_id = $1 ORDER BY role`,
      [p.placementId],
    );
    expect(tasks).toHaveLength(3);
    for (const t of tasks) {
      const [assigned, ...rest] = await eventsOf(t.id);
      expect(rest).toEqual([]);
      expect(assigned!.event_type).toBe('AssessmentTaskAssigned');
      expect(assigned!.consumers).toContain('notifications');
      expect(assigned!.payload).toMatchObject({
        taskId: t.id,
        role: t.role,
        studentId: student.id,
        schoolId: w.schoolA,
        placementId: p.placementId,
        hospitalId: p.hospitalId,
        departmentId: p.departmentId,
        dueAt: t.due_at.toISOString(),
      });
    }
    // The completion is delivered again (at least once): no second task, no second event.
    await runPlacement(h, p, 'COMPLETED');
    for (const t of tasks) expect(await eventsOf(t.id)).toHaveLength(1);
  });

  it('publishes Assigned then Submitted for a hand-assigned task that is submitted', async () => {
    const student = await registerStudent(h, w.schoolA);
    const { assignAssessment } = ok(
      await h.call(w.coordinatorA.actor, ASSIGN, {
        input: {
          instrumentId: libraryInstrumentId('mini-cex'),
          studentId: student.id,
          assessorId: w.teacherA.id,
          dueAt: new Date(Date.now() + 7 * DAY).toISOString(),
        },
      }),
    );
    ok(await h.call(w.teacherA.actor, SUBMIT, { input: { taskId: assignAssessment.id, responses: miniCex } }));
    const events = await eventsOf(assignAssessment.id);
    expect(events.map((e) => e.event_type)).toEqual(['AssessmentTaskAssigned', 'AssessmentTaskSubmitted']);
    expect(events[0]!.payload).toMatchObject({ role: 'ASSIGNED', assessorId: w.teacherA.id, instrumentKind: 'MINI_CEX' });
    expect(events[1]!.payload.submittedAt).toEqual(expect.any(String));
  });

  it('publishes Declined with the reason; a refused decline publishes nothing', async () => {
    const student = await registerStudent(h, w.schoolA);
    const { assignAssessment } = ok(
      await h.call(w.coordinatorA.actor, ASSIGN, {
        input: {
          instrumentId: libraryInstrumentId('dops'),
          studentId: student.id,
          assessorId: w.teacherA.id,
          dueAt: new Date(Date.now() + 7 * DAY).toISOString(),
        },
      }),
    );
    expect(codes(await h.call(w.ciD1.actor, DECLINE, { input: { taskId: assignAssessment.id, reason: 'Not mine' } }))).toEqual([
      'FORBIDDEN',
    ]);
    expect((await eventsOf(assignAssessment.id)).map((e) => e.event_type)).toEqual(['AssessmentTaskAssigned']);
    ok(await h.call(w.teacherA.actor, DECLINE, { input: { taskId: assignAssessment.id, reason: 'On leave' } }));
    const events = await eventsOf(assignAssessment.id);
    expect(events.map((e) => e.event_type)).toEqual(['AssessmentTaskAssigned', 'AssessmentTaskDeclined']);
    expect(events[1]!.payload).toMatchObject({ reason: 'On leave' });
  });

  it('publishes Expired for every task the sweep closes, once', async () => {
    const student = await registerStudent(h, w.schoolA);
    const p = placementAt(w, student);
    await runPlacement(h, p, 'COMPLETED', new Date(Date.now() - 30 * DAY));
    const ids: { id: string }[] = await h.dataSource.query(`SELECT id FROM assessment_task WHERE placement_id = $1`, [p.placementId]);
    while ((await expireOverdueTasks(h.dataSource, new Date())) > 0);
    for (const { id } of ids) {
      expect((await eventsOf(id)).map((e) => e.event_type)).toEqual(['AssessmentTaskAssigned', 'AssessmentTaskExpired']);
    }
  });
});
