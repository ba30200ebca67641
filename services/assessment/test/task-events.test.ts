import { expireOverdueTasks } from '../src/data/expiry';
import { pseudonymousId } from '../src/data/task-events';
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
  metadata: Record<string, unknown>;
  consumers: string[];
}
/** A task's events, each with the consumers it is delivered to; `consumer`: only those delivered to it. */
const eventsOf = (taskId: string, consumer: string | null = null): Promise<EventRow[]> =>
  h.dataSource.query(
    `SELECT * FROM (
       SELECT o.event_type, o.payload, o.metadata, o.sequence,
              array(SELECT d.consumer FROM outbox_delivery d WHERE d.event_id = o.id ORDER BY d.consumer) AS consumers
         FROM outbox o WHERE o.aggregate_type = 'AssessmentTask' AND o.aggregate_id = $1) e
      WHERE $2::text IS NULL OR $2 = ANY(e.consumers) ORDER BY e.sequence`,
    [taskId, consumer],
  );
const EVALUATIONS = ['SITE_EVALUATION', 'TEACHER_EVALUATION'];

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
      const [assigned, ...rest] = await eventsOf(t.id, 'notifications');
      expect(rest).toEqual([]);
      expect(assigned!.event_type).toBe('AssessmentTaskAssigned');
      expect(assigned!.consumers).toContain('notifications');
      // An evaluation task's event as it is goes to notifications only (ADR 0053); quality has its own copy.
      expect(assigned!.consumers.includes('quality')).toBe(!EVALUATIONS.includes(t.role));
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
    for (const t of tasks) expect(await eventsOf(t.id)).toHaveLength(EVALUATIONS.includes(t.role) ? 2 : 1);
  });

  it("gives quality an evaluation task's events with the evaluating student as a keyed pseudonym, no placement and no actor (ADR 0053)", async () => {
    const student = await registerStudent(h, w.schoolA);
    const p = placementAt(w, student);
    await runPlacement(h, p, 'COMPLETED');
    const tasks: { id: string; role: string }[] = await h.dataSource.query(
      `SELECT id, role FROM assessment_task WHERE placement_id = $1 AND role = ANY($2) ORDER BY role`,
      [p.placementId, EVALUATIONS],
    );
    expect(tasks).toHaveLength(2);
    for (const t of tasks) {
      const [forQuality, ...rest] = await eventsOf(t.id, 'quality');
      expect(rest).toEqual([]);
      expect(forQuality!.consumers).toEqual(['quality']);
      expect(forQuality!.event_type).toBe('AssessmentTaskAssigned');
      const text = JSON.stringify(forQuality);
      for (const id of [student.id, p.placementId]) expect(text).not.toContain(id);
      expect(forQuality!.payload).toMatchObject({
        taskId: t.id,
        role: t.role,
        assessorId: pseudonymousId(student.id),
        studentId: pseudonymousId(student.id),
        placementId: null,
        schoolId: w.schoolA,
        hospitalId: p.hospitalId,
        departmentId: p.departmentId,
      });
      expect(forQuality!.metadata.actorId).toBeUndefined();
      expect(forQuality!.metadata.only).toEqual(['quality']);
      // The pseudonym is the evaluator's under assessment's key: another key, another pseudonym; never the id.
      expect(pseudonymousId(student.id)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(pseudonymousId(student.id, 'another-evaluator-key-0123456789')).not.toBe(pseudonymousId(student.id));
      // Notifications' copy names the student it reminds.
      const [forNotifications] = await eventsOf(t.id, 'notifications');
      expect(forNotifications!.payload).toMatchObject({ assessorId: student.id, studentId: student.id, placementId: p.placementId });
    }
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
    for (const { id } of ids)
      for (const consumer of ['notifications', 'quality'])
        expect((await eventsOf(id, consumer)).map((e) => e.event_type)).toEqual(['AssessmentTaskAssigned', 'AssessmentTaskExpired']);
  });
});
