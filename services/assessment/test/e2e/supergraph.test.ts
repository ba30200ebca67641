import { type DemoNetworkSummary } from '@medcollab/demo-world';
import { libraryInstrumentId } from '../../src/seed/instrument-library';
import { randomUUID } from 'node:crypto';
import { createConsumer, type EventEnvelope } from '@medcollab/events';
import { seedDemoCurriculum, type DemoCurriculumSummary } from '@medcollab/curriculum';
import { seedDemoNetwork } from '@medcollab/network';
import { e2eClient, countRows, tokenFor } from '@medcollab/testing';
import { assessmentEventHandlers } from '../../src/projections';
import { type Pipeline, startPipeline, waitFor } from '../support/pipeline';

/**
 * The demo network and curriculum behind the real gateway with four workers: placements run in
 * rotations create assessment tasks; assessors and students work through the gateway; the
 * curriculum's frameworks and post profile reach assessment's readiness; teacher evaluations
 * stay hidden until k = 5 evaluators across two blocks stand behind them.
 */
let p: Pipeline;
let demo: DemoNetworkSummary;
let curriculum: DemoCurriculumSummary;
const tokens: Record<string, string> = {};
const { gql, data } = e2eClient(() => p.supergraph, tokens);
const count = (sql: string, params: unknown[] = []): Promise<number> => countRows(p.assessment.dataSource, sql, params);

const YEAR = '2027-2028';
let schoolId: string;
let imDepartment: string;
let students: { id: string }[];
const blocks: Record<string, string> = {};

/** A placement of `student` in `block` at internal medicine with the demo instructor, run to completion through the gateway. */
async function completedPlacement(student: { id: string }, block: string): Promise<string> {
  const { createPlacement } = await data(
    'coordinator',
    `mutation($input: CreatePlacementInput!) { createPlacement(input: $input) { id } }`,
    {
      input: { studentId: student.id, departmentId: imDepartment, blockId: blocks[block], supervisorId: demo.clinicalInstructor.id },
    },
  );
  const step = (who: string, mutation: string) =>
    data(who, `mutation($id: ID!) { ${mutation}(input: { id: $id }) { status } }`, { id: createPlacement.id });
  await step('coordinator', 'confirmPlacement');
  await step('instructor', 'startPlacement');
  await step('instructor', 'completePlacement');
  return createPlacement.id as string;
}
const tasksOf = (placementId: string) => count(`SELECT count(*)::int AS n FROM assessment_task WHERE placement_id = $1`, [placementId]);
/** Mints the student's token once; returns the key `gql` knows it by. */
async function asStudent(s: { id: string }): Promise<string> {
  tokens[s.id] ??= await tokenFor({ personId: s.id, institutionId: schoolId, roles: ['STUDENT'] });
  return s.id;
}

beforeAll(async () => {
  p = await startPipeline({ minEvaluators: 5, teacherMinBlocks: 2 }, { demo: true });
  demo = await seedDemoNetwork(p.network.dataSource);
  curriculum = await seedDemoCurriculum(p.curriculum.dataSource, demo);
  schoolId = demo.coordinator.institutionId;
  imDepartment = demo.clinicalInstructor.departmentId;
  const person = (
    x: { id: string; institutionId: string },
    roles: ('COORDINATOR' | 'CLINICAL_INSTRUCTOR' | 'NETWORK_ADMIN' | 'QUALITY_OFFICER')[],
  ) => tokenFor({ personId: x.id, institutionId: x.institutionId, roles });
  tokens.coordinator = await person(demo.coordinator, ['COORDINATOR']);
  tokens.hospital = await person(demo.hospitalCoordinator, ['COORDINATOR']);
  tokens.instructor = await person(demo.clinicalInstructor, ['CLINICAL_INSTRUCTOR']);
  tokens.admin = await person(demo.networkAdmin, ['NETWORK_ADMIN']);
  tokens.otherSchool = await tokenFor({ institutionId: demo.schools[1]!.id, roles: ['COORDINATOR'] });
  tokens.hospitalQuality = await tokenFor({ institutionId: demo.hospitalCoordinator.institutionId, roles: ['QUALITY_OFFICER'] });
  // The network's and the curriculum's events reach assessment through the relays and its worker.
  await waitFor(
    'assessment to learn the demo network and curriculum',
    async () =>
      (await count('SELECT count(*)::int AS n FROM known_student')) === demo.counts.students &&
      (await count('SELECT count(*)::int AS n FROM known_competency')) > 50 &&
      (await count('SELECT count(*)::int AS n FROM known_post_profile')) === 1,
    120_000,
  );
  const list = await data(
    'coordinator',
    `query($school: ID!) { students(filter: { institutionId: $school }, first: 6) { edges { node { id } } } }`,
    { school: schoolId },
  );
  students = list.students.edges.map((e: { node: { id: string } }) => e.node);
  const create = `mutation($input: CreateRotationBlockInput!) { createRotationBlock(input: $input) { id } }`;
  for (const [key, startsOn, endsOn] of [
    ['A', '2027-09-06', '2027-10-29'],
    ['B', '2027-11-01', '2027-12-17'],
  ] as const) {
    blocks[key] = (
      await data('coordinator', create, { input: { schoolId, academicYear: YEAR, name: `Block ${key}`, startsOn, endsOn } })
    ).createRotationBlock.id;
    await data('hospital', `mutation($input: SetSiteCapacityInput!) { setSiteCapacity(input: $input) { seats } }`, {
      input: { departmentId: imDepartment, blockId: blocks[key], schoolId, seats: 5 },
    });
  }
}, 240_000);
afterAll(() => p?.stop());

describe('assessment in the demo network, through the gateway', () => {
  let placementId: string;
  let supervisorTask: string;

  it('creates the three tasks of a completed placement exactly once, even when the event comes twice', async () => {
    placementId = await completedPlacement(students[0]!, 'A');
    await waitFor('the three end-of-placement tasks', async () => (await tasksOf(placementId)) === 3);

    // The same PlacementCompleted delivered again (same event id), and once more under a new id.
    const [row] = await p.rotations.dataSource.query(`SELECT * FROM outbox WHERE aggregate_id = $1 AND event_type = 'PlacementCompleted'`, [
      placementId,
    ]);
    const envelope: EventEnvelope = {
      id: row.id,
      type: row.event_type,
      version: row.event_version,
      source: 'rotations',
      aggregateType: row.aggregate_type,
      aggregateId: row.aggregate_id,
      sequence: row.sequence,
      occurredAt: new Date(row.occurred_at).toISOString(),
      payload: row.payload,
      metadata: row.metadata,
    };
    const consumer = createConsumer({
      service: 'assessment',
      dataSource: p.assessment.dataSource,
      handlers: assessmentEventHandlers(p.settings),
    });
    expect(await consumer.apply({ envelope, previousEventId: null })).toBe('duplicate');
    expect(await consumer.apply({ envelope: { ...envelope, id: randomUUID() }, previousEventId: null })).toBe('applied');
    expect(await tasksOf(placementId)).toBe(3);

    const PLACEMENT = `query($id: ID!) { placement(id: $id) { status assessmentTasks { id role status instrument { kind purpose } } } }`;
    const school = (await data('coordinator', PLACEMENT, { id: placementId })).placement;
    expect(school.assessmentTasks.map((t: { role: string }) => t.role).sort()).toEqual([
      'SITE_EVALUATION',
      'SUPERVISOR_ASSESSMENT',
      'TEACHER_EVALUATION',
    ]);
    const hospital = (await data('instructor', PLACEMENT, { id: placementId })).placement;
    expect(hospital.assessmentTasks).toEqual([
      expect.objectContaining({ role: 'SUPERVISOR_ASSESSMENT', status: 'PENDING', instrument: { kind: 'MINI_CEX', purpose: 'SUMMATIVE' } }),
    ]);
    supervisorTask = hospital.assessmentTasks[0].id;
  });

  it('refuses an invalid mini-CEX naming the item, takes a valid one', async () => {
    const SUBMIT = `mutation($input: SubmitAssessmentInput!) { submitAssessment(input: $input) { status task { status subjectStudent { givenName } } } }`;
    const rated = ['history', 'examination', 'professionalism', 'judgement', 'communication', 'organisation'].map((itemKey) => ({
      itemKey,
      rating: 6,
    }));
    const invalid = await gql('instructor', SUBMIT, {
      input: { taskId: supervisorTask, responses: [...rated, { itemKey: 'overall', rating: 12 }] },
    });
    expect(invalid.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'INVALID_RESPONSES', field: 'responses.overall' });
    expect(invalid.errors[0].message).toContain("item 'overall' (Overall clinical competence): 12 is not on its scale (1 to 9)");
    const missing = await gql('instructor', SUBMIT, { input: { taskId: supervisorTask, responses: rated } });
    expect(missing.errors[0].message).toContain("item 'overall' (Overall clinical competence) is required");
    // Nobody else may answer it.
    expect(
      (await gql(await asStudent(students[0]!), SUBMIT, { input: { taskId: supervisorTask, responses: rated } })).errors[0].extensions.code,
    ).toBe('FORBIDDEN');

    const { submitAssessment } = await data('instructor', SUBMIT, {
      input: { taskId: supervisorTask, responses: [...rated, { itemKey: 'overall', rating: 7 }] },
    });
    expect(submitAssessment).toMatchObject({ status: 'SUBMITTED', task: { status: 'SUBMITTED' } });
    // The instructor sees the student's name through the network (their hospital holds a grant).
    expect(submitAssessment.task.subjectStudent.givenName).toEqual(expect.any(String));
  });

  it("shows the evidence in the student's progress and readiness, with the curriculum's competencies and modules", async () => {
    const STUDENT = `query($id: ID!, $profile: ID!, $program: ID!) { student(id: $id) {
      competencyProgress { competency { code title } domain evidenceCount headline { type level } }
      readiness(postProfileId: $profile) { score requirementCount metCount postProfile { title }
        gaps { competency { code addressedBy(programId: $program) { code } } requiredLevel currentLevel evidenceCount } } } }`;
    const vars = { id: students[0]!.id, profile: curriculum.postProfileId, program: curriculum.programId };
    const { student } = await data('coordinator', STUDENT, vars);
    const epa1 = student.competencyProgress.find((c: { competency: { code: string } }) => c.competency.code === 'EPA 1');
    expect(epa1).toMatchObject({ domain: 'TECHNICAL', evidenceCount: 1, headline: { type: 'LIKERT', level: 6 } });
    expect(student.competencyProgress.find((c: { competency: { code: string } }) => c.competency.code === 'PR1')).toMatchObject({
      domain: 'NON_TECHNICAL',
    });

    expect(student.readiness).toMatchObject({ requirementCount: 10, postProfile: { title: 'Emergency medicine resident, year 1' } });
    const gap = (code: string) => student.readiness.gaps.find((g: { competency: { code: string } }) => g.competency.code === code);
    // A mini-CEX 6 of 1–9 is 3.5 on the profile's 1–5: short of the 4 EPA 1 requires; the modules teaching it are named.
    expect(gap('EPA 1')).toEqual({
      competency: { code: 'EPA 1', addressedBy: [{ code: 'CVS-102' }, { code: 'NEU-301' }] },
      requiredLevel: 4,
      currentLevel: 3.5,
      evidenceCount: 1,
    });
    // EPA 12 is the demo curriculum's deliberate gap: no module addresses it.
    expect(gap('EPA 12')).toEqual({
      competency: { code: 'EPA 12', addressedBy: [] },
      requiredLevel: 3,
      currentLevel: null,
      evidenceCount: 0,
    });
    expect(student.readiness.score).toBeGreaterThan(0);
    expect(student.readiness.score).toBeLessThan(1);

    // The hospital sees the tasks of its placement, never the record built from every site.
    const hospital = await gql('instructor', STUDENT, vars);
    expect(hospital.errors.map((e: { extensions: { code: string } }) => e.extensions.code)).toContain('FORBIDDEN');
    expect(hospital.data?.student?.competencyProgress ?? null).toBeNull();
  });

  it('takes an EPA entrustment decision from the instructor and moves progress and readiness with it', async () => {
    const STATE = `query($id: ID!, $profile: ID!) { student(id: $id) {
      competencyProgress { competency { code } evidenceCount headline { type level } }
      readiness(postProfileId: $profile) { score gaps { competency { code } currentLevel evidenceCount } } } }`;
    const vars = { id: students[0]!.id, profile: curriculum.postProfileId };
    const before = (await data('coordinator', STATE, vars)).student;
    const { assignAssessment } = await data(
      'coordinator',
      `mutation($input: AssignAssessmentInput!) { assignAssessment(input: $input) { id instrument { kind } } }`,
      {
        input: {
          instrumentId: libraryInstrumentId('epa-entrustment'),
          studentId: students[0]!.id,
          assessorId: demo.clinicalInstructor.id,
          dueAt: new Date(Date.now() + 86_400_000).toISOString(),
        },
      },
    );
    expect(assignAssessment.instrument.kind).toBe('EPA_ENTRUSTMENT');
    const responses = Array.from({ length: 13 }, (_, i) =>
      i === 0 ? { itemKey: 'epa-1', rating: 4 } : { itemKey: `epa-${i + 1}`, notApplicable: true },
    );
    await data('instructor', `mutation($input: SubmitAssessmentInput!) { submitAssessment(input: $input) { status } }`, {
      input: { taskId: assignAssessment.id, responses },
    });

    const after = (await data('coordinator', STATE, vars)).student;
    const progressOf = (st: typeof before) =>
      st.competencyProgress.find((c: { competency: { code: string } }) => c.competency.code === 'EPA 1');
    const gapOf = (st: typeof before) => st.readiness.gaps.find((g: { competency: { code: string } }) => g.competency.code === 'EPA 1');
    // Entrustment is never averaged with the mini-CEX: the latest decision (level 4) is the headline.
    expect(progressOf(before)).toMatchObject({ evidenceCount: 1, headline: { type: 'LIKERT' } });
    expect(progressOf(after)).toMatchObject({ evidenceCount: 2, headline: { type: 'ENTRUSTMENT', level: 4 } });
    // EPA 1 required level 4: it was a gap at 3.5, and is met now.
    expect(gapOf(before)).toMatchObject({ currentLevel: 3.5 });
    expect(gapOf(after)).toBeUndefined();
    expect(after.readiness.score).toBeGreaterThan(before.readiness.score);
  });

  it('never shows a teacher individual evaluations; releases an aggregate once five evaluators across two blocks stand behind it', async () => {
    const TEACHING = `query($id: ID!) { staffMember(id: $id) { teachingEvaluation { released withheldReason evaluatorCount blockCount items { itemKey mean } } } }`;
    const SUBMIT = `mutation($input: SubmitAssessmentInput!) { submitAssessment(input: $input) { id } }`;
    const items = ['explains', 'feedback', 'observes', 'role-model', 'respect', 'overall'];
    const placements = [
      placementId,
      await completedPlacement(students[1]!, 'A'),
      await completedPlacement(students[2]!, 'A'),
      await completedPlacement(students[3]!, 'B'),
      await completedPlacement(students[4]!, 'B'),
    ];
    const evaluators = students.slice(0, 5);
    await waitFor(
      'every placement’s tasks',
      async () => (await count(`SELECT count(*)::int AS n FROM assessment_task WHERE placement_id = ANY($1::uuid[])`, [placements])) === 15,
    );

    const evaluate = async (i: number, rating: number) => {
      const who = await asStudent(evaluators[i]!);
      const { placement } = await data(who, `query($id: ID!) { placement(id: $id) { assessmentTasks { id role } } }`, {
        id: placements[i],
      });
      const task = placement.assessmentTasks.find((t: { role: string }) => t.role === 'TEACHER_EVALUATION');
      await data(who, SUBMIT, {
        input: {
          taskId: task.id,
          responses: [...items.map((itemKey) => ({ itemKey, rating })), { itemKey: 'comments', text: `From student ${i}` }],
        },
      });
      return task.id as string;
    };
    const first = await evaluate(0, 5);
    // The teacher can neither open the evaluation nor its task.
    const peek = await gql(
      'instructor',
      `query($id: ID!) { assessmentTask(id: $id) { submission { responses { itemKey rating text } } } }`,
      { id: first },
    );
    expect(peek.errors[0].extensions.code).toBe('FORBIDDEN');
    expect(JSON.stringify(peek)).not.toContain('From student');

    for (const [i, rating] of [
      [1, 4],
      [2, 3],
      [3, 4],
    ] as const)
      await evaluate(i, rating);
    // Four evaluators (one task of block B still pending): nothing yet.
    expect((await data('instructor', TEACHING, { id: demo.clinicalInstructor.id })).staffMember.teachingEvaluation).toMatchObject({
      released: false,
      evaluatorCount: null,
      items: [],
    });
    await evaluate(4, 4);
    const released = (await data('instructor', TEACHING, { id: demo.clinicalInstructor.id })).staffMember.teachingEvaluation;
    expect(released).toMatchObject({ released: true, withheldReason: null, evaluatorCount: 5, blockCount: 2 });
    expect(released.items).toContainEqual({ itemKey: 'overall', mean: 4 });
    // The hospital's quality officer sees the same aggregate; the coordinator of the hospital does not.
    expect(
      (await data('hospitalQuality', TEACHING, { id: demo.clinicalInstructor.id })).staffMember.teachingEvaluation.evaluatorCount,
    ).toBe(5);
    expect((await gql('hospital', TEACHING, { id: demo.clinicalInstructor.id })).errors[0].extensions.code).toBe('FORBIDDEN');
  });

  it('refuses other institutions and roles on each mutation family, and names bad input', async () => {
    const instrumentId = (await data('admin', `{ instruments(kind: NOTSS) { id } }`)).instruments[0].id;
    const assign = `mutation($input: AssignAssessmentInput!) { assignAssessment(input: $input) { id } }`;
    const input = {
      instrumentId,
      studentId: students[5]!.id,
      assessorId: demo.clinicalInstructor.id,
      dueAt: new Date(Date.now() + 86_400_000).toISOString(),
    };
    expect((await gql('otherSchool', assign, { input })).errors[0].extensions.code).toBe('FORBIDDEN');
    expect((await gql('coordinator', assign, { input: { ...input, studentId: 'not-a-uuid' } })).errors[0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      fields: [{ path: 'studentId' }],
    });
    const create = `mutation($input: CreateInstrumentInput!) { createInstrument(input: $input) { id } }`;
    expect(
      (
        await gql('hospital', create, {
          input: { kind: 'DOPS', title: 'x', purpose: 'FORMATIVE', items: [{ key: 'a', label: 'a', scale: { type: 'CHECKLIST' } }] },
        })
      ).errors[0].extensions.code,
    ).toBe('FORBIDDEN');
    const decline = `mutation($input: DeclineAssessmentInput!) { declineAssessment(input: $input) { id } }`;
    expect(
      (await gql('coordinator', decline, { input: { taskId: supervisorTask, reason: 'Not mine to decline' } })).errors[0].extensions.code,
    ).toBe('FORBIDDEN');
    const amend = `mutation($input: AmendSubmissionInput!) { amendSubmission(input: $input) { id } }`;
    const submissionId = (
      await data('coordinator', `query($id: ID!) { assessmentTask(id: $id) { submission { id } } }`, { id: supervisorTask })
    ).assessmentTask.submission.id;
    expect(
      (
        await gql('hospital', amend, {
          input: { submissionId, responses: [{ itemKey: 'overall', rating: 9 }], reason: 'Looks too low to me' },
        })
      ).errors[0].extensions.code,
    ).toBe('FORBIDDEN');
    const report = await gql(
      'otherSchool',
      `query($h: ID!) { qualityReport: evaluationReport(hospitalId: $h, academicYear: "${YEAR}") { total { released } } }`,
      { h: demo.hospitalCoordinator.institutionId },
    );
    expect(report.errors[0].extensions.code).toBe('FORBIDDEN');
  });
});
