import { AssessmentTaskRescheduled, AssessmentTaskSubmitted } from '@medcollab/events';
import { fireStep } from '../src/data/fire';
import {
  assignTask,
  buildWorld,
  codes,
  emit,
  type NotificationsHarness,
  ok,
  startNotifications,
  taskFacts,
  type World,
} from './support/harness';

let h: NotificationsHarness;
let w: World;

beforeAll(async () => {
  h = await startNotifications();
  w = await buildWorld(h);
});
afterAll(() => h.stop());

const DUE = new Date('2026-12-16T11:00:00Z'); // a Wednesday, 12:00 in Paris, 19:00 in Shanghai
const ASSIGNED = new Date('2026-12-01T09:00:00Z');

interface StepRow {
  id: string;
  step_key: string;
  recipient_id: string;
  fire_at: Date;
  status: string;
  cancel_reason: string | null;
}
const stepsOf = (taskId: string): Promise<StepRow[]> =>
  h.dataSource.query(
    `SELECT id, step_key, recipient_id, fire_at, status, cancel_reason FROM reminder_step WHERE task_id = $1 ORDER BY fire_at, step_key, recipient_id`,
    [taskId],
  );
const inboxOf = (personId: string): Promise<{ title: string; body: string; kind: string; subject_id: string | null }[]> =>
  h.dataSource.query(
    `SELECT title, body, kind, subject_id FROM notification WHERE recipient_id = $1 AND channel = 'IN_APP' ORDER BY created_at, id`,
    [personId],
  );

const REMINDERS = `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on AssessmentTask { id reminders {
  stepKey audience status fireAt firedAt recipientName recipientStaff { id } recipientStudent { id } } } } }`;
const reps = (...ids: string[]) => ({ reps: ids.map((id) => ({ __typename: 'AssessmentTask', id })) });

describe('a task assigned with the default policy', () => {
  let taskId: string;

  beforeAll(async () => {
    taskId = await assignTask(h, w, DUE, ASSIGNED);
  });

  it('plans the ladder: the assessor three times, both coordinators of the school and the department, the quality office', async () => {
    const steps = await stepsOf(taskId);
    const byKey = (key: string) =>
      steps
        .filter((s) => s.step_key === key)
        .map((s) => s.recipient_id)
        .sort();
    expect(byKey('BEFORE_DUE')).toEqual([w.assessor.id]);
    expect(byKey('AT_DUE')).toEqual([w.assessor.id]);
    expect(byKey('OVERDUE')).toEqual([w.assessor.id]);
    expect(byKey('ESCALATION')).toEqual([w.schoolCoordinator.id, w.departmentCoordinator.id].sort());
    expect(byKey('QUALITY')).toEqual([w.quality.id]);
    // The assessor is in Shanghai: 3 days before due is Sunday 19:00 there → Monday 07:00 Shanghai.
    expect(steps.find((s) => s.step_key === 'BEFORE_DUE')!.fire_at.toISOString()).toBe('2026-12-13T23:00:00.000Z');
    // At due is 19:00 in Shanghai, allowed.
    expect(steps.find((s) => s.step_key === 'AT_DUE')!.fire_at.toISOString()).toBe(DUE.toISOString());
    expect(steps.every((s) => s.status === 'PLANNED')).toBe(true);
  });

  it('fires a step once, into the assessor inbox, naming the student, the instrument and the department', async () => {
    const before = (await stepsOf(taskId)).find((s) => s.step_key === 'BEFORE_DUE')!;
    expect(await fireStep(h.dataSource, before.id, new Date(before.fire_at.getTime() - 60_000))).toBe('NOT_YET');
    expect(await fireStep(h.dataSource, before.id, before.fire_at)).toBe('FIRED');
    expect(await fireStep(h.dataSource, before.id, before.fire_at)).toBe('ALREADY_DONE');
    const inbox = await inboxOf(w.assessor.id);
    expect(inbox).toHaveLength(1);
    expect(inbox[0]).toMatchObject({ kind: 'TASK_REMINDER', subject_id: taskId });
    expect(inbox[0]!.title).toContain('Mini-CEX for Lina Martin');
    expect(inbox[0]!.body).toContain('(Cardiology)');
  });

  it('shows fired and planned steps on AssessmentTask.reminders to the assessor and coordinators only', async () => {
    const seen = ok(await h.call(w.assessor.actor, REMINDERS, reps(taskId)))._entities[0].reminders;
    expect(seen[0]).toMatchObject({
      stepKey: 'BEFORE_DUE',
      status: 'FIRED',
      recipientName: 'Wei Zhang',
      recipientStaff: { id: w.assessor.id },
    });
    expect(seen.slice(1).every((s: { status: string }) => s.status === 'PLANNED')).toBe(true);
    expect(ok(await h.call(w.departmentCoordinator.actor, REMINDERS, reps(taskId)))._entities[0].reminders).toHaveLength(seen.length);
    for (const outsider of [w.teacher.actor, w.student.actor, w.otherAdmin.actor]) {
      expect(ok(await h.call(outsider, REMINDERS, reps(taskId)))._entities[0].reminders).toBeNull();
    }
  });

  it('a new due date cancels the remaining steps and plans them again; the fired one stays', async () => {
    const newDue = new Date('2026-12-23T11:00:00Z');
    const facts = taskFacts(w, newDue, taskId);
    const changedAt = new Date('2026-12-15T08:00:00Z');
    await emit(
      h,
      AssessmentTaskRescheduled,
      taskId,
      { ...facts, previousDueAt: DUE.toISOString(), previousAssessorId: w.assessor.id, changedAt: changedAt.toISOString() },
      changedAt,
    );
    const steps = await stepsOf(taskId);
    expect(steps.filter((s) => s.status === 'FIRED').map((s) => s.step_key)).toEqual(['BEFORE_DUE']);
    expect(steps.filter((s) => s.status === 'CANCELLED').every((s) => s.cancel_reason === 'RESCHEDULED')).toBe(true);
    const planned = steps.filter((s) => s.status === 'PLANNED');
    expect(planned.map((s) => s.step_key)).toEqual(['AT_DUE', 'OVERDUE', 'ESCALATION', 'ESCALATION', 'QUALITY']);
    expect(planned[0]!.fire_at.toISOString()).toBe(newDue.toISOString());
  });

  it('a submitted task is never reminded again: its planned steps are cancelled and a late job does nothing', async () => {
    const atDue = (await stepsOf(taskId)).find((s) => s.step_key === 'AT_DUE' && s.status === 'PLANNED')!;
    await emit(h, AssessmentTaskSubmitted, taskId, { ...taskFacts(w, DUE, taskId), submittedAt: new Date().toISOString() });
    expect((await stepsOf(taskId)).filter((s) => s.status === 'PLANNED')).toEqual([]);
    expect(await fireStep(h.dataSource, atDue.id, new Date('2027-01-01T00:00:00Z'))).toBe('ALREADY_DONE');
    expect(await inboxOf(w.assessor.id)).toHaveLength(1);
  });
});

describe('escalation and the quality office', () => {
  it("tells the coordinators who has not done what, and gives the quality office one weekly summary for all the week's tasks", async () => {
    const tasks = [await assignTask(h, w, DUE, ASSIGNED), await assignTask(h, w, new Date('2026-12-17T11:00:00Z'), ASSIGNED)];
    const escalation = (await stepsOf(tasks[0]!)).find((s) => s.step_key === 'ESCALATION' && s.recipient_id === w.schoolCoordinator.id)!;
    expect(await fireStep(h.dataSource, escalation.id, escalation.fire_at)).toBe('FIRED');
    const [message] = (await inboxOf(w.schoolCoordinator.id)).filter((m) => m.subject_id === tasks[0]);
    expect(message).toMatchObject({ kind: 'TASK_ESCALATION' });
    expect(message!.body).toContain('Wei Zhang has not completed the Mini-CEX for Lina Martin (Cardiology)');

    const quality = await Promise.all(tasks.map(async (t) => (await stepsOf(t)).find((s) => s.step_key === 'QUALITY')!));
    expect(quality[0]!.fire_at).toEqual(quality[1]!.fire_at); // one Monday slot
    const before = (await inboxOf(w.quality.id)).length;
    expect(await fireStep(h.dataSource, quality[0]!.id, quality[0]!.fire_at)).toBe('FIRED');
    expect(await fireStep(h.dataSource, quality[1]!.id, quality[1]!.fire_at)).toBe('ALREADY_DONE');
    const summaries = (await inboxOf(w.quality.id)).slice(before);
    expect(summaries).toHaveLength(1);
    expect(summaries[0]).toMatchObject({ kind: 'QUALITY_SUMMARY', title: '2 assessment tasks long overdue' });
  });
});

describe('reminder policy', () => {
  const SET = `mutation($input: SetReminderPolicyInput!) { setReminderPolicy(input: $input) { custom steps { key offsetHours audience } perPersonDailyCap } }`;
  const GET = `query($id: ID!) { reminderPolicy(institutionId: $id) { custom steps { key } quietFromHour } }`;
  const input = (overrides: Record<string, unknown> = {}) => ({
    input: {
      institutionId: w.school,
      steps: [{ key: 'AT_DUE', offsetHours: 0, audience: 'ASSESSOR' }],
      perPersonDailyCap: 1,
      ...overrides,
    },
  });

  it('reads the defaults until the school sets its own; refuses other roles and institutions', async () => {
    expect(ok(await h.call(w.quality.actor, GET, { id: w.school })).reminderPolicy).toMatchObject({ custom: false, quietFromHour: 21 });
    expect(codes(await h.call(w.schoolCoordinator.actor, GET, { id: w.school }))).toEqual(['FORBIDDEN']);
    expect(codes(await h.call(w.otherAdmin.actor, GET, { id: w.school }))).toEqual(['FORBIDDEN']);
    expect(codes(await h.call(w.otherAdmin.actor, SET, input()))).toEqual(['FORBIDDEN']);
    expect(codes(await h.call(w.teacher.actor, SET, input()))).toEqual(['FORBIDDEN']);
    expect(codes(await h.call(w.admin.actor, SET, input({ quietFromHour: 30 })))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await h.call(w.admin.actor, SET, input({ steps: [] })))).toEqual(['BAD_USER_INPUT']);
  });

  it('a new policy re-plans the open tasks; the daily cap per person defers the rest to the next allowed day', async () => {
    const a = await assignTask(h, w, DUE, ASSIGNED);
    const b = await assignTask(h, w, DUE, ASSIGNED);
    expect(ok(await h.call(w.admin.actor, SET, input())).setReminderPolicy).toMatchObject({ custom: true, perPersonDailyCap: 1 });
    const planned = async (taskId: string) => (await stepsOf(taskId)).filter((s) => s.status === 'PLANNED');
    const [stepA, ...moreA] = await planned(a);
    const [stepB] = await planned(b);
    expect([stepA!.step_key, stepB!.step_key, moreA]).toEqual(['AT_DUE', 'AT_DUE', []]);
    expect((await stepsOf(a)).filter((s) => s.status === 'CANCELLED').every((s) => s.cancel_reason === 'POLICY_CHANGED')).toBe(true);
    // One reminder per person and local day: of two due at once, the second waits for the next allowed day.
    const outcomes = [await fireStep(h.dataSource, stepA!.id, DUE), await fireStep(h.dataSource, stepB!.id, DUE)];
    expect(outcomes).toEqual(['FIRED', 'DEFERRED']);
    const [deferred] = (await stepsOf(b)).filter((s) => s.status === 'PLANNED');
    expect(deferred!.fire_at.toISOString()).toBe('2026-12-17T11:00:00.000Z');
    expect(await fireStep(h.dataSource, deferred!.id, deferred!.fire_at)).toBe('FIRED');
  });
});

describe('inbox', () => {
  const INBOX = `query($first: Int, $after: String) { myNotifications(first: $first, after: $after) { edges { node { id title readAt assessmentTask { id } } }
    pageInfo { hasNextPage endCursor } } myUnreadNotificationCount }`;
  const MARK = `mutation($ids: [ID!]) { markNotificationsRead(ids: $ids) }`;

  it("pages the caller's own notifications, counts the unread, marks them read; nobody marks another's", async () => {
    const first = ok(await h.call(w.assessor.actor, INBOX, { first: 2 }));
    const total = first.myUnreadNotificationCount as number;
    expect(total).toBeGreaterThanOrEqual(3);
    expect(first.myNotifications.edges).toHaveLength(2);
    expect(first.myNotifications.pageInfo.hasNextPage).toBe(true);
    const rest = ok(await h.call(w.assessor.actor, INBOX, { first: 100, after: first.myNotifications.pageInfo.endCursor }));
    expect(first.myNotifications.edges.length + rest.myNotifications.edges.length).toBe(total);
    const ids = first.myNotifications.edges.map((e: { node: { id: string } }) => e.node.id);
    expect(ok(await h.call(w.teacher.actor, MARK, { ids })).markNotificationsRead).toBe(0);
    expect(ok(await h.call(w.assessor.actor, MARK, { ids })).markNotificationsRead).toBe(2);
    expect(ok(await h.call(w.assessor.actor, INBOX, { first: 1 })).myUnreadNotificationCount).toBe(total - 2);
    expect(ok(await h.call(w.teacher.actor, INBOX, {})).myNotifications.edges).toEqual([]);
  });

  it('resolves the reminders of many tasks in a constant number of statements', async () => {
    const ids = await Promise.all([1, 2, 3, 4, 5, 6].map(() => assignTask(h, w, DUE, ASSIGNED)));
    h.counter.reset();
    ok(await h.call(w.assessor.actor, REMINDERS, reps(ids[0]!)));
    const one = h.counter.count;
    h.counter.reset();
    ok(await h.call(w.assessor.actor, REMINDERS, reps(...ids)));
    expect(h.counter.count).toBe(one);
  });
});
