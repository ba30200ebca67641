import { type AuditRecorded, type PayloadOf } from '@medcollab/events';
import { type SubgraphHarness } from '@medcollab/testing';
import { codes, ok, startMentorship } from './support/harness';
import { M, type Person, World } from './support/world';

/**
 * The audit trail's recording side in mentorship (ADR 0008): reads of mentorships, meetings
 * (notes only when shown) and goals, and the changes of mentorships, meetings and goals inside
 * their command's transaction; a group's records are one entry per mentee.
 */
let h: SubgraphHarness;
let w: World;
let coordinator: Person;
let mentor: Person;
let a: Person;
let b: Person;
let mentorshipId: string;

type Entry = PayloadOf<typeof AuditRecorded>['entries'][number];

async function newEntries<T>(run: () => Promise<T>): Promise<{ result: T; entries: Entry[] }> {
  const [{ p }] = await h.dataSource.query(`SELECT COALESCE(MAX(position), 0) AS p FROM outbox`);
  const result = await run();
  const rows = (await h.dataSource.query(
    `SELECT payload FROM outbox WHERE event_type = 'AuditRecorded' AND position > $1 ORDER BY position`,
    [p],
  )) as { payload: PayloadOf<typeof AuditRecorded> }[];
  return { result, entries: rows.flatMap((r) => r.payload.entries) };
}

const today = () => new Date().toISOString().slice(0, 10);
const MEETINGS = `query($id: ID!) { mentorship(id: $id) { id meetings(first: 10) { edges { node { id date notes } } } } }`;

beforeAll(async () => {
  h = await startMentorship();
  w = await new World(h).setup();
  coordinator = await w.staff(w.schoolA, ['COORDINATOR']);
  mentor = await w.mentor(w.schoolA, { capacity: 3 });
  [a, b] = await Promise.all([w.student(), w.student()]);
});
afterAll(() => h.stop());

describe('changes', () => {
  it("records a group mentorship's creation and a meeting's logging once per mentee, in the command", async () => {
    const created = await newEntries(async () =>
      ok(
        await h.call(coordinator.actor, M.createMentorship, {
          input: { mentorId: mentor.id, menteeIds: [a.id, b.id], format: 'SMALL_GROUP', focus: 'CAREER', groupSizeLimit: 3 },
        }),
      ),
    );
    mentorshipId = created.result.createMentorship.id;
    const creations = created.entries.filter((e) => e.action === 'CHANGE');
    expect(creations.map((e) => e.studentId).sort()).toEqual([a.id, b.id].sort());
    for (const e of creations)
      expect(e).toMatchObject({ recordType: 'Mentorship', recordId: mentorshipId, change: 'createMentorship', schoolId: w.schoolA });

    const logged = await newEntries(async () =>
      ok(
        await h.call(mentor.actor, M.logMeeting, {
          input: { mentorshipId, date: today(), attendeeIds: [mentor.id, a.id], notes: 'Talked about the surgery elective' },
        }),
      ),
    );
    const meetingChanges = logged.entries.filter((e) => e.action === 'CHANGE');
    expect(meetingChanges).toHaveLength(2);
    for (const e of meetingChanges)
      expect(e).toMatchObject({
        recordType: 'MentorMeeting',
        recordId: logged.result.logMeeting.id,
        change: 'logMeeting',
        fields: ['date', 'notes'],
      });
  });

  it('records no change for a refused command, and keeps the reason of a pause', async () => {
    const refused = await newEntries(() => h.call(a.actor, M.pauseMentorship, { input: { mentorshipId, reason: 'x' } }));
    expect(codes(refused.result)).toEqual(['FORBIDDEN']);
    expect(refused.entries).toEqual([]);
    const paused = await newEntries(async () =>
      ok(await h.call(coordinator.actor, M.pauseMentorship, { input: { mentorshipId, reason: 'Mentor on leave' } })),
    );
    expect(paused.entries.filter((e) => e.action === 'CHANGE')).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ change: 'pauseMentorship', reason: 'Mentor on leave', fields: ['status'], studentId: a.id }),
      ]),
    );
    ok(await h.call(coordinator.actor, M.resumeMentorship, { input: { mentorshipId } }));
  });

  it("records a goal set for the student as the student's", async () => {
    const { result, entries } = await newEntries(async () =>
      ok(await h.call(a.actor, M.setDevelopmentGoal, { input: { studentId: a.id, title: 'Lead a ward round' } })),
    );
    expect(entries.filter((e) => e.action === 'CHANGE')).toEqual([
      expect.objectContaining({
        recordType: 'DevelopmentGoal',
        recordId: result.setDevelopmentGoal.id,
        studentId: a.id,
        change: 'setDevelopmentGoal',
      }),
    ]);
  });
});

describe('reads', () => {
  it("records the mentor's reading of the meeting notes for each mentee", async () => {
    const { result, entries } = await newEntries(async () => ok(await h.call(mentor.actor, MEETINGS, { id: mentorshipId })));
    const meeting = result.mentorship.meetings.edges[0].node;
    expect(meeting.notes).toBe('Talked about the surgery elective');
    const reads = entries.filter((e) => e.recordType === 'MentorMeeting');
    expect(reads.map((e) => e.studentId).sort()).toEqual([a.id, b.id].sort());
    for (const e of reads) expect(e).toMatchObject({ action: 'READ', recordId: meeting.id, fields: ['date', 'id', 'notes'] });
    expect(entries.filter((e) => e.recordType === 'Mentorship').map((e) => e.fields)).toEqual([
      ['id', 'meetings'],
      ['id', 'meetings'],
    ]);
  });

  it('does not record notes as read by a school coordinator, who is shown null', async () => {
    const { result, entries } = await newEntries(async () => ok(await h.call(coordinator.actor, MEETINGS, { id: mentorshipId })));
    expect(result.mentorship.meetings.edges[0].node.notes).toBeNull();
    const reads = entries.filter((e) => e.recordType === 'MentorMeeting');
    expect(reads).toHaveLength(2);
    for (const e of reads) expect(e.fields).toEqual(['date', 'id']);
  });

  it('records nothing for a refused read', async () => {
    const outsider = await w.staff(w.schoolB, ['COORDINATOR']);
    const { result, entries } = await newEntries(() => h.call(outsider.actor, MEETINGS, { id: mentorshipId }));
    expect(codes(result)).toEqual(['FORBIDDEN']);
    expect(entries).toEqual([]);
  });
});
