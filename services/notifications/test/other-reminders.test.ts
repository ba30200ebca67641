import { randomUUID } from 'node:crypto';
import { AssessmentTaskWithdrawn, PlacementCancelled, PlacementConfirmed, PlacementStarted, type PayloadOf } from '@medcollab/events';
import { fireStep } from '../src/data/fire';
import { assignTask, buildWorld, emit, type NotificationsHarness, startNotifications, taskFacts, type World } from './support/harness';

/** A task withdrawn by assessment's burden cap is never reminded; placements are announced the day before they start. */
let h: NotificationsHarness;
let w: World;

beforeAll(async () => {
  h = await startNotifications();
  w = await buildWorld(h);
});
afterAll(() => h.stop());

interface StepRow {
  id: string;
  audience: string;
  recipient_id: string;
  fire_at: Date;
  status: string;
  cancel_reason: string | null;
}
const stepsWhere = (column: 'task_id' | 'placement_id', id: string): Promise<StepRow[]> =>
  h.dataSource.query(
    `SELECT id, audience, recipient_id, fire_at, status, cancel_reason FROM reminder_step WHERE ${column} = $1 ORDER BY fire_at, recipient_id`,
    [id],
  );
const inboxOf = (personId: string) =>
  h.dataSource.query(
    `SELECT kind, title, body, subject_type, subject_id FROM notification WHERE recipient_id = $1 AND channel = 'IN_APP' ORDER BY created_at, id`,
    [personId],
  ) as Promise<{ kind: string; title: string; body: string; subject_type: string; subject_id: string }[]>;

describe('a task withdrawn by the burden cap (AssessmentTaskWithdrawn)', () => {
  it('cancels its whole plan: no step of it ever fires, not even one whose job was already queued', async () => {
    const due = new Date('2026-12-16T11:00:00Z');
    const taskId = await assignTask(h, w, due, new Date('2026-12-01T09:00:00Z'));
    const planned = await stepsWhere('task_id', taskId);
    expect(planned.length).toBeGreaterThan(3);
    const at = new Date('2026-12-02T09:00:00Z');
    await emit(
      h,
      AssessmentTaskWithdrawn,
      taskId,
      { ...taskFacts(w, due, taskId), withdrawnAt: at.toISOString(), reason: 'DISPLACED' },
      at,
    );
    const after = await stepsWhere('task_id', taskId);
    expect(after.map((s) => [s.status, s.cancel_reason])).toEqual(planned.map(() => ['CANCELLED', 'WITHDRAWN']));
    for (const s of planned) expect(await fireStep(h.dataSource, s.id, s.fire_at)).toBe('ALREADY_DONE');
    const people = [w.assessor, w.schoolCoordinator, w.departmentCoordinator, w.quality];
    for (const p of people) expect((await inboxOf(p.id)).filter((n) => n.subject_id === taskId)).toEqual([]);
    // A step the plan somehow still holds (written before the withdrawal committed) is cancelled when its job runs.
    await h.dataSource.query(`UPDATE reminder_step SET status = 'PLANNED', cancel_reason = NULL WHERE id = $1`, [planned[0]!.id]);
    expect(await fireStep(h.dataSource, planned[0]!.id, planned[0]!.fire_at)).toBe('CANCELLED');
    expect((await inboxOf(w.assessor.id)).filter((n) => n.subject_id === taskId)).toEqual([]);
  });
});

describe('a placement starting (PlacementConfirmed)', () => {
  const placement = (overrides: Partial<PayloadOf<typeof PlacementConfirmed>> = {}): PayloadOf<typeof PlacementConfirmed> => ({
    placementId: randomUUID(),
    studentId: w.student.id,
    schoolId: w.school,
    hospitalId: w.hospital,
    departmentId: w.department,
    blockId: randomUUID(),
    supervisorId: w.assessor.id,
    startsOn: '2026-12-17',
    endsOn: '2027-01-14',
    at: '2026-12-01T09:00:00.000Z',
    accessUntil: null,
    ...overrides,
  });

  it('tells the student and the supervisor at 09:00 in their own time zones the day before, once, with names', async () => {
    const p = placement();
    await emit(h, PlacementConfirmed, p.placementId, p, new Date(p.at));
    const steps = await stepsWhere('placement_id', p.placementId);
    expect(steps.map((s) => [s.audience, s.recipient_id, s.fire_at.toISOString()])).toEqual([
      ['SUPERVISOR', w.assessor.id, '2026-12-16T01:00:00.000Z'], // 09:00 in Shanghai
      ['STUDENT', w.student.id, '2026-12-16T08:00:00.000Z'], // 09:00 in Paris
    ]);
    for (const s of steps) {
      expect(await fireStep(h.dataSource, s.id, new Date(s.fire_at.getTime() - 60_000))).toBe('NOT_YET');
      expect(await fireStep(h.dataSource, s.id, s.fire_at)).toBe('FIRED');
      expect(await fireStep(h.dataSource, s.id, s.fire_at)).toBe('ALREADY_DONE');
    }
    const [toStudent] = (await inboxOf(w.student.id)).filter((n) => n.subject_id === p.placementId);
    expect(toStudent).toMatchObject({ kind: 'PLACEMENT_STARTING', subject_type: 'Placement' });
    expect(toStudent!.title).toBe('Your placement in Cardiology, Shanghai General starts on 2026-12-17');
    expect(toStudent!.body).toContain('your supervisor is Wei Zhang');
    const toSupervisor = (await inboxOf(w.assessor.id)).filter((n) => n.subject_id === p.placementId);
    expect(toSupervisor).toHaveLength(1);
    expect(toSupervisor[0]!.title).toBe('Lina Martin starts in Cardiology on 2026-12-17');
    // Email rows too (the email sender's own tests cover SMTP).
    const [{ n }] = (await h.dataSource.query(`SELECT count(*)::int AS n FROM notification WHERE subject_id = $1 AND channel = 'EMAIL'`, [
      p.placementId,
    ])) as [{ n: number }];
    expect(n).toBe(2);
  });

  it('a swap that moves the start re-plans; a cancelled or already started placement is not announced', async () => {
    const p = placement({ startsOn: '2026-12-22', endsOn: '2027-01-19' }); // Tuesday
    await emit(h, PlacementConfirmed, p.placementId, p, new Date(p.at));
    const moved = { ...p, startsOn: '2026-12-29', endsOn: '2027-01-26', at: '2026-12-05T09:00:00.000Z' };
    await emit(h, PlacementConfirmed, p.placementId, moved, new Date(moved.at));
    const steps = await stepsWhere('placement_id', p.placementId);
    expect(steps.filter((s) => s.status === 'CANCELLED').every((s) => s.cancel_reason === 'REPLANNED')).toBe(true);
    const planned = steps.filter((s) => s.status === 'PLANNED');
    expect(planned.map((s) => s.fire_at.toISOString())).toEqual(['2026-12-28T01:00:00.000Z', '2026-12-28T08:00:00.000Z']);
    // An older event arriving late changes nothing.
    await emit(h, PlacementConfirmed, p.placementId, p, new Date(p.at));
    expect((await stepsWhere('placement_id', p.placementId)).filter((s) => s.status === 'PLANNED')).toHaveLength(2);

    await emit(
      h,
      PlacementCancelled,
      p.placementId,
      { ...moved, at: '2026-12-06T09:00:00.000Z', reason: 'The student withdrew' },
      new Date('2026-12-06T09:00:00Z'),
    );
    const after = await stepsWhere('placement_id', p.placementId);
    expect(after.filter((s) => s.status === 'PLANNED')).toEqual([]);
    for (const s of planned) expect(await fireStep(h.dataSource, s.id, s.fire_at)).toBe('ALREADY_DONE');

    const started = placement({ startsOn: '2026-12-23' });
    await emit(h, PlacementConfirmed, started.placementId, started, new Date(started.at));
    const [first] = await stepsWhere('placement_id', started.placementId);
    // The step's row is set back to PLANNED after the start event, as if its job raced it: it is cancelled, not sent.
    await emit(h, PlacementStarted, started.placementId, { ...started, at: '2026-12-02T09:00:00.000Z' }, new Date('2026-12-02T09:00:00Z'));
    await h.dataSource.query(`UPDATE reminder_step SET status = 'PLANNED' WHERE id = $1`, [first!.id]);
    expect(await fireStep(h.dataSource, first!.id, first!.fire_at)).toBe('CANCELLED');
    for (const id of [p.placementId, started.placementId]) {
      expect((await inboxOf(w.student.id)).filter((n) => n.subject_id === id)).toEqual([]);
    }
  });
});
