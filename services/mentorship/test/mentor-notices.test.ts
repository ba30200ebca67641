import { randomUUID } from 'node:crypto';
import { type SubgraphHarness } from '@medcollab/testing';
import { ok, startMentorship } from './support/harness';
import { M, type Person, World } from './support/world';

let h: SubgraphHarness;
let w: World;

beforeAll(async () => {
  h = await startMentorship();
  w = await new World(h).setup();
});
afterAll(() => h.stop());

/**
 * Mentorship decides who is told what about a mentee and publishes it (MentorNoticeRaised, routed
 * to notifications, which delivers it: services/notifications/test/mentor-notices.test.ts and the
 * e2e test). These tests read what mentorship wrote to its outbox.
 */
interface Raised {
  noticeId: string;
  kind: string;
  noticeKey: string;
  mentorId: string;
  mentorshipId: string;
  studentId: string;
  schoolId: string | null;
  placementId: string | null;
  hospitalId: string | null;
  departmentId: string | null;
  startsOn: string | null;
  endsOn: string | null;
  submissionId: string | null;
  submissionVersion: number | null;
  taskId: string | null;
  instrumentKind: string | null;
  competencyIds: string[];
  raisedAt: string;
}
/** The notices raised for one mentor, in the order they were written. */
const raisedFor = async (mentor: Person): Promise<Raised[]> =>
  (
    (await h.dataSource.query(
      `SELECT payload FROM outbox WHERE event_type = 'MentorNoticeRaised' AND payload->>'mentorId' = $1 ORDER BY position`,
      [mentor.id],
    )) as { payload: Raised }[]
  ).map((r) => r.payload);

type Result = {
  competencyId: string;
  itemKey: string;
  scaleType: 'LIKERT' | 'NOTSS' | 'ENTRUSTMENT' | 'CHECKLIST';
  entrustmentMode: 'RETROSPECTIVE' | 'PROSPECTIVE' | null;
  value: number;
  min: number;
  max: number;
};
const likert = (competencyId: string, value: number): Result => ({
  competencyId,
  itemKey: `i-${value}`,
  scaleType: 'LIKERT',
  entrustmentMode: null,
  value,
  min: 1,
  max: 5,
});
const entrust = (competencyId: string, value: number): Result => ({
  competencyId,
  itemKey: 'epa',
  scaleType: 'ENTRUSTMENT',
  entrustmentMode: 'RETROSPECTIVE',
  value,
  min: 1,
  max: 5,
});
const checklist = (competencyId: string, done: boolean): Result => ({
  competencyId,
  itemKey: 'step',
  scaleType: 'CHECKLIST',
  entrustmentMode: null,
  value: done ? 1 : 0,
  min: 0,
  max: 1,
});

function submission(
  student: Person,
  over: {
    purpose?: 'FORMATIVE' | 'SUMMATIVE';
    version?: number;
    submissionId?: string;
    taskId?: string;
    placementId?: string | null;
    results: Result[];
  },
) {
  return {
    taskId: over.taskId ?? randomUUID(),
    submissionId: over.submissionId ?? randomUUID(),
    version: over.version ?? 1,
    studentId: student.id,
    schoolId: student.institutionId,
    assessorId: randomUUID(),
    instrumentId: randomUUID(),
    instrumentKind: 'MINI_CEX' as const,
    purpose: over.purpose ?? 'SUMMATIVE',
    placementId: over.placementId === undefined ? randomUUID() : over.placementId,
    submittedAt: new Date().toISOString(),
    competencyResults: over.results,
  };
}
const submit = (p: ReturnType<typeof submission>) => w.emit('AssessmentSubmitted', 'Submission', p.submissionId, p, 'assessment');

describe('AssessmentSubmitted below the expected level', () => {
  it('raises one notice per mentor of open (active or paused) mentorships, naming the competencies below level', async () => {
    const s = await w.student();
    const [m1, m2, former] = await Promise.all([w.mentor(w.schoolA), w.mentor(w.hospitalH), w.mentor(w.schoolA)]);
    const active = await w.mentorship(m1.id, [s.id]);
    const paused = await w.mentorship(m2.id, [s.id]);
    ok(await h.call(m2.actor, M.pauseMentorship, { input: { mentorshipId: paused, reason: 'leave' } }));
    const ended = await w.mentorship(former.id, [s.id]);
    ok(await h.call(former.actor, M.endMentorship, { input: { mentorshipId: ended, reason: 'moved' } }));

    const [c1, c2, c3, c4] = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];
    const p = submission(s, { results: [likert(c1, 2), entrust(c2, 1), likert(c3, 4), checklist(c4, false)] });
    await submit(p);

    for (const [m, mentorshipId] of [
      [m1, active],
      [m2, paused],
    ] as const) {
      const [notice, ...rest] = await raisedFor(m);
      expect(rest).toEqual([]);
      expect(notice).toMatchObject({
        kind: 'SUMMATIVE_BELOW_EXPECTED',
        noticeKey: `submission:${p.submissionId}`,
        mentorId: m.id,
        mentorshipId,
        studentId: s.id,
        schoolId: w.schoolA,
        placementId: p.placementId,
        hospitalId: null,
        departmentId: null,
        startsOn: null,
        endsOn: null,
        submissionId: p.submissionId,
        taskId: p.taskId,
        submissionVersion: 1,
        instrumentKind: 'MINI_CEX',
      });
      expect([...notice!.competencyIds].sort()).toEqual([c1, c2].sort());
    }
    // The ended mentorship's mentor is not told; nothing is routed anywhere but notifications.
    expect(await raisedFor(former)).toEqual([]);
    const consumers = (await h.dataSource.query(
      `SELECT DISTINCT d.consumer FROM outbox_delivery d JOIN outbox o ON o.id = d.event_id WHERE o.event_type = 'MentorNoticeRaised'`,
    )) as { consumer: string }[];
    expect(consumers).toEqual([{ consumer: 'notifications' }]);
  });

  it('raises nothing for formative, at-level or checklist-only submissions', async () => {
    const s = await w.student();
    const m = await w.mentor(w.schoolA);
    await w.mentorship(m.id, [s.id]);
    await submit(submission(s, { purpose: 'FORMATIVE', results: [likert(randomUUID(), 1), entrust(randomUUID(), 1)] }));
    await submit(submission(s, { results: [likert(randomUUID(), 3), entrust(randomUUID(), 3), likert(randomUUID(), 5)] }));
    await submit(submission(s, { results: [checklist(randomUUID(), false)], placementId: null }));
    expect(await raisedFor(m)).toEqual([]);
  });

  it('keys every version of a submission alike (notifications tells once), and raises for an amendment that first falls below level', async () => {
    const s = await w.student();
    const m = await w.mentor(w.schoolA);
    await w.mentorship(m.id, [s.id]);
    const [c1, c2] = [randomUUID(), randomUUID()];

    const a = submission(s, { results: [likert(c1, 2)] });
    await submit(a);
    await submit({ ...a, version: 2, competencyResults: [likert(c1, 2), likert(c2, 1)] });
    await submit({ ...a, version: 3, competencyResults: [likert(c1, 4), likert(c2, 4)] }); // back at level: nothing
    const afterA = await raisedFor(m);
    expect(afterA.map((n) => [n.noticeKey, n.submissionVersion])).toEqual([
      [`submission:${a.submissionId}`, 1],
      [`submission:${a.submissionId}`, 2],
    ]);

    const b = submission(s, { placementId: null, results: [likert(c1, 4)] });
    await submit(b);
    expect(await raisedFor(m)).toHaveLength(2);
    await submit({ ...b, version: 2, competencyResults: [likert(c1, 1)] });
    const afterB = (await raisedFor(m)).filter((n) => n.submissionId === b.submissionId);
    expect(afterB).toEqual([
      expect.objectContaining({ kind: 'SUMMATIVE_BELOW_EXPECTED', placementId: null, submissionVersion: 2, competencyIds: [c1] }),
    ]);
  });
});

describe('PlacementStarted', () => {
  it('raises one notice per mentor of open mentorships, keyed by the placement, beside assessment notices of it', async () => {
    const s = await w.student();
    const [m1, m2, former] = await Promise.all([w.mentor(w.schoolA), w.mentor(w.hospitalH), w.mentor(w.schoolA)]);
    await w.mentorship(m1.id, [s.id]);
    await w.mentorship(m2.id, [s.id]);
    const ended = await w.mentorship(former.id, [s.id]);
    ok(await h.call(former.actor, M.endMentorship, { input: { mentorshipId: ended, reason: 'moved' } }));
    const placementId = randomUUID();
    const departmentId = randomUUID();
    const started = {
      placementId,
      studentId: s.id,
      schoolId: w.schoolA,
      hospitalId: w.hospitalH,
      departmentId,
      blockId: randomUUID(),
      supervisorId: null,
      startsOn: '2026-09-07',
      endsOn: '2026-10-30',
      at: new Date().toISOString(),
      accessUntil: null,
    };
    await w.emit('PlacementStarted', 'Placement', placementId, started, 'rotations');
    await submit(submission(s, { placementId, results: [likert(randomUUID(), 1)] }));
    for (const m of [m1, m2]) {
      const raised = await raisedFor(m);
      expect(raised.map((n) => n.kind)).toEqual(['PLACEMENT_STARTED', 'SUMMATIVE_BELOW_EXPECTED']);
      expect(raised[0]).toMatchObject({
        noticeKey: `placement:${placementId}`,
        studentId: s.id,
        placementId,
        hospitalId: w.hospitalH,
        departmentId,
        startsOn: '2026-09-07',
        endsOn: '2026-10-30',
        submissionId: null,
        competencyIds: [],
      });
    }
    expect(await raisedFor(former)).toEqual([]);
  });
});

describe('the migration that moved notices out (1766100000000)', () => {
  it('is reversible: down recreates the mentor_notice table, up drops it again', async () => {
    const table = async () =>
      ((await h.dataSource.query(`SELECT to_regclass('mentor_notice')::text AS t`)) as { t: string | null }[])[0]!.t;
    const last = async () => Number(((await h.dataSource.query(`SELECT max(timestamp) AS t FROM migrations`)) as { t: string }[])[0]!.t);
    expect(await table()).toBeNull();
    while ((await last()) > 1766100000000) await h.dataSource.undoLastMigration();
    await h.dataSource.undoLastMigration();
    expect(await table()).toBe('mentor_notice');
    await h.dataSource.runMigrations();
    expect(await table()).toBeNull();
  });
});
