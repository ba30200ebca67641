import { randomUUID } from 'node:crypto';
import { type Actor } from '@medcollab/kit';
import { createConsumer, type Consumer, type MentorshipChanged, type PayloadOf } from '@medcollab/events';
import { mentorGrantHandlers } from '../src/projections/mentor-grants';
import { staffOf } from './support/actors';
import { buildWorld, registerStudent, type StudentRef, type World } from './support/fixtures';
import { codes, type NetworkHarness, ok, startNetwork } from './support/harness';

let h: NetworkHarness;
let w: World;
let consumer: Consumer;
let mentee: StudentRef;
let second: StudentRef;
let other: StudentRef;
let mentor: Actor;
const mentorshipId = randomUUID();

beforeAll(async () => {
  h = await startNetwork();
  w = await buildWorld(h);
  consumer = createConsumer({ service: 'network', dataSource: h.dataSource, handlers: mentorGrantHandlers });
  [mentee, second, other] = await Promise.all([
    registerStudent(h, w.schoolA.id),
    registerStudent(h, w.schoolA.id),
    registerStudent(h, w.schoolA.id),
  ]);
  // A mentor at a partner hospital: not staff of the students' school, no placement grant.
  mentor = staffOf(w.hospitalH.id, 'CLINICAL_INSTRUCTOR', 'MENTOR');
});
afterAll(() => h.stop());

let sequence = 0;
let previous: string | null = null;
/** Delivers one MentorshipChanged event to the network's consumer, chained after the previous one. */
async function deliver(menteeIds: string[], status: PayloadOf<typeof MentorshipChanged>['status']) {
  const id = randomUUID();
  const payload = { mentorshipId, mentorId: mentor.personId, menteeIds, status };
  const envelope = {
    id,
    type: 'MentorshipChanged',
    version: 1,
    source: 'mentorship',
    aggregateType: 'Mentorship',
    aggregateId: mentorshipId,
    sequence: ++sequence,
    occurredAt: new Date().toISOString(),
    payload,
    metadata: {},
  };
  expect(await consumer.apply({ envelope, previousEventId: previous })).toBe('applied');
  previous = id;
}

const STUDENT = `query($id: ID!) { student(id: $id) { id familyName } }`;
const ENTITIES = `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Student { id } } }`;

describe('mentor access grants from mentorship events', () => {
  it('refuses a hospital mentor before the mentorship, and lets them read their mentee once it exists', async () => {
    expect(codes(await h.call(mentor, STUDENT, { id: mentee.id }))).toEqual(['FORBIDDEN']);
    await deliver([mentee.id], 'ACTIVE');
    expect(ok(await h.call(mentor, STUDENT, { id: mentee.id })).student.id).toBe(mentee.id);
    // Only their mentees: not another student of the same school.
    expect(codes(await h.call(mentor, STUDENT, { id: other.id }))).toEqual(['FORBIDDEN']);
    // Only the mentor: an unrelated staff member of the same hospital, or of another, is refused.
    expect(codes(await h.call(staffOf(w.hospitalH.id, 'CLINICAL_INSTRUCTOR', 'MENTOR'), STUDENT, { id: mentee.id }))).toEqual([
      'FORBIDDEN',
    ]);
    expect(codes(await h.call(staffOf(w.hospitalK.id, 'COORDINATOR'), STUDENT, { id: mentee.id }))).toEqual(['FORBIDDEN']);
    // A student with the mentor's person id (no staff role) holds no grant.
    expect(codes(await h.call({ ...mentor, roles: ['STUDENT'] }, STUDENT, { id: mentee.id }))).toEqual(['FORBIDDEN']);
  });

  it('follows the current mentees: an added mentee becomes readable, through _entities too', async () => {
    expect(codes(await h.call(mentor, STUDENT, { id: second.id }))).toEqual(['FORBIDDEN']);
    await deliver([mentee.id, second.id], 'ACTIVE');
    const entities = ok(
      await h.call(mentor, ENTITIES, { reps: [mentee, second].map((s) => ({ __typename: 'Student', id: s.id })) }),
    )._entities;
    expect(entities.map((e: { id: string }) => e.id)).toEqual([mentee.id, second.id]);
  });

  it('keeps the grant while paused and ends it when the mentorship ends', async () => {
    await deliver([mentee.id, second.id], 'PAUSED');
    expect(ok(await h.call(mentor, STUDENT, { id: mentee.id })).student.id).toBe(mentee.id);
    await deliver([mentee.id, second.id], 'ENDED');
    expect(codes(await h.call(mentor, STUDENT, { id: mentee.id }))).toEqual(['FORBIDDEN']);
    expect(codes(await h.call(mentor, STUDENT, { id: second.id }))).toEqual(['FORBIDDEN']);
    expect(await h.dataSource.query('SELECT 1 FROM mentor_access_grant WHERE mentorship_id = $1', [mentorshipId])).toEqual([]);
  });

  it('changes nothing when an event is redelivered', async () => {
    const id = randomUUID();
    const envelope = {
      id,
      type: 'MentorshipChanged',
      version: 1,
      source: 'mentorship',
      aggregateType: 'Mentorship',
      aggregateId: id,
      sequence: 1,
      occurredAt: new Date().toISOString(),
      payload: { mentorshipId: id, mentorId: mentor.personId, menteeIds: [other.id], status: 'ACTIVE' },
      metadata: {},
    };
    expect(await consumer.apply({ envelope, previousEventId: null })).toBe('applied');
    await consumer.apply({ envelope, previousEventId: null });
    expect(await h.dataSource.query('SELECT student_id FROM mentor_access_grant WHERE mentorship_id = $1', [id])).toEqual([
      { student_id: other.id },
    ]);
    expect(ok(await h.call(mentor, STUDENT, { id: other.id })).student.id).toBe(other.id);
  });
});
