import { randomUUID } from 'node:crypto';
import {
  AssessmentTaskCancelled,
  AssessmentTaskWithdrawn,
  PlacementCancelled,
  PlacementConfirmed,
  PlacementStarted,
  PlacementSupervisorAssigned,
  PreferencesSubmitted,
  PreferenceWindowOpened,
  StudentRegistered,
  SwapRequestChanged,
  type PayloadOf,
} from '@medcollab/events';
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
const stepsWhere = (column: 'task_id' | 'placement_id' | 'preference_window_id' | 'swap_id', id: string): Promise<StepRow[]> =>
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

describe('a task cancelled because its assessor left (AssessmentTaskCancelled)', () => {
  it('settles it like a withdrawn task: its remaining steps are cancelled and nobody is told', async () => {
    const due = new Date('2026-12-16T11:00:00Z');
    const taskId = await assignTask(h, w, due, new Date('2026-12-01T09:00:00Z'));
    const planned = await stepsWhere('task_id', taskId);
    expect(planned.length).toBeGreaterThan(3);
    const at = new Date('2026-12-02T09:00:00Z');
    const reason = 'Its assessor was deactivated and no active instructor of Cardiology could take it over.';
    await emit(h, AssessmentTaskCancelled, taskId, { ...taskFacts(w, due, taskId), cancelledAt: at.toISOString(), reason }, at);
    const after = await stepsWhere('task_id', taskId);
    expect(after.map((s) => [s.status, s.cancel_reason])).toEqual(planned.map(() => ['CANCELLED', 'WITHDRAWN']));
    for (const s of planned) expect(await fireStep(h.dataSource, s.id, s.fire_at)).toBe('ALREADY_DONE');
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

describe('a supervisor named after confirmation (PlacementSupervisorAssigned)', () => {
  const confirmed = (): PayloadOf<typeof PlacementConfirmed> => ({
    placementId: randomUUID(),
    studentId: w.student.id,
    schoolId: w.school,
    hospitalId: w.hospital,
    departmentId: w.department,
    blockId: randomUUID(),
    supervisorId: null,
    startsOn: '2026-12-17',
    endsOn: '2027-01-14',
    at: '2026-12-01T09:00:00.000Z',
    accessUntil: null,
  });

  it("plans the new supervisor's reminder for a placement not yet begun; the student keeps one", async () => {
    const p = confirmed();
    await emit(h, PlacementConfirmed, p.placementId, p, new Date(p.at));
    expect((await stepsWhere('placement_id', p.placementId)).map((s) => s.audience)).toEqual(['STUDENT']);
    const assigned = {
      ...p,
      supervisorId: w.assessor.id,
      previousSupervisorId: null,
      status: 'CONFIRMED' as const,
      at: '2026-12-02T09:00:00.000Z',
    };
    await emit(h, PlacementSupervisorAssigned, p.placementId, assigned, new Date(assigned.at));
    const planned = (await stepsWhere('placement_id', p.placementId)).filter((s) => s.status === 'PLANNED');
    expect(planned.map((s) => [s.audience, s.recipient_id])).toEqual([
      ['SUPERVISOR', w.assessor.id],
      ['STUDENT', w.student.id],
    ]);
  });

  it('only records the supervisor of a running placement: nothing is planned', async () => {
    const p = confirmed();
    await emit(h, PlacementConfirmed, p.placementId, p, new Date(p.at));
    await emit(h, PlacementStarted, p.placementId, { ...p, at: '2026-12-02T09:00:00.000Z' }, new Date('2026-12-02T09:00:00Z'));
    const assigned = {
      ...p,
      supervisorId: w.assessor.id,
      previousSupervisorId: null,
      status: 'IN_PROGRESS' as const,
      at: '2026-12-03T09:00:00.000Z',
    };
    await emit(h, PlacementSupervisorAssigned, p.placementId, assigned, new Date(assigned.at));
    expect((await stepsWhere('placement_id', p.placementId)).filter((s) => s.status === 'PLANNED')).toEqual([]);
    const [row] = (await h.dataSource.query(`SELECT status, supervisor_id FROM reminder_placement WHERE placement_id = $1`, [
      p.placementId,
    ])) as {
      status: string;
      supervisor_id: string;
    }[];
    expect(row).toEqual({ status: 'STARTED', supervisor_id: w.assessor.id });
  });
});

describe("a school's preference window closing (PreferenceWindowOpened, PreferencesSubmitted)", () => {
  it('reminds each student who has not ranked 48 h before it closes, once, by name; a student who ranks is not reminded', async () => {
    const register = async (schoolId: string, givenName: string) => {
      const id = randomUUID();
      await emit(h, StudentRegistered, id, {
        studentId: id,
        schoolId,
        email: `${givenName.toLowerCase()}-${id.slice(0, 8)}@example.edu`,
        cohortYear: 2024,
        priorClinicalYears: 0,
        givenName,
        familyName: 'Roche',
      });
      return id;
    };
    const tom = await register(w.school, 'Tom');
    const elsewhere = await register(w.otherSchool, 'Eve');
    const windowId = randomUUID();
    const opened = {
      windowId,
      schoolId: w.school,
      academicYear: '2027-2028',
      opensAt: '2026-12-01T08:00:00.000Z',
      closesAt: '2026-12-18T16:00:00.000Z', // Friday 17:00 in Paris
      at: '2026-12-01T08:00:00.000Z',
    };
    await emit(h, PreferenceWindowOpened, windowId, opened, new Date(opened.at));
    const steps = await stepsWhere('preference_window_id', windowId);
    const recipients = steps.map((s) => s.recipient_id);
    expect(recipients).toEqual(expect.arrayContaining([w.student.id, tom]));
    expect(recipients).not.toContain(elsewhere);
    expect(steps.every((s) => s.fire_at.toISOString() === '2026-12-16T16:00:00.000Z')).toBe(true); // Wednesday 17:00 Paris

    // Moved two days later: re-planned; Tom then ranks.
    const moved = { ...opened, closesAt: '2026-12-22T16:00:00.000Z', at: '2026-12-02T08:00:00.000Z' }; // Tuesday 17:00
    await emit(h, PreferenceWindowOpened, windowId, moved, new Date(moved.at));
    await emit(h, PreferencesSubmitted, windowId, {
      windowId,
      schoolId: w.school,
      academicYear: '2027-2028',
      studentId: tom,
      submittedAt: '2026-12-03T10:00:00.000Z',
    });
    const after = await stepsWhere('preference_window_id', windowId);
    const planned = after.filter((s) => s.status === 'PLANNED');
    expect(planned.map((s) => s.recipient_id)).not.toContain(tom);
    expect(after.find((s) => s.recipient_id === tom && s.cancel_reason === 'SUBMITTED')).toBeDefined();
    const lina = planned.find((s) => s.recipient_id === w.student.id)!;
    expect(lina.fire_at.toISOString()).toBe('2026-12-21T06:00:00.000Z'); // Sunday 17:00 → Monday 07:00 Paris (end of quiet hours)

    expect(await fireStep(h.dataSource, lina.id, lina.fire_at)).toBe('FIRED');
    expect(await fireStep(h.dataSource, lina.id, lina.fire_at)).toBe('ALREADY_DONE');
    const told = (await inboxOf(w.student.id)).filter((n) => n.subject_id === windowId);
    expect(told).toHaveLength(1);
    expect(told[0]).toMatchObject({ kind: 'PREFERENCE_WINDOW_CLOSING', subject_type: 'PreferenceWindow' });
    expect(told[0]!.title).toBe('Rank your 2027-2028 placements before 22 Dec 2026, 17:00');
    expect(told[0]!.body).toContain("Lina Martin, Paris Medical School's preference window for 2027-2028 closes on 22 Dec 2026, 17:00");
    expect((await inboxOf(tom)).filter((n) => n.subject_id === windowId)).toEqual([]);
    // The same event delivered again (new envelope) plans nobody twice: Lina was told of this closing time.
    await emit(h, PreferenceWindowOpened, windowId, { ...moved, at: '2026-12-02T09:00:00.000Z' }, new Date('2026-12-02T09:00:00Z'));
    expect(
      (await stepsWhere('preference_window_id', windowId)).filter((s) => s.status === 'PLANNED' && s.recipient_id === w.student.id),
    ).toEqual([]);
  });
});

describe('a swap awaiting an answer (SwapRequestChanged)', () => {
  it('reminds the other student after 48 h, then the coordinators once it waits for them; a final answer stops it', async () => {
    const peer = randomUUID();
    await emit(h, StudentRegistered, peer, {
      studentId: peer,
      schoolId: w.school,
      email: `noe-${peer.slice(0, 8)}@example.edu`,
      cohortYear: 2023,
      priorClinicalYears: 0,
      givenName: 'Noé',
      familyName: 'Garnier',
    });
    const swapId = randomUUID();
    const requested: PayloadOf<typeof SwapRequestChanged> = {
      swapId,
      schoolId: w.school,
      status: 'AWAITING_PEER',
      studentId: w.student.id,
      placementId: randomUUID(),
      departmentId: w.department,
      startsOn: '2027-01-11',
      withStudentId: peer,
      withPlacementId: randomUUID(),
      withDepartmentId: w.department,
      toDepartmentId: null,
      at: '2026-12-14T10:00:00.000Z', // Monday 11:00 Paris
    };
    await emit(h, SwapRequestChanged, swapId, requested, new Date(requested.at));
    const [toPeer] = await stepsWhere('swap_id', swapId);
    expect(toPeer).toMatchObject({ audience: 'STUDENT', recipient_id: peer, status: 'PLANNED' });
    expect(toPeer!.fire_at.toISOString()).toBe('2026-12-16T10:00:00.000Z');
    expect(await fireStep(h.dataSource, toPeer!.id, toPeer!.fire_at)).toBe('FIRED');
    const [told] = (await inboxOf(peer)).filter((n) => n.subject_id === swapId);
    expect(told).toMatchObject({ kind: 'SWAP_AWAITING_ANSWER', subject_type: 'SwapRequest' });
    expect(told!.title).toBe('Lina Martin is waiting for your answer to a placement swap');
    expect(told!.body).toContain("Lina Martin's Cardiology placement (from 2027-01-11) for Noé Garnier's in Cardiology");

    // The peer accepts: now the school's coordinators are reminded after 48 h (Saturday → Monday 07:00 Paris).
    const accepted = { ...requested, status: 'AWAITING_COORDINATOR' as const, at: '2026-12-17T10:00:00.000Z' };
    await emit(h, SwapRequestChanged, swapId, accepted, new Date(accepted.at));
    const toCoordinators = (await stepsWhere('swap_id', swapId)).filter((s) => s.status === 'PLANNED');
    expect(toCoordinators.map((s) => [s.audience, s.recipient_id, s.fire_at.toISOString()])).toEqual([
      ['COORDINATORS', w.schoolCoordinator.id, '2026-12-21T06:00:00.000Z'],
    ]);
    // Approved before anyone is reminded: nothing more is sent.
    const approved = { ...accepted, status: 'APPROVED' as const, at: '2026-12-18T10:00:00.000Z' };
    await emit(h, SwapRequestChanged, swapId, approved, new Date(approved.at));
    expect((await stepsWhere('swap_id', swapId)).find((s) => s.id === toCoordinators[0]!.id)).toMatchObject({
      status: 'CANCELLED',
      cancel_reason: 'APPROVED',
    });
    expect(await fireStep(h.dataSource, toCoordinators[0]!.id, toCoordinators[0]!.fire_at)).toBe('ALREADY_DONE');
    expect((await inboxOf(w.schoolCoordinator.id)).filter((n) => n.subject_id === swapId)).toEqual([]);
  });
});
