import { randomUUID } from 'node:crypto';
import { AssessmentReminderSent, AssessmentTaskAssigned, AssessmentTaskSubmitted, type EventEnvelope } from '@medcollab/events';
import { rebuildRollups } from '../src/data/rebuild';
import { agreementBetween, envelope } from './support/events';
import { actor, codes, ok, type QualityHarness, startQuality } from './support/harness';

/**
 * Reminders and escalations needed per completed task (issue 13, ADR 0031): notifications'
 * AssessmentReminderSent is folded with its task, and counted once the task is submitted — per
 * assessor (teacher in department), department, hospital and the students' school.
 */
const ids = { S: randomUUID(), H: randomUUID(), H2: randomUUID(), D: randomUUID(), T1: randomUUID(), T2: randomUUID(), B: randomUUID() };
const BLOCK = { kind: 'BLOCK', id: ids.B };

function task(assessorId: string, submitted: boolean): { taskId: string; events: EventEnvelope[] } {
  const taskId = randomUUID();
  const facts = {
    taskId,
    assessorId,
    role: 'SUPERVISOR_ASSESSMENT' as const,
    instrumentId: randomUUID(),
    instrumentKind: 'MINI_CEX' as const,
    instrumentTitle: 'Mini-CEX',
    purpose: 'FORMATIVE' as const,
    studentId: randomUUID(),
    schoolId: ids.S,
    subjectStaffId: null,
    departmentId: ids.D,
    placementId: randomUUID(),
    hospitalId: ids.H,
    blockId: ids.B,
    dueAt: '2026-10-15T00:00:00.000Z',
  };
  const events = [envelope(AssessmentTaskAssigned, taskId, { ...facts, assignedAt: '2026-10-01T00:00:00.000Z' }, 1)];
  if (submitted) events.push(envelope(AssessmentTaskSubmitted, taskId, { ...facts, submittedAt: '2026-10-20T00:00:00.000Z' }, 2));
  return { taskId, events };
}
const nudge = (taskId: string, kind: 'REMINDER' | 'ESCALATION', stepId = randomUUID()) =>
  envelope(AssessmentReminderSent, stepId, {
    stepId,
    taskId,
    kind,
    stepKey: kind === 'REMINDER' ? 'OVERDUE' : 'ESCALATION',
    sentAt: '2026-10-16T09:00:00.000Z',
  });

let h: QualityHarness;
// T1: one task with 2 reminders and an escalation, one with none; T2: one with 1 reminder; and an open task with a reminder.
const a = task(ids.T1, true);
const b = task(ids.T1, true);
const c = task(ids.T2, true);
const open = task(ids.T2, false);
const repeated = nudge(a.taskId, 'REMINDER');

beforeAll(async () => {
  h = await startQuality();
  await h.deliver([
    agreementBetween(ids.S, ids.H, [ids.D]),
    // A reminder may arrive before its task's events (another producer's queue): it waits in the task's history.
    repeated,
    ...a.events,
    nudge(a.taskId, 'REMINDER'),
    nudge(a.taskId, 'ESCALATION'),
    ...b.events,
    nudge(c.taskId, 'REMINDER'),
    ...c.events,
    ...open.events,
    nudge(open.taskId, 'REMINDER'),
    // Redelivered: the same event once more changes nothing.
    repeated,
  ]);
});
afterAll(() => h.stop());

const REPORT = `query($scope: QualityScopeInput!, $period: QualityPeriodInput!) {
  qualityReport(scope: $scope, period: $period, metrics: [TASKS_ON_TIME, REMINDERS_PER_TASK, ESCALATIONS_PER_TASK]) {
    root { key figures { metric count mean distribution { value count } }
      children { key figures { metric count mean } children { key figures { metric count mean } } } } } }`;
type Fig = { metric: string; count: number; mean: number | null; distribution?: { value: string; count: number }[] };
type Row = { key: string; figures: Fig[]; children: Row[] };
const fig = (row: Row, metric: string) => row.figures.find((f) => f.metric === metric)!;

describe('reminders and escalations per completed task', () => {
  it('counts, per completed task, the reminders and escalations it needed, from the hospital down to each assessor', async () => {
    const root = ok(await h.call(actor(ids.H, 'QUALITY_OFFICER'), REPORT, { scope: { kind: 'INSTITUTION', id: ids.H }, period: BLOCK }))
      .qualityReport.root as Row;
    // Three completed tasks: 2 + 0 + 1 reminders, 1 + 0 + 0 escalations; the open task is not counted.
    expect(fig(root, 'REMINDERS_PER_TASK')).toMatchObject({
      count: 3,
      mean: 1,
      distribution: [
        { value: '0', count: 1 },
        { value: '1', count: 1 },
        { value: '2', count: 1 },
      ],
    });
    expect(fig(root, 'ESCALATIONS_PER_TASK')).toMatchObject({ count: 3, mean: 0.333 });
    const department = root.children[0]!;
    expect(department.key).toBe(`DEPARTMENT:${ids.D}`);
    const byTeacher = Object.fromEntries(
      department.children.map((t) => [t.key, [fig(t, 'REMINDERS_PER_TASK'), fig(t, 'ESCALATIONS_PER_TASK')]]),
    );
    expect(byTeacher[`TEACHER:${ids.D}/${ids.T1}`]).toEqual([
      { metric: 'REMINDERS_PER_TASK', count: 2, mean: 1 },
      { metric: 'ESCALATIONS_PER_TASK', count: 2, mean: 0.5 },
    ]);
    expect(byTeacher[`TEACHER:${ids.D}/${ids.T2}`]).toEqual([
      { metric: 'REMINDERS_PER_TASK', count: 1, mean: 1 },
      { metric: 'ESCALATIONS_PER_TASK', count: 1, mean: 0 },
    ]);
  });

  it("shows the school's students' tasks to the school, and refuses another hospital and a teacher", async () => {
    const school = ok(await h.call(actor(ids.S, 'QUALITY_OFFICER'), REPORT, { scope: { kind: 'NETWORK' }, period: BLOCK })).qualityReport
      .root as Row;
    expect(fig(school, 'REMINDERS_PER_TASK')).toMatchObject({ count: 3, mean: 1 });
    for (const who of [actor(ids.H2, 'QUALITY_OFFICER'), actor(ids.H, 'TEACHER')])
      expect(codes(await h.call(who, REPORT, { scope: { kind: 'INSTITUTION', id: ids.H }, period: BLOCK }))).toEqual(['FORBIDDEN']);
  });

  it('keeps the same figures in a rebuild', async () => {
    const cells = () =>
      h.dataSource.query(
        `SELECT metric, school, scope_kind, scope_id, period_kind, period_id, n::int, total_milli::text, histogram FROM rollup_cell
          WHERE metric IN ('REMINDERS_PER_TASK', 'ESCALATIONS_PER_TASK') ORDER BY 1, 2, 3, 4, 5, 6`,
      );
    const before = await cells();
    expect(before.length).toBeGreaterThan(0);
    await rebuildRollups(h.dataSource, h.settings);
    expect(await cells()).toEqual(before);
  });
});
