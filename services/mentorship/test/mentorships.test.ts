import { type SubgraphHarness } from '@medcollab/testing';
import { codes, ok, startMentorship } from './support/harness';
import { M, networkAdmin, type Person, staffActor, World } from './support/world';

let h: SubgraphHarness;
let w: World;
let coordinator: Person;

beforeAll(async () => {
  h = await startMentorship();
  w = await new World(h).setup();
  coordinator = await w.staff(w.schoolA, ['COORDINATOR']);
});
afterAll(() => h.stop());

const today = () => new Date().toISOString().slice(0, 10);
const MENTORSHIP = `query($id: ID!) { mentorship(id: $id) { id status meetingCount lastMeetingOn
  meetings(first: 10) { edges { node { id date notes mentorAttended attendingMentees { id } } } pageInfo { hasNextPage endCursor } } } }`;

describe('createMentorship and addMentee', () => {
  it('creates a small group within its limit and the mentor capacity, then adds mentees', async () => {
    const mentor = await w.mentor(w.hospitalH, { capacity: 3 }, ['CLINICAL_INSTRUCTOR', 'MENTOR']);
    const [a, b, c, d] = await Promise.all([w.student(), w.student(), w.student(), w.student()]);
    const input = { mentorId: mentor.id, menteeIds: [a.id, b.id], format: 'SMALL_GROUP', focus: 'CLINICAL_PRACTICE', groupSizeLimit: 3 };
    const created = ok(await h.call(coordinator.actor, M.createMentorship, { input })).createMentorship;
    expect(created).toMatchObject({
      status: 'ACTIVE',
      format: 'SMALL_GROUP',
      groupSizeLimit: 3,
      mentor: { id: mentor.id },
      mentees: [{ id: a.id }, { id: b.id }],
      school: { id: w.schoolA },
    });
    // The mentor is at a partner hospital: the school adds the mentee, the mentor may not.
    expect(codes(await h.call(mentor.actor, M.addMentee, { input: { mentorshipId: created.id, studentId: c.id } }))).toEqual(['FORBIDDEN']);
    const added = ok(await h.call(coordinator.actor, M.addMentee, { input: { mentorshipId: created.id, studentId: c.id } })).addMentee;
    expect(added.mentees.map((m: { id: string }) => m.id)).toEqual([a.id, b.id, c.id]);
    // Group full, and the mentor is at capacity anyway.
    expect(codes(await h.call(coordinator.actor, M.addMentee, { input: { mentorshipId: created.id, studentId: d.id } }))).toEqual([
      'CONFLICT',
    ]);
    const oneMore = await h.call(coordinator.actor, M.createMentorship, {
      input: { mentorId: mentor.id, menteeIds: [d.id], format: 'ONE_ON_ONE', focus: 'CAREER' },
    });
    expect(codes(oneMore)).toEqual(['CONFLICT']); // three of three places taken
  });

  it('refuses a format the mentor does not offer', async () => {
    const groupsOnly = await w.mentor(w.schoolA, { formats: ['SMALL_GROUP'] });
    const s = await w.student();
    const refused = await h.call(coordinator.actor, M.createMentorship, {
      input: { mentorId: groupsOnly.id, menteeIds: [s.id], format: 'ONE_ON_ONE', focus: 'CAREER' },
    });
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'format' });
  });

  it('refuses a full mentor, a mentor out of reach, mixed schools and repeated mentees with clear errors', async () => {
    const full = await w.mentor(w.schoolA, { capacity: 1 });
    const [a, b] = await Promise.all([w.student(), w.student()]);
    await w.mentorship(full.id, [a.id]);
    const overCapacity = await h.call(coordinator.actor, M.createMentorship, {
      input: { mentorId: full.id, menteeIds: [b.id], format: 'ONE_ON_ONE', focus: 'CAREER' },
    });
    expect(codes(overCapacity)).toEqual(['CONFLICT']);
    expect(overCapacity.errors?.[0]?.message).toMatch(/0 places left/);

    const faraway = await w.mentor(w.hospitalK);
    const outOfReach = await h.call(coordinator.actor, M.createMentorship, {
      input: { mentorId: faraway.id, menteeIds: [b.id], format: 'ONE_ON_ONE', focus: 'CAREER' },
    });
    expect(codes(outOfReach)).toEqual(['CONFLICT']);
    expect(outOfReach.errors?.[0]?.message).toMatch(/partner hospital under an active agreement/);

    const other = await w.student(w.schoolB);
    const open = await w.mentor(w.schoolA, { capacity: 5 });
    const mixed = await h.call(networkAdmin(), M.createMentorship, {
      input: { mentorId: open.id, menteeIds: [b.id, other.id], format: 'SMALL_GROUP', focus: 'CAREER', groupSizeLimit: 3 },
    });
    expect(codes(mixed)).toEqual(['BAD_USER_INPUT']);
    const unknown = await h.call(coordinator.actor, M.createMentorship, {
      input: { mentorId: open.id, menteeIds: ['5f0c9f34-4f7a-4f8e-9d3e-7b1c2a3d4e5f'], format: 'ONE_ON_ONE', focus: 'CAREER' },
    });
    expect(unknown.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'menteeIds' });
    await w.mentorship(open.id, [b.id]);
    expect(
      codes(
        await h.call(coordinator.actor, M.createMentorship, {
          input: { mentorId: open.id, menteeIds: [b.id], format: 'ONE_ON_ONE', focus: 'RESEARCH' },
        }),
      ),
    ).toEqual(['CONFLICT']);
  });

  it("refuses a partner hospital's mentor who takes a school's student without the school", async () => {
    const mentor = await w.mentor(w.hospitalH, { capacity: 5 }, ['CLINICAL_INSTRUCTOR', 'MENTOR']);
    const [s, t] = await Promise.all([w.student(), w.student()]);
    const input = { mentorId: mentor.id, menteeIds: [s.id], format: 'ONE_ON_ONE', focus: 'CLINICAL_PRACTICE' };
    const refused = await h.call(mentor.actor, M.createMentorship, { input });
    expect(codes(refused)).toEqual(['FORBIDDEN']);
    expect(refused.errors?.[0]?.message).toMatch(/needs the school/);
    expect(await h.dataSource.query('SELECT id FROM mentorship WHERE mentor_id = $1', [mentor.id])).toEqual([]);
    // With the school's approval (its coordinator makes it), the same mentorship is made.
    expect(ok(await h.call(coordinator.actor, M.createMentorship, { input })).createMentorship.status).toBe('ACTIVE');
    const group = { mentorId: mentor.id, menteeIds: [t.id], format: 'SMALL_GROUP', focus: 'RESEARCH', groupSizeLimit: 3 };
    expect(codes(await h.call(mentor.actor, M.createMentorship, { input: group }))).toEqual(['FORBIDDEN']);
  });

  it('refuses another institution and another role', async () => {
    const mentor = await w.mentor(w.schoolA, { capacity: 5 });
    const s = await w.student();
    const input = { mentorId: mentor.id, menteeIds: [s.id], format: 'ONE_ON_ONE', focus: 'CAREER' };
    expect(codes(await h.call(staffActor(w.schoolB, 'COORDINATOR'), M.createMentorship, { input }))).toEqual(['FORBIDDEN']);
    expect(codes(await h.call(staffActor(w.hospitalH, 'COORDINATOR'), M.createMentorship, { input }))).toEqual(['FORBIDDEN']);
    expect(codes(await h.call(staffActor(w.schoolA, 'TEACHER'), M.createMentorship, { input }))).toEqual(['FORBIDDEN']);
    expect(codes(await h.call(s.actor, M.createMentorship, { input }))).toEqual(['FORBIDDEN']);
    // Another mentor cannot create mentorships in someone else's name.
    expect(codes(await h.call(staffActor(w.schoolA, 'MENTOR'), M.createMentorship, { input }))).toEqual(['FORBIDDEN']);
    // The mentor may take the mentee themself.
    expect(ok(await h.call(mentor.actor, M.createMentorship, { input })).createMentorship.status).toBe('ACTIVE');
    const id = (await h.dataSource.query('SELECT id FROM mentorship WHERE mentor_id = $1', [mentor.id]))[0].id;
    const t = await w.student();
    expect(
      codes(await h.call(staffActor(w.schoolB, 'COORDINATOR'), M.addMentee, { input: { mentorshipId: id, studentId: t.id } })),
    ).toEqual(['FORBIDDEN']);
  });
});

describe('the mentorship lifecycle', () => {
  it('pauses with a reason, resumes, ends for good, and frees the capacity when it ends', async () => {
    const mentor = await w.mentor(w.schoolA, { capacity: 1 });
    const [a, b] = await Promise.all([w.student(), w.student()]);
    const id = await w.mentorship(mentor.id, [a.id]);
    const paused = ok(
      await h.call(mentor.actor, M.pauseMentorship, { input: { mentorshipId: id, reason: 'Mentor on leave' } }),
    ).pauseMentorship;
    expect(paused).toMatchObject({ status: 'PAUSED', statusReason: 'Mentor on leave', endedAt: null });
    // A paused mentee still holds the seat.
    expect(
      codes(
        await h.call(coordinator.actor, M.createMentorship, {
          input: { mentorId: mentor.id, menteeIds: [b.id], format: 'ONE_ON_ONE', focus: 'CAREER' },
        }),
      ),
    ).toEqual(['CONFLICT']);
    expect(codes(await h.call(mentor.actor, M.pauseMentorship, { input: { mentorshipId: id, reason: 'again' } }))).toEqual(['CONFLICT']);
    expect(ok(await h.call(coordinator.actor, M.resumeMentorship, { input: { mentorshipId: id } })).resumeMentorship).toMatchObject({
      status: 'ACTIVE',
      statusReason: 'Mentor on leave',
    });
    const ended = ok(
      await h.call(coordinator.actor, M.endMentorship, { input: { mentorshipId: id, reason: 'Student graduated' } }),
    ).endMentorship;
    expect(ended.status).toBe('ENDED');
    expect(ended.endedAt).toBeTruthy();
    expect(codes(await h.call(coordinator.actor, M.resumeMentorship, { input: { mentorshipId: id } }))).toEqual(['CONFLICT']);
    expect(
      ok(
        await h.call(coordinator.actor, M.createMentorship, {
          input: { mentorId: mentor.id, menteeIds: [b.id], format: 'ONE_ON_ONE', focus: 'CAREER' },
        }),
      ).createMentorship.status,
    ).toBe('ACTIVE');
  });

  it('needs a reason, and refuses mentees, other roles and other institutions', async () => {
    const mentor = await w.mentor(w.schoolA);
    const s = await w.student();
    const id = await w.mentorship(mentor.id, [s.id]);
    expect(codes(await h.call(mentor.actor, M.endMentorship, { input: { mentorshipId: id, reason: '' } }))).toEqual(['BAD_USER_INPUT']);
    for (const actor of [
      s.actor,
      staffActor(w.schoolA, 'TEACHER'),
      staffActor(w.schoolB, 'COORDINATOR'),
      staffActor(w.hospitalH, 'INSTITUTION_ADMIN'),
    ]) {
      expect(codes(await h.call(actor, M.pauseMentorship, { input: { mentorshipId: id, reason: 'x' } }))).toEqual(['FORBIDDEN']);
    }
    expect(
      codes(await h.call(mentor.actor, M.endMentorship, { input: { mentorshipId: '5f0c9f34-4f7a-4f8e-9d3e-7b1c2a3d4e5f', reason: 'x' } })),
    ).toEqual(['NOT_FOUND']);
  });
});

describe('meetings', () => {
  let mentor: Person;
  let a: Person;
  let b: Person;
  let id: string;

  beforeAll(async () => {
    mentor = await w.mentor(w.hospitalH, { capacity: 4 }, ['CLINICAL_INSTRUCTOR', 'MENTOR']);
    [a, b] = await Promise.all([w.student(), w.student()]);
    id = await w.mentorship(mentor.id, [a.id, b.id], 'SMALL_GROUP');
  });

  it('are logged by the mentor or a mentee, with attendees from the mentorship only', async () => {
    const first = ok(
      await h.call(mentor.actor, M.logMeeting, {
        input: { mentorshipId: id, date: today(), attendeeIds: [mentor.id, a.id], notes: 'Discussed the ICU rotation' },
      }),
    ).logMeeting;
    expect(first).toMatchObject({
      date: today(),
      mentorAttended: true,
      attendingMentees: [{ id: a.id }],
      notes: 'Discussed the ICU rotation',
      loggedById: mentor.id,
    });
    ok(
      await h.call(b.actor, M.logMeeting, {
        input: { mentorshipId: id, date: today(), attendeeIds: [b.id, mentor.id], notes: 'Case presentation practice' },
      }),
    );
    const stranger = await w.student();
    const bad = await h.call(mentor.actor, M.logMeeting, { input: { mentorshipId: id, date: today(), attendeeIds: [stranger.id] } });
    expect(bad.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'attendeeIds', strangers: [stranger.id] });
    expect(
      codes(await h.call(mentor.actor, M.logMeeting, { input: { mentorshipId: id, date: '2099-01-01', attendeeIds: [mentor.id] } })),
    ).toEqual(['BAD_USER_INPUT']);
    expect(
      codes(await h.call(mentor.actor, M.logMeeting, { input: { mentorshipId: id, date: 'yesterday', attendeeIds: [mentor.id] } })),
    ).toEqual(['BAD_USER_INPUT']);
  });

  it('are refused to coordinators, other roles and other institutions', async () => {
    const input = { mentorshipId: id, date: today(), attendeeIds: [mentor.id] };
    for (const actor of [
      coordinator.actor,
      staffActor(w.schoolA, 'TEACHER'),
      staffActor(w.schoolB, 'COORDINATOR'),
      networkAdmin(),
      (await w.student()).actor,
    ]) {
      expect(codes(await h.call(actor, M.logMeeting, { input }))).toEqual(['FORBIDDEN']);
    }
  });

  it('show their notes to the mentor and the mentees only; coordinators see counts and dates, notes null', async () => {
    for (const member of [mentor, a, b]) {
      const seen = ok(await h.call(member.actor, MENTORSHIP, { id })).mentorship;
      expect(seen.meetingCount).toBe(2);
      expect(seen.meetings.edges.map((e: { node: { notes: string } }) => e.node.notes).sort()).toEqual([
        'Case presentation practice',
        'Discussed the ICU rotation',
      ]);
    }
    for (const outsider of [coordinator.actor, staffActor(w.schoolA, 'TEACHER'), networkAdmin()]) {
      const response = await h.call(outsider, MENTORSHIP, { id });
      expect(response.errors).toBeUndefined();
      const seen = response.data!.mentorship;
      expect(seen.meetingCount).toBe(2);
      expect(seen.lastMeetingOn).toBe(today());
      expect(seen.meetings.edges.map((e: { node: { notes: string | null } }) => e.node.notes)).toEqual([null, null]);
      expect(JSON.stringify(response)).not.toMatch(/ICU rotation|Case presentation/);
    }
    // Through _entities too.
    const meetingId = (await h.dataSource.query('SELECT id FROM mentor_meeting WHERE mentorship_id = $1 LIMIT 1', [id]))[0].id;
    const ENTITY = `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on MentorMeeting { notes } } }`;
    expect(ok(await h.call(coordinator.actor, ENTITY, { reps: [{ __typename: 'MentorMeeting', id: meetingId }] }))._entities).toEqual([
      { notes: null },
    ]);
    expect(ok(await h.call(a.actor, ENTITY, { reps: [{ __typename: 'MentorMeeting', id: meetingId }] }))._entities[0].notes).toBeTruthy();
  });

  it('and their mentorship are hidden from other schools and unrelated students', async () => {
    for (const outsider of [staffActor(w.schoolB, 'COORDINATOR'), staffActor(w.hospitalK, 'COORDINATOR'), (await w.student()).actor]) {
      const response = await h.call(outsider, MENTORSHIP, { id });
      expect(codes(response)).toEqual(['FORBIDDEN']);
      expect(response.data?.mentorship ?? null).toBeNull();
    }
  });

  it('page latest first, and are refused on an ended mentorship', async () => {
    const solo = await w.student();
    const mid = await w.mentorship(mentor.id, [solo.id]);
    for (const day of [1, 2, 3]) {
      const date = new Date(Date.now() - day * 86_400_000).toISOString().slice(0, 10);
      await h.dataSource.query(`UPDATE mentorship SET created_at = now() - interval '10 days' WHERE id = $1`, [mid]);
      ok(await h.call(solo.actor, M.logMeeting, { input: { mentorshipId: mid, date, attendeeIds: [solo.id] } }));
    }
    const PAGE = `query($id: ID!, $after: String) { mentorship(id: $id) { meetings(first: 2, after: $after) { edges { node { date } } pageInfo { hasNextPage endCursor } } } }`;
    const one = ok(await h.call(solo.actor, PAGE, { id: mid })).mentorship.meetings;
    expect(one.pageInfo.hasNextPage).toBe(true);
    const two = ok(await h.call(solo.actor, PAGE, { id: mid, after: one.pageInfo.endCursor })).mentorship.meetings;
    const dates = [...one.edges, ...two.edges].map((e: { node: { date: string } }) => e.node.date);
    expect(dates).toEqual([...dates].sort().reverse());
    expect(dates).toHaveLength(3);
    ok(await h.call(mentor.actor, M.endMentorship, { input: { mentorshipId: mid, reason: 'done' } }));
    expect(
      codes(await h.call(mentor.actor, M.logMeeting, { input: { mentorshipId: mid, date: today(), attendeeIds: [mentor.id] } })),
    ).toEqual(['CONFLICT']);
  });
});
