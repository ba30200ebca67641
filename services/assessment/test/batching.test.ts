import { networkAdmin } from './support/actors';
import {
  buildWorld,
  type PlacementFacts,
  placementAt,
  publishLibrary,
  publishPostProfile,
  registerStudent,
  runPlacement,
  type StudentRef,
  type World,
} from './support/fixtures';
import { type AssessmentHarness, ok, startAssessment } from './support/harness';

/** 100 students each with a completed placement supervised by one instructor: 100 supervisor assessments, 300 tasks. */
let h: AssessmentHarness;
let w: World;
let students: StudentRef[];
let placements: PlacementFacts[];
let library: Record<string, string>;

beforeAll(async () => {
  h = await startAssessment({ weeklyCap: 1000 });
  w = await buildWorld(h);
  library = await publishLibrary(h);
  students = [];
  placements = [];
  for (let chunk = 0; chunk < 100; chunk += 20) {
    const made = await Promise.all(
      Array.from({ length: 20 }, async () => {
        const s = await registerStudent(h, w.schoolA);
        const p = placementAt(w, s);
        await runPlacement(h, p, 'COMPLETED');
        return { s, p };
      }),
    );
    students.push(...made.map((m) => m.s));
    placements.push(...made.map((m) => m.p));
  }
  // Ten of the supervisor's assessments submitted, so submissions and evidence are read too.
  const tasks: { id: string }[] = await h.dataSource.query(`SELECT id FROM assessment_task WHERE assessor_id = $1 ORDER BY id LIMIT 10`, [
    w.ciD1.id,
  ]);
  const responses = ['history', 'examination', 'professionalism', 'judgement', 'communication', 'organisation', 'overall'].map(
    (itemKey) => ({ itemKey, rating: 6 }),
  );
  for (const t of tasks)
    ok(
      await h.call(w.ciD1.actor, `mutation($input: SubmitAssessmentInput!) { submitAssessment(input: $input) { id } }`, {
        input: { taskId: t.id, responses },
      }),
    );
}, 240_000);
afterAll(() => h.stop());

const TASK_FIELDS = `id role status dueAt instrument { kind items { key scale { type } } } placement { id } subjectStudent { id } assessorStaff { id } submission { id responses { itemKey rating } }`;

async function statements(actor: Parameters<typeof h.call>[0], query: string, variables: Record<string, unknown>) {
  h.counter.reset();
  const data = ok(await h.call(actor, query, variables));
  return { count: h.counter.count, data };
}

describe('batched federated fields', () => {
  it("StaffMember.assessmentTasks: the supervisor's 100 tasks with instruments, items, placements and submissions in a constant number of statements", async () => {
    const query = `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on StaffMember { assessmentTasks { ${TASK_FIELDS} } } } }`;
    const { count, data } = await statements(w.ciD1.actor, query, { reps: [{ __typename: 'StaffMember', id: w.ciD1.id }] });
    expect(data._entities[0].assessmentTasks.length).toBeGreaterThanOrEqual(100);
    expect(data._entities[0].assessmentTasks.filter((t: { submission: unknown }) => t.submission)).toHaveLength(10);
    // +1 since the audit trail: the request's one AuditRecorded INSERT (ADR 0008).
    expect(count).toBeLessThanOrEqual(7);
  });

  it('Student.assessmentTasks for 100 students costs what it costs for 5', async () => {
    const query = `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Student { assessmentTasks { ${TASK_FIELDS} } } } }`;
    // Five students, one of them with a submitted assessment (so submissions and amendments are read in both cases).
    const [{ student_id: assessed }] = await h.dataSource.query(
      `SELECT t.student_id FROM assessment_task t JOIN submission s ON s.task_id = t.id LIMIT 1`,
    );
    const five = [
      assessed,
      ...students
        .filter((s) => s.id !== assessed)
        .slice(0, 4)
        .map((s) => s.id),
    ];
    const few = await statements(w.coordinatorA.actor, query, { reps: five.map((id) => ({ __typename: 'Student', id })) });
    const all = await statements(w.coordinatorA.actor, query, { reps: students.map((s) => ({ __typename: 'Student', id: s.id })) });
    expect(all.data._entities.every((e: { assessmentTasks: unknown[] }) => e.assessmentTasks.length === 3)).toBe(true);
    expect(all.count).toBe(few.count);
    // +1 since the audit trail: the request's one AuditRecorded INSERT (ADR 0008).
    expect(all.count).toBeLessThanOrEqual(7);
  });

  it('Placement.assessmentTasks for 100 placements, as the hospital sees them (assessments only)', async () => {
    const query = `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Placement { assessmentTasks { id role submission { id } } } } }`;
    const { count, data } = await statements(w.coordinatorH.actor, query, {
      reps: placements.map((p) => ({ __typename: 'Placement', id: p.placementId })),
    });
    expect(
      data._entities.every(
        (e: { assessmentTasks: { role: string }[] }) =>
          e.assessmentTasks.length === 1 && e.assessmentTasks[0]!.role === 'SUPERVISOR_ASSESSMENT',
      ),
    ).toBe(true);
    expect(count).toBeLessThanOrEqual(4);
  });

  it('Student.competencyProgress for 100 students in a constant number of statements', async () => {
    const query = `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Student { competencyProgress { id domain evidenceCount headline { level } } } } }`;
    const { count, data } = await statements(networkAdmin(), query, { reps: students.map((s) => ({ __typename: 'Student', id: s.id })) });
    expect(data._entities.filter((e: { competencyProgress: unknown[] }) => e.competencyProgress.length > 0)).toHaveLength(10);
    // +1 since progress is an audited record: the request's one AuditRecorded INSERT (ADR 0008).
    expect(count).toBeLessThanOrEqual(4);
  });

  it('Student.readiness for 200 students costs what it costs for 20', async () => {
    // 100 more students without any evidence: readiness must still be computed for each of them.
    for (let chunk = 0; chunk < 100; chunk += 25) {
      students.push(...(await Promise.all(Array.from({ length: 25 }, () => registerStudent(h, w.schoolA)))));
    }
    const profile = await publishPostProfile(h, [
      { competencyId: library['aamc-core-epas/EPA 1']!, level: 4 },
      { competencyId: library['aamc-core-epas/EPA 2']!, level: 3 },
      { competencyId: library['notss/SA']!, level: 3 },
    ]);
    const query = `query($reps: [_Any!]!, $profile: ID!) { _entities(representations: $reps) { ... on Student {
      readiness(postProfileId: $profile) { score gaps { competency { id } requiredLevel currentLevel evidenceCount } } } } }`;
    const reps = (list: StudentRef[]) => list.map((s) => ({ __typename: 'Student', id: s.id }));
    const few = await statements(networkAdmin(), query, { reps: reps(students.slice(0, 20)), profile });
    const all = await statements(networkAdmin(), query, { reps: reps(students), profile });
    expect(all.data._entities).toHaveLength(200);
    expect(all.data._entities.every((e: { readiness: { gaps: unknown[] } }) => e.readiness.gaps.length > 0)).toBe(true);
    expect(all.count).toBe(few.count);
    expect(all.count).toBeLessThanOrEqual(6);
  });
});
