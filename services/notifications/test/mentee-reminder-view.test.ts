import { randomUUID } from 'node:crypto';
import { MentorshipChanged, StaffRegistered, StudentRegistered } from '@medcollab/events';
import { type Actor } from '@medcollab/kit';
import { fireStep } from '../src/data/fire';
import { notificationSettings } from '../src/settings';
import { buildWorld, emit, type NotificationsHarness, ok, startNotifications, type World } from './support/harness';

/**
 * Mentorship.reminders: the mentee-without-a-meeting plan (the mentor, then the school's
 * coordinators), fired and planned steps by name and per mentee, to the mentor and the mentees'
 * school's coordinators, admins and quality officers; nobody of another institution or role, not
 * the mentees; a list of mentorships costs a constant number of statements.
 */
let h: NotificationsHarness;
let w: World;
let mentor: { id: string; actor: Actor };
let mentee: { id: string; actor: Actor };
let mentorshipId: string;

// Tuesday 2 March 2027, 10:00 in Paris: the mentor is reminded six weeks later, the coordinators eight.
const JOINED = new Date('2027-03-02T09:00:00Z');

async function newMentee(givenName: string): Promise<{ id: string; actor: Actor }> {
  const id = randomUUID();
  await emit(h, StudentRegistered, id, {
    studentId: id,
    schoolId: w.school,
    email: `s-${id.slice(0, 8)}@example.edu`,
    cohortYear: 2023,
    priorClinicalYears: 0,
    givenName,
    familyName: 'Moreau',
  });
  return { id, actor: { personId: id, institutionId: w.school, roles: ['STUDENT'] } };
}

async function startMentorship(menteeIds: string[]): Promise<string> {
  const id = randomUUID();
  await emit(h, MentorshipChanged, id, { mentorshipId: id, mentorId: mentor.id, menteeIds, status: 'ACTIVE' }, JOINED);
  return id;
}

beforeAll(async () => {
  h = await startNotifications();
  w = await buildWorld(h);
  const id = randomUUID();
  await emit(h, StaffRegistered, id, {
    staffId: id,
    institutionId: w.school,
    departmentId: null,
    roles: ['MENTOR', 'TEACHER'],
    givenName: 'Marie',
    familyName: 'Curie',
    email: `marie.${id.slice(0, 8)}@example.org`,
  });
  mentor = { id, actor: { personId: id, institutionId: w.school, roles: ['MENTOR', 'TEACHER'] } };
  mentee = await newMentee('Lina');
  mentorshipId = await startMentorship([mentee.id]);
  // The mentor's rung fires; the coordinators' is still planned.
  const [toMentor] = (await h.dataSource.query(`SELECT id, fire_at FROM reminder_step WHERE mentorship_id = $1 AND audience = 'MENTOR'`, [
    mentorshipId,
  ])) as { id: string; fire_at: Date }[];
  expect(await fireStep(h.dataSource, toMentor!.id, toMentor!.fire_at, notificationSettings())).toBe('FIRED');
});
afterAll(() => h.stop());

const QUERY = `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Mentorship { id
  reminders { stepKey audience status fireAt firedAt recipientName recipientStaff { id } mentee { id } menteeName } } } }`;
const reps = (...ids: string[]) => ({ reps: ids.map((id) => ({ __typename: 'Mentorship', id })) });
const remindersSeenBy = async (actor: Actor, id = mentorshipId) =>
  ok(await h.call(actor, QUERY, reps(id)))._entities[0].reminders as Record<string, unknown>[] | null;

describe('Mentorship.reminders', () => {
  it('shows the fired and the planned step, by name and mentee, to the mentor and the school’s coordinators and quality office', async () => {
    const seen = await remindersSeenBy(mentor.actor);
    expect(seen).toEqual([
      {
        stepKey: 'MENTEE_WITHOUT_MEETING',
        audience: 'MENTOR',
        status: 'FIRED',
        fireAt: '2027-04-13T09:00:00.000Z',
        firedAt: '2027-04-13T09:00:00.000Z',
        recipientName: 'Marie Curie',
        recipientStaff: { id: mentor.id },
        mentee: { id: mentee.id },
        menteeName: 'Lina Moreau',
      },
      {
        stepKey: 'MENTEE_MEETING_ESCALATION',
        audience: 'COORDINATORS',
        status: 'PLANNED',
        fireAt: '2027-04-27T09:00:00.000Z',
        firedAt: null,
        recipientName: 'Claire Dubois',
        recipientStaff: { id: w.schoolCoordinator.id },
        mentee: { id: mentee.id },
        menteeName: 'Lina Moreau',
      },
    ]);
    for (const viewer of [w.schoolCoordinator, w.quality, w.admin]) expect(await remindersSeenBy(viewer.actor)).toEqual(seen);
  });

  it('refuses another institution, the hospital, other roles of the school and the mentee (null, nothing leaks)', async () => {
    for (const outsider of [
      w.otherAdmin.actor,
      { ...w.schoolCoordinator.actor, institutionId: w.otherSchool },
      w.departmentCoordinator.actor,
      w.teacher.actor,
      w.assessor.actor,
      mentee.actor,
    ])
      expect(await remindersSeenBy(outsider)).toBeNull();
    // A mentorship notifications has never heard of: null too.
    expect(await remindersSeenBy(w.schoolCoordinator.actor, randomUUID())).toBeNull();
  });

  it('resolves the reminders of a list of mentorships in a constant number of statements (no N+1)', async () => {
    const ids = [mentorshipId];
    for (const name of ['Ana', 'Ben', 'Chloé', 'Dario', 'Emma']) ids.push(await startMentorship([(await newMentee(name)).id]));
    h.counter.reset();
    const one = ok(await h.call(w.schoolCoordinator.actor, QUERY, reps(ids[0]!)));
    const forOne = h.counter.count;
    h.counter.reset();
    const six = ok(await h.call(w.schoolCoordinator.actor, QUERY, reps(...ids)));
    expect(h.counter.count).toBe(forOne);
    expect(one._entities[0].reminders).toHaveLength(2);
    expect(six._entities.map((e: { reminders: unknown[] }) => e.reminders.length)).toEqual([2, 2, 2, 2, 2, 2]);
  });
});
