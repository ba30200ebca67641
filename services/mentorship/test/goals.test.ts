import { randomUUID } from 'node:crypto';
import { type SubgraphHarness } from '@medcollab/testing';
import { codes, ok, startMentorship } from './support/harness';
import { M, networkAdmin, type Person, staffActor, World } from './support/world';

let h: SubgraphHarness;
let w: World;
let student: Person;
let mentor: Person;

beforeAll(async () => {
  h = await startMentorship();
  w = await new World(h).setup();
  student = await w.student();
  mentor = await w.mentor(w.hospitalH, {}, ['CLINICAL_INSTRUCTOR', 'MENTOR']);
  await w.mentorship(mentor.id, [student.id]);
});
afterAll(() => h.stop());

const GOALS = `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Student { developmentGoals { id title status pendingAcceptance evidence { kind id } } } } }`;
const goalsOf = (s: Person) => ({ reps: [{ __typename: 'Student', id: s.id }] });

describe('development goals', () => {
  it('are set by the student, linked to evidence, and achieved only with evidence', async () => {
    const competencyId = randomUUID();
    const input = { studentId: student.id, title: 'Lead a ward round', competencyId, targetDate: '2027-03-01' };
    const goal = ok(await h.call(student.actor, M.setDevelopmentGoal, { input })).setDevelopmentGoal;
    expect(goal).toMatchObject({
      title: 'Lead a ward round',
      status: 'OPEN',
      targetDate: '2027-03-01',
      pendingAcceptance: false,
      proposedBy: null,
      competency: { id: competencyId },
      evidence: [],
      student: { id: student.id },
    });

    ok(await h.call(student.actor, M.updateDevelopmentGoal, { input: { id: goal.id, status: 'IN_PROGRESS' } }));
    const noEvidence = await h.call(student.actor, M.updateDevelopmentGoal, { input: { id: goal.id, status: 'ACHIEVED' } });
    expect(noEvidence.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'evidence' });
    const evidence = [
      { kind: 'ASSESSMENT_TASK', id: randomUUID() },
      { kind: 'SUBMISSION', id: randomUUID() },
    ];
    const achieved = ok(
      await h.call(student.actor, M.updateDevelopmentGoal, { input: { id: goal.id, status: 'ACHIEVED', evidence } }),
    ).updateDevelopmentGoal;
    expect(achieved).toMatchObject({ status: 'ACHIEVED', evidence });
    expect(codes(await h.call(student.actor, M.updateDevelopmentGoal, { input: { id: goal.id, title: 'Changed' } }))).toEqual(['CONFLICT']);

    // Their mentor and their school's staff read them; the evidence comes along.
    for (const reader of [mentor.actor, staffActor(w.schoolA, 'TEACHER'), staffActor(w.schoolA, 'COORDINATOR')]) {
      const [entity] = ok(await h.call(reader, GOALS, goalsOf(student)))._entities;
      expect(entity.developmentGoals.find((g: { id: string }) => g.id === goal.id)).toMatchObject({ status: 'ACHIEVED', evidence });
    }
  });

  it('are proposed by a mentor and accepted (or declined) by the student', async () => {
    const proposal = ok(
      await h.call(mentor.actor, M.setDevelopmentGoal, { input: { studentId: student.id, title: 'Present a case at grand rounds' } }),
    ).setDevelopmentGoal;
    expect(proposal).toMatchObject({ pendingAcceptance: true, proposedBy: { id: mentor.id } });
    // The mentor may reword a pending proposal; the student must accept before working on it.
    ok(await h.call(mentor.actor, M.updateDevelopmentGoal, { input: { id: proposal.id, description: 'Pick an ICU case' } }));
    expect(codes(await h.call(student.actor, M.updateDevelopmentGoal, { input: { id: proposal.id, status: 'IN_PROGRESS' } }))).toEqual([
      'CONFLICT',
    ]);
    expect(codes(await h.call(mentor.actor, M.updateDevelopmentGoal, { input: { id: proposal.id, accept: true } }))).toEqual(['FORBIDDEN']);
    const accepted = ok(
      await h.call(student.actor, M.updateDevelopmentGoal, { input: { id: proposal.id, accept: true, status: 'IN_PROGRESS' } }),
    ).updateDevelopmentGoal;
    expect(accepted).toMatchObject({ pendingAcceptance: false, status: 'IN_PROGRESS', description: 'Pick an ICU case' });
    // Once accepted, it is the student's: the mentor can no longer change it.
    expect(codes(await h.call(mentor.actor, M.updateDevelopmentGoal, { input: { id: proposal.id, title: 'Mine now' } }))).toEqual([
      'FORBIDDEN',
    ]);

    const declined = ok(
      await h.call(mentor.actor, M.setDevelopmentGoal, { input: { studentId: student.id, title: 'Write a case report' } }),
    ).setDevelopmentGoal;
    expect(
      ok(await h.call(student.actor, M.updateDevelopmentGoal, { input: { id: declined.id, status: 'DROPPED' } })).updateDevelopmentGoal
        .status,
    ).toBe('DROPPED');
  });

  it('turn a readiness gap into a goal in one step', async () => {
    const competencyId = randomUUID();
    const goal = ok(
      await h.call(student.actor, M.createGoalFromGap, {
        input: { studentId: student.id, competencyId, requiredLevel: 4, currentLevel: 2.5 },
      }),
    ).createGoalFromGap;
    expect(goal).toMatchObject({
      status: 'OPEN',
      pendingAcceptance: false,
      competency: { id: competencyId },
      gap: { requiredLevel: 4, currentLevel: 2.5 },
    });
    expect(goal.title).toMatch(/2\.5 to 4/);
    const fromMentor = ok(
      await h.call(mentor.actor, M.createGoalFromGap, {
        input: { studentId: student.id, competencyId, requiredLevel: 3, currentLevel: 1 },
      }),
    ).createGoalFromGap;
    expect(fromMentor.pendingAcceptance).toBe(true);
    const noGap = await h.call(student.actor, M.createGoalFromGap, {
      input: { studentId: student.id, competencyId, requiredLevel: 2, currentLevel: 3 },
    });
    expect(noGap.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
    expect(noGap.errors?.[0]?.message).toMatch(/requiredLevel: must be above currentLevel/);
  });

  it('refuse writers other than the student and their mentors, and readers from elsewhere', async () => {
    const input = { studentId: student.id, title: 'Not yours to set' };
    const strangerMentor = await w.mentor(w.schoolA);
    for (const actor of [
      staffActor(w.schoolA, 'COORDINATOR'),
      staffActor(w.schoolA, 'TEACHER'),
      staffActor(w.schoolB, 'COORDINATOR'),
      strangerMentor.actor,
      networkAdmin(),
      (await w.student()).actor,
    ]) {
      expect(codes(await h.call(actor, M.setDevelopmentGoal, { input }))).toEqual(['FORBIDDEN']);
      expect(
        codes(
          await h.call(actor, M.createGoalFromGap, {
            input: { studentId: student.id, competencyId: randomUUID(), requiredLevel: 3, currentLevel: 1 },
          }),
        ),
      ).toEqual(['FORBIDDEN']);
    }
    const goal = ok(
      await h.call(student.actor, M.setDevelopmentGoal, { input: { studentId: student.id, title: 'Suture course' } }),
    ).setDevelopmentGoal;
    for (const actor of [staffActor(w.schoolA, 'COORDINATOR'), staffActor(w.schoolB, 'INSTITUTION_ADMIN'), mentor.actor]) {
      expect(codes(await h.call(actor, M.updateDevelopmentGoal, { input: { id: goal.id, title: 'Changed' } }))).toEqual(['FORBIDDEN']);
    }
    for (const outsider of [staffActor(w.schoolB, 'COORDINATOR'), staffActor(w.hospitalK, 'MENTOR'), (await w.student()).actor]) {
      expect(codes(await h.call(outsider, GOALS, goalsOf(student)))).toEqual(['FORBIDDEN']);
      expect(codes(await h.call(outsider, `query($id: ID!) { developmentGoal(id: $id) { title } }`, { id: goal.id }))).toEqual([
        'FORBIDDEN',
      ]);
    }
  });

  it('reject bad input with every field named', async () => {
    const bad = await h.call(student.actor, M.setDevelopmentGoal, {
      input: { studentId: student.id, title: 'x', competencyId: 'nope', evidence: [{ kind: 'SUBMISSION', id: 'not-an-id' }] },
    });
    expect(codes(bad)).toEqual(['BAD_USER_INPUT']);
    expect((bad.errors?.[0]?.extensions?.fields as { path: string }[]).map((f) => f.path).sort()).toEqual([
      'competencyId',
      'evidence.0.id',
      'title',
    ]);
    // An impossible date is refused by the Date scalar before any resolver runs.
    const date = await h.call(student.actor, M.setDevelopmentGoal, {
      input: { studentId: student.id, title: 'Dated', targetDate: '2027-13-01' },
    });
    expect(codes(date)).toEqual(['BAD_USER_INPUT']);
    expect(date.errors?.[0]?.message).toMatch(/targetDate/);
    const twice = { kind: 'SUBMISSION', id: randomUUID() };
    expect(
      codes(
        await h.call(student.actor, M.setDevelopmentGoal, { input: { studentId: student.id, title: 'Twice', evidence: [twice, twice] } }),
      ),
    ).toEqual(['BAD_USER_INPUT']);
    expect(codes(await h.call(student.actor, M.updateDevelopmentGoal, { input: { id: randomUUID(), title: 'Gone' } }))).toEqual([
      'NOT_FOUND',
    ]);
  });
});
