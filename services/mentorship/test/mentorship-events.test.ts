import { type SubgraphHarness } from '@medcollab/testing';
import { codes, ok, startMentorship } from './support/harness';
import { M, type Person, World } from './support/world';

let h: SubgraphHarness;
let w: World;
let coordinator: Person;

beforeAll(async () => {
  h = await startMentorship();
  w = await new World(h).setup();
  coordinator = await w.staff(w.schoolA, ['COORDINATOR']);
});
afterAll(() => h.stop());

interface Written {
  sequence: number;
  payload: { mentorshipId: string; mentorId: string; menteeIds: string[]; status: string };
  metadata: { actorId?: string; requestId?: string };
}

/** The MentorshipChanged events of one mentorship, in order. */
const eventsOf = async (mentorshipId: string): Promise<Written[]> =>
  h.dataSource.query(
    `SELECT sequence, payload, metadata FROM outbox WHERE event_type = 'MentorshipChanged' AND aggregate_type = 'Mentorship' AND aggregate_id = $1 ORDER BY sequence`,
    [mentorshipId],
  );
const allEvents = async (): Promise<number> =>
  (await h.dataSource.query(`SELECT count(*)::int AS n FROM outbox WHERE event_type = 'MentorshipChanged'`))[0].n;

describe('MentorshipChanged in the outbox', () => {
  it('is written with the current mentor, mentees and status by every change, routed to the network, assessment and notifications', async () => {
    const mentor = await w.mentor(w.hospitalH, { capacity: 4 }, ['CLINICAL_INSTRUCTOR', 'MENTOR']);
    const [a, b] = await Promise.all([w.student(), w.student()]);
    const input = { mentorId: mentor.id, menteeIds: [a.id], format: 'SMALL_GROUP', focus: 'CLINICAL_PRACTICE', groupSizeLimit: 3 };
    const id = ok(await h.call(coordinator.actor, M.createMentorship, { input })).createMentorship.id;
    ok(await h.call(coordinator.actor, M.addMentee, { input: { mentorshipId: id, studentId: b.id } }));
    ok(await h.call(mentor.actor, M.pauseMentorship, { input: { mentorshipId: id, reason: 'leave' } }));
    ok(await h.call(mentor.actor, M.resumeMentorship, { input: { mentorshipId: id } }));
    ok(await h.call(coordinator.actor, M.endMentorship, { input: { mentorshipId: id, reason: 'done' } }));

    const events = await eventsOf(id);
    expect(events.map((e) => e.sequence)).toEqual([1, 2, 3, 4, 5]);
    const base = { mentorshipId: id, mentorId: mentor.id, schoolId: w.schoolA };
    expect(events.map((e) => e.payload)).toEqual([
      { ...base, menteeIds: [a.id], status: 'ACTIVE' },
      { ...base, menteeIds: [a.id, b.id], status: 'ACTIVE' },
      { ...base, menteeIds: [a.id, b.id], status: 'PAUSED' },
      { ...base, menteeIds: [a.id, b.id], status: 'ACTIVE' },
      { ...base, menteeIds: [a.id, b.id], status: 'ENDED' },
    ]);
    expect(events[0]!.metadata.actorId).toBe(coordinator.id);
    expect(events[1]!.metadata.actorId).toBe(coordinator.id);
    expect(events[2]!.metadata.actorId).toBe(mentor.id);
    const deliveries = await h.dataSource.query(
      `SELECT DISTINCT d.consumer FROM outbox_delivery d JOIN outbox o ON o.id = d.event_id WHERE o.aggregate_id = $1 ORDER BY d.consumer`,
      [id],
    );
    expect(deliveries).toEqual([
      { consumer: 'assessment' },
      { consumer: 'network' },
      { consumer: 'notifications' },
      { consumer: 'quality' },
    ]);
  });

  it('is written once per mentorship an accepted matching run creates', async () => {
    const cohort = 2013;
    const students = await Promise.all(Array.from({ length: 2 }, () => w.student(w.schoolA, { cohortYear: cohort })));
    const mentor = await w.mentor(w.schoolA, { capacity: 2, formats: ['ONE_ON_ONE'] });
    const run = ok(
      await h.call(coordinator.actor, M.startMatchingRun, { input: { schoolId: w.schoolA, cohortYear: cohort } }),
    ).startMatchingRun;
    expect(run.proposals).toHaveLength(2);
    const accepted = ok(await h.call(coordinator.actor, M.acceptMatchingRun, { input: { runId: run.id } })).acceptMatchingRun;
    expect(accepted.mentorships).toHaveLength(2);
    for (const m of accepted.mentorships as { id: string; mentees: { id: string }[] }[]) {
      const events = await eventsOf(m.id);
      expect(events.map((e) => e.payload)).toEqual([
        { mentorshipId: m.id, mentorId: mentor.id, schoolId: w.schoolA, menteeIds: m.mentees.map((s) => s.id), status: 'ACTIVE' },
      ]);
    }
    expect(accepted.mentorships.flatMap((m: { mentees: { id: string }[] }) => m.mentees.map((s) => s.id)).sort()).toEqual(
      students.map((s) => s.id).sort(),
    );
  });

  it('is not written when a change is refused', async () => {
    const mentor = await w.mentor(w.schoolA, { capacity: 1 });
    const [a, b] = await Promise.all([w.student(), w.student()]);
    const id = await w.mentorship(mentor.id, [a.id]);
    const before = await allEvents();
    // Over capacity (create, add), resuming an ACTIVE mentorship, and a forbidden caller: no event.
    const full = await h.call(coordinator.actor, M.createMentorship, {
      input: { mentorId: mentor.id, menteeIds: [b.id], format: 'ONE_ON_ONE', focus: 'CAREER' },
    });
    expect(codes(full)).toEqual(['CONFLICT']);
    expect(codes(await h.call(coordinator.actor, M.addMentee, { input: { mentorshipId: id, studentId: b.id } }))).toEqual(['CONFLICT']);
    expect(codes(await h.call(coordinator.actor, M.resumeMentorship, { input: { mentorshipId: id } }))).toEqual(['CONFLICT']);
    const stranger = await w.staff(w.schoolB, ['COORDINATOR']);
    expect(codes(await h.call(stranger.actor, M.endMentorship, { input: { mentorshipId: id, reason: 'no' } }))).toEqual(['FORBIDDEN']);
    expect(await allEvents()).toBe(before);
    expect(await eventsOf(id)).toHaveLength(1);
  });
});

describe('meeting and goal events in the outbox', () => {
  const payloadsOf = async (type: string, aggregateId: string) =>
    (
      (await h.dataSource.query(`SELECT payload FROM outbox WHERE event_type = $1 AND aggregate_id = $2 ORDER BY sequence`, [
        type,
        aggregateId,
      ])) as { payload: Record<string, unknown> }[]
    ).map((r) => r.payload);

  it('writes MentorshipMeetingLogged without the notes, naming who attended', async () => {
    const mentor = await w.mentor(w.hospitalH, { capacity: 4 }, ['CLINICAL_INSTRUCTOR', 'MENTOR']);
    const [a, b] = await Promise.all([w.student(), w.student()]);
    const id = await w.mentorship(mentor.id, [a.id, b.id], 'SMALL_GROUP');
    const date = new Date().toISOString().slice(0, 10);
    const meeting = ok(
      await h.call(mentor.actor, M.logMeeting, { input: { mentorshipId: id, date, attendeeIds: [mentor.id, b.id], notes: 'private' } }),
    ).logMeeting;
    expect(await payloadsOf('MentorshipMeetingLogged', meeting.id)).toEqual([
      {
        meetingId: meeting.id,
        mentorshipId: id,
        mentorId: mentor.id,
        schoolId: w.schoolA,
        metOn: date,
        mentorAttended: true,
        attendingMenteeIds: [b.id],
      },
    ]);
  });

  it('writes DevelopmentGoalChanged with the goal state on every change, and nothing for a refused one', async () => {
    const student = await w.student();
    const goal = ok(
      await h.call(student.actor, M.setDevelopmentGoal, { input: { studentId: student.id, title: 'Lead a ward round' } }),
    ).setDevelopmentGoal;
    ok(await h.call(student.actor, M.updateDevelopmentGoal, { input: { id: goal.id, status: 'IN_PROGRESS' } }));
    expect(codes(await h.call(student.actor, M.updateDevelopmentGoal, { input: { id: goal.id, status: 'ACHIEVED' } }))).toEqual([
      'BAD_USER_INPUT',
    ]);
    const events = await payloadsOf('DevelopmentGoalChanged', goal.id);
    expect(events.map((e) => e.status)).toEqual(['OPEN', 'IN_PROGRESS']);
    expect(events[0]).toMatchObject({
      goalId: goal.id,
      studentId: student.id,
      schoolId: w.schoolA,
      pendingAcceptance: false,
      proposedByMentor: false,
      competencyId: null,
    });
    expect(events[0]).not.toHaveProperty('title');
  });
});
