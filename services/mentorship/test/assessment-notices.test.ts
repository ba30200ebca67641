import { randomUUID } from 'node:crypto';
import { type SubgraphHarness } from '@medcollab/testing';
import { codes, ok, startMentorship } from './support/harness';
import { M, networkAdmin, type Person, staffActor, World } from './support/world';

let h: SubgraphHarness;
let w: World;

beforeAll(async () => {
  h = await startMentorship();
  w = await new World(h).setup();
});
afterAll(() => h.stop());

const NOTICES = `{ myMentorNotices { id kind student { id } mentorship { id mentor { id } } placementId hospital { id } department { id }
  startsOn endsOn submissionId taskId submissionVersion competencies { id } createdAt } }`;

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
const notices = async (person: Person) => ok(await h.call(person.actor, NOTICES)).myMentorNotices as Record<string, unknown>[];

describe('AssessmentSubmitted below the expected level', () => {
  it('tells each mentor of open (active or paused) mentorships once, naming the competencies below level', async () => {
    const s = await w.student();
    const [m1, m2, former] = await Promise.all([w.mentor(w.schoolA), w.mentor(w.hospitalH), w.mentor(w.schoolA)]);
    await w.mentorship(m1.id, [s.id]);
    const paused = await w.mentorship(m2.id, [s.id]);
    ok(await h.call(m2.actor, M.pauseMentorship, { input: { mentorshipId: paused, reason: 'leave' } }));
    const ended = await w.mentorship(former.id, [s.id]);
    ok(await h.call(former.actor, M.endMentorship, { input: { mentorshipId: ended, reason: 'moved' } }));

    const [c1, c2, c3, c4] = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];
    const p = submission(s, { results: [likert(c1, 2), entrust(c2, 1), likert(c3, 4), checklist(c4, false)] });
    await submit(p);
    await submit(p); // redelivered as another event: no second notice

    for (const m of [m1, m2]) {
      const [notice, ...rest] = await notices(m);
      expect(rest).toEqual([]);
      expect(notice).toMatchObject({
        kind: 'SUMMATIVE_BELOW_EXPECTED',
        student: { id: s.id },
        mentorship: { mentor: { id: m.id } },
        placementId: p.placementId,
        hospital: null,
        department: null,
        startsOn: null,
        endsOn: null,
        submissionId: p.submissionId,
        taskId: p.taskId,
        submissionVersion: 1,
      });
      expect((notice!.competencies as { id: string }[]).map((c) => c.id).sort()).toEqual([c1, c2].sort());
    }
    // Nobody else reads them: the ended mentorship's mentor, the student, the school's coordinator, a network admin.
    expect(await notices(former)).toEqual([]);
    expect(await notices(s)).toEqual([]);
    for (const actor of [staffActor(w.schoolA, 'COORDINATOR'), networkAdmin()]) {
      expect(ok(await h.call(actor, NOTICES)).myMentorNotices).toEqual([]);
    }
    expect(codes(await h.call(m1.actor, `{ myMentorNotices(first: 0) { id } }`))).toEqual(['BAD_USER_INPUT']);
  });

  it('tells nobody about formative, at-level or checklist-only submissions', async () => {
    const s = await w.student();
    const m = await w.mentor(w.schoolA);
    await w.mentorship(m.id, [s.id]);
    await submit(submission(s, { purpose: 'FORMATIVE', results: [likert(randomUUID(), 1), entrust(randomUUID(), 1)] }));
    await submit(submission(s, { results: [likert(randomUUID(), 3), entrust(randomUUID(), 3), likert(randomUUID(), 5)] }));
    await submit(submission(s, { results: [checklist(randomUUID(), false)], placementId: null }));
    expect(await notices(m)).toEqual([]);
  });

  it('keeps one notice per submission across amendments, and tells once when an amendment first falls below level', async () => {
    const s = await w.student();
    const m = await w.mentor(w.schoolA);
    await w.mentorship(m.id, [s.id]);
    const [c1, c2] = [randomUUID(), randomUUID()];

    // Below level from version 1; amended twice (still below, then back at level), and an old version replayed.
    const a = submission(s, { results: [likert(c1, 2)] });
    await submit(a);
    const [first] = await notices(m);
    await submit({ ...a, version: 2, competencyResults: [likert(c1, 2), likert(c2, 1)] });
    await submit({ ...a, version: 3, competencyResults: [likert(c1, 4), likert(c2, 4)] });
    await submit(a);
    const afterA = await notices(m);
    expect(afterA).toHaveLength(1);
    expect(afterA[0]).toMatchObject({ id: first!.id, submissionId: a.submissionId, submissionVersion: 2, createdAt: first!.createdAt });
    expect((afterA[0]!.competencies as { id: string }[]).map((c) => c.id).sort()).toEqual([c1, c2].sort());

    // At level in version 1: nothing; the amendment that falls below level tells once, a redelivery adds nothing.
    const b = submission(s, { placementId: null, results: [likert(c1, 4)] });
    await submit(b);
    expect(await notices(m)).toHaveLength(1);
    const amended = { ...b, version: 2, competencyResults: [likert(c1, 1)] };
    await submit(amended);
    await submit(amended);
    const afterB = await notices(m);
    expect(afterB).toHaveLength(2);
    expect(afterB.filter((n) => n.submissionId === b.submissionId)).toEqual([
      expect.objectContaining({ kind: 'SUMMATIVE_BELOW_EXPECTED', placementId: null, submissionVersion: 2, competencies: [{ id: c1 }] }),
    ]);
  });

  it('leaves placement notices working beside assessment notices of the same placement', async () => {
    const s = await w.student();
    const m = await w.mentor(w.schoolA);
    await w.mentorship(m.id, [s.id]);
    const placementId = randomUUID();
    const started = {
      placementId,
      studentId: s.id,
      schoolId: w.schoolA,
      hospitalId: w.hospitalH,
      departmentId: randomUUID(),
      blockId: randomUUID(),
      supervisorId: null,
      startsOn: '2026-09-07',
      endsOn: '2026-10-30',
      at: new Date().toISOString(),
      accessUntil: null,
    };
    await w.emit('PlacementStarted', 'Placement', placementId, started, 'rotations');
    await submit(submission(s, { placementId, results: [likert(randomUUID(), 1)] }));
    await submit(submission(s, { placementId, results: [likert(randomUUID(), 2)] }));
    await w.emit('PlacementStarted', 'Placement', placementId, started, 'rotations');
    const kinds = (await notices(m)).map((n) => n.kind).sort();
    expect(kinds).toEqual(['PLACEMENT_STARTED', 'SUMMATIVE_BELOW_EXPECTED', 'SUMMATIVE_BELOW_EXPECTED']);
  });
});
