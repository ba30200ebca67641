import { randomUUID } from 'node:crypto';
import { PlacementConfirmed, PreferenceWindowOpened, StudentRegistered, SwapRequestChanged, type PayloadOf } from '@medcollab/events';
import { type Actor } from '@medcollab/kit';
import { fireStep } from '../src/data/fire';
import { buildWorld, emit, type NotificationsHarness, ok, startNotifications, type World } from './support/harness';

/**
 * Placement.reminders, PreferenceWindow.reminders and SwapRequest.reminders: the plan of each
 * subject (fired and planned steps, to whom), to the people it concerns and nobody of another
 * institution or role; a list of placements costs a constant number of statements.
 */
let h: NotificationsHarness;
let w: World;
let classmate: { id: string; actor: Actor };

beforeAll(async () => {
  h = await startNotifications();
  w = await buildWorld(h);
  const id = randomUUID();
  await emit(h, StudentRegistered, id, {
    studentId: id,
    schoolId: w.school,
    email: `noe-${id.slice(0, 8)}@example.edu`,
    cohortYear: 2023,
    priorClinicalYears: 0,
    givenName: 'Noé',
    familyName: 'Garnier',
  });
  classmate = { id, actor: { personId: id, institutionId: w.school, roles: ['STUDENT'] } };
});
afterAll(() => h.stop());

const STEP_FIELDS = `reminders { stepKey audience status fireAt firedAt recipientName recipientStaff { id } recipientStudent { id } }`;
const query = (type: string) => `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on ${type} { id ${STEP_FIELDS} } } }`;
const reps = (type: string, ...ids: string[]) => ({ reps: ids.map((id) => ({ __typename: type, id })) });
const remindersSeenBy = async (actor: Actor, type: string, id: string) =>
  ok(await h.call(actor, query(type), reps(type, id)))._entities[0].reminders as
    { stepKey: string; audience: string; status: string; recipientName: string; recipientStudent: { id: string } | null }[] | null;

async function confirmPlacement(startsOn = '2026-12-17'): Promise<string> {
  const p: PayloadOf<typeof PlacementConfirmed> = {
    placementId: randomUUID(),
    studentId: w.student.id,
    schoolId: w.school,
    hospitalId: w.hospital,
    departmentId: w.department,
    blockId: randomUUID(),
    supervisorId: w.assessor.id,
    startsOn,
    endsOn: '2027-01-14',
    at: '2026-12-01T09:00:00.000Z',
    accessUntil: null,
  };
  await emit(h, PlacementConfirmed, p.placementId, p, new Date(p.at));
  return p.placementId;
}

describe('Placement.reminders', () => {
  let placementId: string;

  beforeAll(async () => {
    placementId = await confirmPlacement();
    // The supervisor's step (09:00 Shanghai) fires; the student's is still planned.
    const [first] = (await h.dataSource.query(`SELECT id, fire_at FROM reminder_step WHERE placement_id = $1 AND audience = 'SUPERVISOR'`, [
      placementId,
    ])) as { id: string; fire_at: Date }[];
    expect(await fireStep(h.dataSource, first!.id, first!.fire_at)).toBe('FIRED');
  });

  it('shows the fired and the planned step, by name, to the student, the supervisor and both institutions’ coordinators', async () => {
    const seen = await remindersSeenBy(w.student.actor, 'Placement', placementId);
    expect(seen).toMatchObject([
      { stepKey: 'PLACEMENT_STARTING', audience: 'SUPERVISOR', status: 'FIRED', recipientName: 'Wei Zhang', recipientStudent: null },
      {
        stepKey: 'PLACEMENT_STARTING',
        audience: 'STUDENT',
        status: 'PLANNED',
        recipientName: 'Lina Martin',
        recipientStudent: { id: w.student.id },
      },
    ]);
    for (const viewer of [w.assessor, w.schoolCoordinator, w.departmentCoordinator, w.admin, w.quality])
      expect(await remindersSeenBy(viewer.actor, 'Placement', placementId)).toEqual(seen);
  });

  it('refuses another institution, and other roles and students of the same school (null, nothing leaks)', async () => {
    for (const outsider of [
      w.otherAdmin.actor,
      w.teacher.actor,
      classmate.actor,
      { ...w.schoolCoordinator.actor, institutionId: w.otherSchool },
    ])
      expect(await remindersSeenBy(outsider, 'Placement', placementId)).toBeNull();
  });

  it('resolves the reminders of a list of placements in a constant number of statements (no N+1)', async () => {
    const ids = [placementId];
    for (const day of ['2026-12-18', '2026-12-21', '2026-12-22', '2026-12-23', '2026-12-24']) ids.push(await confirmPlacement(day));
    h.counter.reset();
    const one = ok(await h.call(w.schoolCoordinator.actor, query('Placement'), reps('Placement', ids[0]!)));
    const forOne = h.counter.count;
    h.counter.reset();
    const six = ok(await h.call(w.schoolCoordinator.actor, query('Placement'), reps('Placement', ...ids)));
    expect(h.counter.count).toBe(forOne);
    expect(one._entities[0].reminders).toHaveLength(2);
    expect(six._entities.map((e: { reminders: unknown[] }) => e.reminders.length)).toEqual([2, 2, 2, 2, 2, 2]);
  });
});

describe('SwapRequest.reminders', () => {
  let swapId: string;

  beforeAll(async () => {
    swapId = randomUUID();
    const requested: PayloadOf<typeof SwapRequestChanged> = {
      swapId,
      schoolId: w.school,
      status: 'AWAITING_PEER',
      studentId: w.student.id,
      placementId: randomUUID(),
      departmentId: w.department,
      startsOn: '2027-01-11',
      withStudentId: classmate.id,
      withPlacementId: randomUUID(),
      withDepartmentId: w.department,
      toDepartmentId: null,
      at: '2026-12-14T10:00:00.000Z',
    };
    await emit(h, SwapRequestChanged, swapId, requested, new Date(requested.at));
  });

  it('shows the plan to both students and the school’s coordinators', async () => {
    const seen = await remindersSeenBy(classmate.actor, 'SwapRequest', swapId);
    expect(seen).toMatchObject([{ stepKey: 'SWAP_AWAITING_ANSWER', audience: 'STUDENT', status: 'PLANNED', recipientName: 'Noé Garnier' }]);
    for (const viewer of [w.student, w.schoolCoordinator]) expect(await remindersSeenBy(viewer.actor, 'SwapRequest', swapId)).toEqual(seen);
  });

  it('refuses another institution, the hospital and other roles of the school', async () => {
    for (const outsider of [w.otherAdmin.actor, w.departmentCoordinator.actor, w.teacher.actor, w.assessor.actor])
      expect(await remindersSeenBy(outsider, 'SwapRequest', swapId)).toBeNull();
  });
});

describe('PreferenceWindow.reminders', () => {
  let windowId: string;

  beforeAll(async () => {
    windowId = randomUUID();
    const opened = {
      windowId,
      schoolId: w.school,
      academicYear: '2027-2028',
      opensAt: '2026-12-01T08:00:00.000Z',
      closesAt: '2026-12-18T16:00:00.000Z',
      at: '2026-12-01T08:00:00.000Z',
    };
    await emit(h, PreferenceWindowOpened, windowId, opened, new Date(opened.at));
  });

  it('shows every student’s step to the school’s coordinators, and a student only their own', async () => {
    const all = await remindersSeenBy(w.schoolCoordinator.actor, 'PreferenceWindow', windowId);
    expect(all!.map((s) => s.recipientName).sort()).toEqual(['Lina Martin', 'Noé Garnier']);
    expect(await remindersSeenBy(classmate.actor, 'PreferenceWindow', windowId)).toMatchObject([
      { stepKey: 'PREFERENCE_WINDOW_CLOSING', audience: 'STUDENT', status: 'PLANNED', recipientStudent: { id: classmate.id } },
    ]);
  });

  it('refuses another institution, the hospital and other roles of the school', async () => {
    const otherStudent: Actor = { personId: randomUUID(), institutionId: w.otherSchool, roles: ['STUDENT'] };
    for (const outsider of [w.otherAdmin.actor, otherStudent, w.departmentCoordinator.actor, w.teacher.actor])
      expect(await remindersSeenBy(outsider, 'PreferenceWindow', windowId)).toBeNull();
  });
});
