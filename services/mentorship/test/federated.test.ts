import { randomUUID } from 'node:crypto';
import { signActorHeaders } from '@medcollab/kit';
import { type SubgraphHarness, TEST_SECRET } from '@medcollab/testing';
import { codes, ok, startMentorship } from './support/harness';
import { M, networkAdmin, type Person, staffActor, World } from './support/world';

let h: SubgraphHarness;
let w: World;

beforeAll(async () => {
  h = await startMentorship();
  w = await new World(h).setup();
});
afterAll(() => h.stop());

const STUDENTS = `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Student { id
  mentorships { id status mentor { id } mentees { id } meetingCount lastMeetingOn }
  developmentGoals { id title } menteePreferences { specialtyInterests } } } }`;
const STAFF = `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on StaffMember { id
  mentorProfile { id capacity menteeCount capacityLeft } mentorships { id mentees { id } } } } }`;
const reps = (typename: string, ids: string[]) => ({ reps: ids.map((id) => ({ __typename: typename, id })) });

describe('Student and StaffMember fields', () => {
  it("are read by the student, their mentors and school staff; refused to other schools' staff", async () => {
    const s = await w.student();
    const mentor = await w.mentor(w.hospitalH, {}, ['CLINICAL_INSTRUCTOR', 'MENTOR']);
    const id = await w.mentorship(mentor.id, [s.id]);
    ok(await h.call(s.actor, M.setDevelopmentGoal, { input: { studentId: s.id, title: 'Chest drains' } }));
    for (const reader of [s.actor, mentor.actor, staffActor(w.schoolA, 'TEACHER'), networkAdmin()]) {
      const [student] = ok(await h.call(reader, STUDENTS, reps('Student', [s.id])))._entities;
      expect(student.mentorships.map((m: { id: string }) => m.id)).toEqual([id]);
      expect(student.developmentGoals.map((g: { title: string }) => g.title)).toEqual(['Chest drains']);
    }
    for (const outsider of [staffActor(w.schoolB, 'COORDINATOR'), staffActor(w.hospitalH, 'COORDINATOR'), (await w.student()).actor]) {
      expect(codes(await h.call(outsider, STUDENTS, reps('Student', [s.id])))).toEqual(['FORBIDDEN']);
    }
  });

  it('let a mentor who is not school staff see only their own mentorships of a student', async () => {
    const s = await w.student();
    const [m1, m2] = await Promise.all([w.mentor(w.hospitalH), w.mentor(w.hospitalH)]);
    const [mine] = await Promise.all([
      w.mentorship(m1.id, [s.id], 'ONE_ON_ONE', 'CAREER'),
      w.mentorship(m2.id, [s.id], 'ONE_ON_ONE', 'RESEARCH'),
    ]);
    const [student] = ok(await h.call(m1.actor, STUDENTS, reps('Student', [s.id])))._entities;
    expect(student.mentorships.map((m: { id: string }) => m.id)).toEqual([mine]);
  });

  it("show a mentor to partner schools and their own hospital, refuse other schools, and filter the mentor's mentorships", async () => {
    const mentor = await w.mentor(w.hospitalH, { capacity: 4 });
    const [a, b] = await Promise.all([w.student(), w.student()]);
    await w.mentorship(mentor.id, [a.id]);
    await w.mentorship(mentor.id, [b.id]);
    const [seen] = ok(await h.call(staffActor(w.schoolA, 'COORDINATOR'), STAFF, reps('StaffMember', [mentor.id])))._entities;
    expect(seen.mentorProfile).toMatchObject({ capacity: 4, menteeCount: 2, capacityLeft: 2 });
    expect(seen.mentorships).toHaveLength(2);
    // A mentee sees their mentor, the profile (same school as partner), and only their own mentorship.
    const [asMentee] = ok(await h.call(a.actor, STAFF, reps('StaffMember', [mentor.id])))._entities;
    expect(asMentee.mentorships.map((m: { mentees: { id: string }[] }) => m.mentees[0]!.id)).toEqual([a.id]);
    // Another school is no partner of the hospital: it may not even reference the mentor.
    expect(codes(await h.call(staffActor(w.schoolB, 'COORDINATOR'), STAFF, reps('StaffMember', [mentor.id])))).toEqual(['FORBIDDEN']);
    // The hospital's own staff see the profile.
    const [own] = ok(await h.call(staffActor(w.hospitalH, 'QUALITY_OFFICER'), STAFF, reps('StaffMember', [mentor.id])))._entities;
    expect(own.mentorProfile.capacity).toBe(4);
    expect(own.mentorships).toEqual([]);
  });

  it('load 20 students with mentorships, mentees, meeting stats and goals in a constant number of statements', async () => {
    const mentors = await Promise.all([1, 2, 3, 4].map(() => w.mentor(w.schoolA, { capacity: 10 })));
    const students: Person[] = [];
    for (let i = 0; i < 20; i++) {
      const s = await w.student();
      students.push(s);
      await w.mentorship(mentors[i % 4]!.id, [s.id]);
    }
    // Two of them also share a small group: one mentorship, two students in the same batch.
    const groupMentor = await w.mentor(w.schoolA, { capacity: 4 });
    const group = await w.mentorship(groupMentor.id, [students[0]!.id, students[1]!.id], 'SMALL_GROUP');
    const coordinator = staffActor(w.schoolA, 'COORDINATOR');
    h.counter.reset();
    const five = ok(
      await h.call(
        coordinator,
        STUDENTS,
        reps(
          'Student',
          students.slice(0, 5).map((s) => s.id),
        ),
      ),
    )._entities;
    const forFive = h.counter.count;
    h.counter.reset();
    const twenty = ok(
      await h.call(
        coordinator,
        STUDENTS,
        reps(
          'Student',
          students.map((s) => s.id),
        ),
      ),
    )._entities;
    expect(five).toHaveLength(5);
    expect(twenty).toHaveLength(20);
    expect(twenty.map((s: { mentorships: unknown[] }) => s.mentorships.length)).toEqual([2, 2, ...Array(18).fill(1)]);
    for (const s of twenty.slice(0, 2)) {
      const shared = s.mentorships.find((m: { id: string }) => m.id === group);
      expect(shared.mentees.map((x: { id: string }) => x.id)).toEqual([students[0]!.id, students[1]!.id]);
    }
    expect(h.counter.count).toBe(forFive);
    // known students, mentee links, mentorships, meeting stats, goals, preferences: one statement each;
    // and the request's audit batch (ADR 0008: the mentorships and goals read are student records).
    expect(h.counter.count).toBe(7);

    h.counter.reset();
    const staff = ok(
      await h.call(
        coordinator,
        STAFF,
        reps(
          'StaffMember',
          mentors.map((m) => m.id),
        ),
      ),
    )._entities;
    expect(staff.map((m: { mentorships: unknown[] }) => m.mentorships.length)).toEqual([5, 5, 5, 5]);
    // known staff, partner schools, profiles, mentee counts, mentorships, mentees: one statement each;
    // and the request's audit batch (the mentorships read are their mentees' records).
    expect(h.counter.count).toBe(7);
  });
});

describe('events from other services', () => {
  it('apply each event once and never revive an ended agreement', async () => {
    const studentId = randomUUID();
    const envelope = {
      id: randomUUID(),
      type: 'StudentRegistered',
      version: 1,
      source: 'network',
      aggregateType: 'Student',
      aggregateId: studentId,
      sequence: 1,
      occurredAt: new Date().toISOString(),
      payload: { studentId, schoolId: w.schoolA, email: 'x@example.edu', cohortYear: 2024, priorClinicalYears: 1 },
      metadata: {},
    };
    expect(await w.consumer.apply({ envelope, previousEventId: null })).toBe('applied');
    expect(await w.consumer.apply({ envelope, previousEventId: null })).toBe('duplicate');
    const [row] = await h.dataSource.query('SELECT school_id, prior_clinical_years FROM known_student WHERE id = $1', [studentId]);
    expect(row).toEqual({ school_id: w.schoolA, prior_clinical_years: 1 });

    const agreementId = randomUUID();
    const ids = { agreementId, schoolId: w.schoolB, hospitalId: w.hospitalK };
    await w.emit('AgreementActivated', 'CollaborationAgreement', agreementId, {
      ...ids,
      departmentIds: [],
      startsOn: '2024-01-01',
      endsOn: '2030-01-01',
    });
    await w.emit('AgreementEnded', 'CollaborationAgreement', agreementId, { ...ids, endedOn: '2025-01-01' });
    await w.emit('AgreementActivated', 'CollaborationAgreement', agreementId, {
      ...ids,
      departmentIds: [],
      startsOn: '2024-01-01',
      endsOn: '2030-01-01',
    });
    const [agreement] = await h.dataSource.query('SELECT status FROM known_agreement WHERE id = $1', [agreementId]);
    expect(agreement.status).toBe('ENDED');
  });
});

describe('the HTTP answer of a signed request', () => {
  it('carries no ETag: the gateway never revalidates a POST, so hashing each body was wasted CPU', async () => {
    const s = await w.student();
    const body = JSON.stringify({ query: STUDENTS, variables: reps('Student', [s.id]) });
    const headers = signActorHeaders(s.actor, { secret: TEST_SECRET, requestId: 'etag', body });
    const response = await fetch(h.url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
    expect(response.status).toBe(200);
    expect(((await response.json()) as { data: { _entities: { id: string }[] } }).data._entities[0]!.id).toBe(s.id);
    expect(response.headers.get('etag')).toBeNull();
  });
});
