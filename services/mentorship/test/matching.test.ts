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

interface Proposal {
  student: { id: string };
  mentor: { id: string };
  score: number;
}

describe('a matching run for a school cohort', () => {
  it('proposes mentors within capacity, is accepted by a coordinator, and creates the mentorships at once', async () => {
    const cohort = 2021;
    const students = await Promise.all(Array.from({ length: 5 }, () => w.student(w.schoolA, { cohortYear: cohort })));
    const research = students[0]!;
    await w.enroll(research.id, 'RESEARCH');
    const alreadyMatched = await w.student(w.schoolA, { cohortYear: cohort });
    const groupOnly = await w.mentor(w.schoolA, { capacity: 2, formats: ['SMALL_GROUP'], researchActive: false });
    const researcher = await w.mentor(w.hospitalH, { capacity: 1, researchActive: true, formats: ['ONE_ON_ONE'] });
    const busy = await w.mentor(w.schoolA, { capacity: 2, formats: ['ONE_ON_ONE'] });
    await w.mentorship(busy.id, [alreadyMatched.id]);
    await w.student(w.schoolA, { cohortYear: cohort + 1 }); // another cohort: left alone

    const run = ok(
      await h.call(coordinator.actor, M.startMatchingRun, { input: { schoolId: w.schoolA, cohortYear: cohort } }),
    ).startMatchingRun;
    expect(run).toMatchObject({ status: 'PROPOSED', mechanism: 'OPTIMAL', cohortYear: cohort, programId: null, school: { id: w.schoolA } });
    // Seats: groupOnly 2 + researcher 1 + busy 1 = 4 for 5 students; the research student needs the researcher.
    expect(run.proposals).toHaveLength(4);
    expect(run.unmatchedStudents).toHaveLength(1);
    const proposed = run.proposals.map((p: Proposal) => p.student.id);
    expect(proposed).not.toContain(alreadyMatched.id);
    expect(run.proposals.find((p: Proposal) => p.student.id === research.id)?.mentor.id).toBe(researcher.id);
    const perMentor = (id: string) => run.proposals.filter((p: Proposal) => p.mentor.id === id).length;
    expect([perMentor(groupOnly.id), perMentor(researcher.id), perMentor(busy.id)]).toEqual([2, 1, 1]);
    expect(run.totalScore).toBe(run.proposals.reduce((s: number, p: Proposal) => s + p.score, 0));
    expect(run.proposals[0].reasons.length).toBeGreaterThan(0);

    const accepted = ok(await h.call(coordinator.actor, M.acceptMatchingRun, { input: { runId: run.id } })).acceptMatchingRun;
    expect(accepted.status).toBe('ACCEPTED');
    expect(accepted.decidedAt).toBeTruthy();
    // One-on-one per student where offered; the group-only mentor gets one small group.
    const formats = accepted.mentorships.map((m: { format: string; mentees: unknown[] }) => `${m.format}:${m.mentees.length}`).sort();
    expect(formats).toEqual(['ONE_ON_ONE:1', 'ONE_ON_ONE:1', 'SMALL_GROUP:2']);
    const researchMentorship = accepted.mentorships.find((m: { mentor: { id: string } }) => m.mentor.id === researcher.id);
    expect(researchMentorship.focus).toBe('RESEARCH');
    const [{ n }] = await h.dataSource.query(
      `SELECT max(c)::int AS n FROM (SELECT count(*) AS c FROM mentorship m JOIN mentorship_mentee mm ON mm.mentorship_id = m.id WHERE m.mentor_id = $1) x`,
      [busy.id],
    );
    expect(n).toBe(2);

    // Decided once: a second accept or a reject is a CONFLICT.
    expect(codes(await h.call(coordinator.actor, M.acceptMatchingRun, { input: { runId: run.id } }))).toEqual(['CONFLICT']);
    expect(codes(await h.call(coordinator.actor, M.rejectMatchingRun, { input: { runId: run.id, reason: 'late' } }))).toEqual(['CONFLICT']);
    // Running again matches only the one left.
    const again = ok(
      await h.call(coordinator.actor, M.startMatchingRun, { input: { schoolId: w.schoolA, cohortYear: cohort } }),
    ).startMatchingRun;
    expect(again.proposals).toHaveLength(0);
    expect(again.unmatchedStudents).toHaveLength(1);
  });

  it('refuses acceptance as a whole when capacities changed since the run, creating nothing', async () => {
    const cohort = 2019;
    const [a, b] = await Promise.all([w.student(w.schoolA, { cohortYear: cohort }), w.student(w.schoolA, { cohortYear: cohort })]);
    const mentor = await w.mentor(w.schoolA, { capacity: 2 });
    // Give this mentor the only seats, so the run fills them exactly.
    await h.dataSource.query(`UPDATE mentor_profile SET accepting_mentees = false WHERE staff_id <> $1`, [mentor.id]);
    const run = ok(
      await h.call(coordinator.actor, M.startMatchingRun, { input: { schoolId: w.schoolA, cohortYear: cohort } }),
    ).startMatchingRun;
    expect(run.proposals.map((p: Proposal) => p.mentor.id)).toEqual([mentor.id, mentor.id]);

    // Meanwhile someone gives the mentor another mentee.
    await w.mentorship(mentor.id, [(await w.student()).id]);
    const before = await h.dataSource.query('SELECT count(*)::int AS n FROM mentorship');
    const refused = await h.call(coordinator.actor, M.acceptMatchingRun, { input: { runId: run.id } });
    expect(codes(refused)).toEqual(['CONFLICT']);
    expect(refused.errors?.[0]?.extensions?.overCapacityMentorIds).toEqual([mentor.id]);
    expect(await h.dataSource.query('SELECT count(*)::int AS n FROM mentorship')).toEqual(before);
    expect(
      ok(await h.call(coordinator.actor, `query($id: ID!) { matchingRun(id: $id) { status } }`, { id: run.id })).matchingRun.status,
    ).toBe('PROPOSED');

    const rejected = ok(
      await h.call(coordinator.actor, M.rejectMatchingRun, { input: { runId: run.id, reason: 'capacities changed' } }),
    ).rejectMatchingRun;
    expect(rejected).toMatchObject({ status: 'REJECTED', decisionReason: 'capacities changed', mentorships: [] });
    expect([a.id, b.id]).toEqual(expect.arrayContaining(run.proposals.map((p: Proposal) => p.student.id)));
    await h.dataSource.query(`UPDATE mentor_profile SET accepting_mentees = true`);
  });

  it('accepts only one of two runs that compete for the same seat, even at the same instant', async () => {
    await h.dataSource.query(`UPDATE mentor_profile SET accepting_mentees = false`);
    const mentor = await w.mentor(w.schoolA, { capacity: 1 });
    await Promise.all([w.student(w.schoolA, { cohortYear: 2017 }), w.student(w.schoolA, { cohortYear: 2018 })]);
    const runs = [];
    for (const cohortYear of [2017, 2018])
      runs.push(ok(await h.call(coordinator.actor, M.startMatchingRun, { input: { schoolId: w.schoolA, cohortYear } })).startMatchingRun);
    expect(runs.map((r) => r.proposals[0]?.mentor.id)).toEqual([mentor.id, mentor.id]);
    const results = await Promise.all(runs.map((r) => h.call(coordinator.actor, M.acceptMatchingRun, { input: { runId: r.id } })));
    expect(results.map((r) => codes(r)[0] ?? r.data?.acceptMatchingRun.status).sort()).toEqual(['ACCEPTED', 'CONFLICT']);
    const [{ n }] = await h.dataSource.query(
      `SELECT count(*)::int AS n FROM mentorship m JOIN mentorship_mentee mm ON mm.mentorship_id = m.id WHERE m.mentor_id = $1`,
      [mentor.id],
    );
    expect(n).toBe(1);
    await h.dataSource.query(`UPDATE mentor_profile SET accepting_mentees = true`);
  });

  it('matches a program cohort from curriculum enrolments, skipping withdrawn students', async () => {
    const [x, y, gone] = await Promise.all([w.student(), w.student(), w.student()]);
    const programId = await w.enroll(x.id, 'CLINICAL_PRACTICE');
    await w.enroll(y.id, null, programId);
    await w.enroll(gone.id, null, programId);
    await w.withdraw(gone.id);
    await w.mentor(w.hospitalH, { capacity: 5 }, ['CLINICAL_INSTRUCTOR', 'MENTOR']);
    const run = ok(await h.call(coordinator.actor, M.startMatchingRun, { input: { programId } })).startMatchingRun;
    expect(run.programId).toBe(programId);
    expect(run.proposals.map((p: Proposal) => p.student.id).sort()).toEqual([x.id, y.id].sort());
  });

  it('refuses another school, another role and bad input', async () => {
    const input = { schoolId: w.schoolA, cohortYear: 2021 };
    expect(codes(await h.call(staffActor(w.schoolB, 'COORDINATOR'), M.startMatchingRun, { input }))).toEqual(['FORBIDDEN']);
    expect(codes(await h.call(staffActor(w.schoolA, 'TEACHER'), M.startMatchingRun, { input }))).toEqual(['FORBIDDEN']);
    expect(codes(await h.call(staffActor(w.hospitalH, 'COORDINATOR'), M.startMatchingRun, { input }))).toEqual(['FORBIDDEN']);
    const bad = await h.call(coordinator.actor, M.startMatchingRun, { input: { schoolId: w.schoolA } });
    expect(codes(bad)).toEqual(['BAD_USER_INPUT']);
    expect(bad.errors?.[0]?.message).toMatch(/either programId, or schoolId with cohortYear/);
    expect(
      codes(await h.call(coordinator.actor, M.startMatchingRun, { input: { programId: '5f0c9f34-4f7a-4f8e-9d3e-7b1c2a3d4e5f' } })),
    ).toEqual(['NOT_FOUND']);

    const run = ok(await h.call(networkAdmin(), M.startMatchingRun, { input })).startMatchingRun;
    expect(codes(await h.call(staffActor(w.schoolB, 'COORDINATOR'), M.acceptMatchingRun, { input: { runId: run.id } }))).toEqual([
      'FORBIDDEN',
    ]);
    expect(
      codes(await h.call(staffActor(w.schoolA, 'QUALITY_OFFICER'), M.rejectMatchingRun, { input: { runId: run.id, reason: 'no' } })),
    ).toEqual(['FORBIDDEN']);
    expect(codes(await h.call(coordinator.actor, M.rejectMatchingRun, { input: { runId: run.id, reason: ' ' } }))).toEqual([
      'BAD_USER_INPUT',
    ]);
    expect(
      codes(await h.call(staffActor(w.schoolB, 'TEACHER'), `query($id: ID!) { matchingRun(id: $id) { id } }`, { id: run.id })),
    ).toEqual(['FORBIDDEN']);
  });
});
