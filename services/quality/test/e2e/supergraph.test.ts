import { randomUUID } from 'node:crypto';
import { type DemoNetworkSummary } from '@medcollab/demo-world';
import { AllocationRunPublished, AssessmentSubmitted, createOutbox, type EventEnvelope } from '@medcollab/events';
import { assessmentEventHandlers, createAssessmentSubgraph } from '@medcollab/assessment';
import { type DemoMentorshipSummary, mentorshipEventHandlers, mentorshipSubgraph, seedDemoMentorship } from '@medcollab/mentorship';
import { placementGrantHandlers, networkSubgraph, seedDemoNetwork } from '@medcollab/network';
import { rotationsEventHandlers, rotationsSubgraph } from '@medcollab/rotations';
import { type Role } from '@medcollab/kit';
import { e2eClient, type Pipeline, startPipeline, tokenFor, waitFor } from '@medcollab/testing';
import { qualityEventHandlers } from '../../src/projections';
import { createQualitySubgraph } from '../../src/server';
import { snapshotTask } from '../../src/tasks/snapshot-task';
import { TEST_SETTINGS } from '../support/harness';

/**
 * Quality in the demo network behind the real gateway, fed by the real workers of the producing
 * services: placements run through rotations reach quality as Placement* events, the tasks
 * assessment creates for them as AssessmentTask* events; a hospital's quality officer reads the
 * department's block report through the gateway (with the department's name from the network
 * subgraph), and another institution's quality officer is refused.
 */
let p: Pipeline;
let demo: DemoNetworkSummary;
let mentoring: DemoMentorshipSummary;
const tokens: Record<string, string> = {};
const { gql, data } = e2eClient(() => p.supergraph, tokens);
const count = async (service: string, sql: string, params: unknown[] = []): Promise<number> =>
  ((await p.subgraphs[service]!.dataSource.query(sql, params)) as { n: number }[])[0]!.n;

let department: string;
let block: string;
const placements: string[] = [];
const students: string[] = [];
/** Every event quality's worker applied, as its handlers received it. */
const received: EventEnvelope[] = [];
const qualityHandlers = qualityEventHandlers(TEST_SETTINGS);
const recordingHandlers = Object.fromEntries(
  Object.entries(qualityHandlers).map(([type, handle]) => [
    type,
    (em: never, e: EventEnvelope) => {
      received.push(e);
      return (handle as (em: never, e: EventEnvelope) => Promise<void>)(em, e);
    },
  ]),
) as unknown as typeof qualityHandlers;

beforeAll(async () => {
  const assessmentSettings = {
    dueDays: 14,
    declineLimit: 2,
    weeklyCap: 10,
    minEvaluators: 5,
    teacherMinBlocks: 2,
    academicYearStartMonth: 9,
    expiryIntervalMs: 60_000,
  };
  p = await startPipeline([
    { module: networkSubgraph, handlers: placementGrantHandlers },
    { module: rotationsSubgraph, handlers: rotationsEventHandlers },
    {
      module: createAssessmentSubgraph(assessmentSettings),
      handlers: assessmentEventHandlers(assessmentSettings),
    },
    { module: mentorshipSubgraph, handlers: mentorshipEventHandlers },
    { module: createQualitySubgraph(TEST_SETTINGS), handlers: recordingHandlers, tasks: [snapshotTask(TEST_SETTINGS)] },
  ]);
  demo = await seedDemoNetwork(p.subgraphs.network!.dataSource);
  mentoring = await seedDemoMentorship(p.subgraphs.mentorship!.dataSource, demo);
  const schoolId = demo.coordinator.institutionId;
  department = demo.clinicalInstructor.departmentId;
  tokens.coordinator = await tokenFor({ personId: demo.coordinator.id, institutionId: schoolId, roles: ['COORDINATOR'] });
  tokens.hospital = await tokenFor({
    personId: demo.hospitalCoordinator.id,
    institutionId: demo.hospitalCoordinator.institutionId,
    roles: ['COORDINATOR'],
  });
  tokens.instructor = await tokenFor({
    personId: demo.clinicalInstructor.id,
    institutionId: demo.clinicalInstructor.institutionId,
    roles: ['CLINICAL_INSTRUCTOR'],
  });
  tokens.quality = await tokenFor({ institutionId: demo.hospitalCoordinator.institutionId, roles: ['QUALITY_OFFICER'] });
  const other = demo.hospitals.find((h) => h.id !== demo.hospitalCoordinator.institutionId)!;
  tokens.otherQuality = await tokenFor({ institutionId: other.id, roles: ['QUALITY_OFFICER'] });
  tokens.schoolQuality = await tokenFor({ institutionId: schoolId, roles: ['QUALITY_OFFICER'] });
  const activeAgreements = await count('network', `SELECT count(*)::int AS n FROM collaboration_agreement WHERE status = 'ACTIVE'`);
  await waitFor(
    'rotations, assessment and quality to learn the demo network',
    async () =>
      (await count('assessment', 'SELECT count(*)::int AS n FROM known_student')) === demo.counts.students &&
      (await count('quality', 'SELECT count(*)::int AS n FROM known_agreement')) > 0 &&
      // The hospital's seats below need rotations to know the school's agreement.
      (await count('rotations', `SELECT count(*)::int AS n FROM known_agreement WHERE status = 'ACTIVE'`)) === activeAgreements,
    120_000,
  );
  block = (
    await data('coordinator', `mutation($input: CreateRotationBlockInput!) { createRotationBlock(input: $input) { id } }`, {
      input: { schoolId, academicYear: '2027-2028', name: 'Block Q', startsOn: '2027-09-06', endsOn: '2027-10-29' },
    })
  ).createRotationBlock.id;
  await data('hospital', `mutation($input: SetSiteCapacityInput!) { setSiteCapacity(input: $input) { seats } }`, {
    input: { departmentId: department, blockId: block, schoolId, seats: 5 },
  });
  students.push(
    ...(
      await data(
        'coordinator',
        `query($school: ID!) { students(filter: { institutionId: $school }, first: 2) { edges { node { id } } } }`,
        {
          school: schoolId,
        },
      )
    ).students.edges.map((e: { node: { id: string } }) => e.node.id as string),
  );
  for (const studentId of students) {
    const { createPlacement } = await data(
      'coordinator',
      `mutation($input: CreatePlacementInput!) { createPlacement(input: $input) { id } }`,
      { input: { studentId, departmentId: department, blockId: block, supervisorId: demo.clinicalInstructor.id } },
    );
    const step = (who: string, mutation: string) =>
      data(who, `mutation($id: ID!) { ${mutation}(input: { id: $id }) { status } }`, { id: createPlacement.id });
    await step('coordinator', 'confirmPlacement');
    await step('instructor', 'startPlacement');
    await step('instructor', 'completePlacement');
    placements.push(createPlacement.id as string);
  }
});
afterAll(() => p?.stop());

const REPORT = `query($scope: QualityScopeInput!, $period: QualityPeriodInput!) {
  qualityReport(scope: $scope, period: $period, metrics: [PLACEMENTS, PLACEMENTS_COMPLETED, TASKS_ASSIGNED]) {
    source { kind }
    root { scope { kind department { id name } } figures { metric released count } } } }`;

describe('quality through the gateway', () => {
  it("rolls up rotations' placements and assessment's tasks, and shows the department's block to its hospital's quality officer", async () => {
    // Every task assessment created for the placements, as assessment counts them.
    await waitFor(
      'the end-of-placement tasks',
      async () =>
        (await count('assessment', 'SELECT count(*)::int AS n FROM assessment_task WHERE placement_id = ANY($1)', [placements])) >= 2 * 3,
    );
    const tasks = await count('assessment', 'SELECT count(*)::int AS n FROM assessment_task WHERE placement_id = ANY($1)', [placements]);
    const vars = { scope: { kind: 'DEPARTMENT', id: department }, period: { kind: 'BLOCK', id: block } };
    const figures = async () =>
      Object.fromEntries(
        ((await data('quality', REPORT, vars)).qualityReport.root.figures as { metric: string; count: number }[]).map((f) => [
          f.metric,
          f.count,
        ]),
      );
    await waitFor('quality to roll the placements and tasks up', async () => {
      const f = await figures();
      return f.PLACEMENTS_COMPLETED === 2 && f.TASKS_ASSIGNED === tasks;
    });
    const { qualityReport } = await data('quality', REPORT, vars);
    expect(qualityReport.source).toEqual({ kind: 'LIVE' });
    expect(qualityReport.root.scope.department.id).toBe(department);
    expect(typeof qualityReport.root.scope.department.name).toBe('string');
    expect(qualityReport.root.figures).toEqual([
      { metric: 'PLACEMENTS', released: true, count: 2 },
      { metric: 'PLACEMENTS_COMPLETED', released: true, count: 2 },
      { metric: 'TASKS_ASSIGNED', released: true, count: tasks },
    ]);
  });

  it('receives evaluation tasks without the evaluating student: a keyed pseudonym, no placement, no request actor (ADR 0053)', async () => {
    // The first test waited for every task of the placements to reach quality.
    const tasks = received.filter((e) => e.type.startsWith('AssessmentTask'));
    const evaluations = tasks.filter((e) => ['SITE_EVALUATION', 'TEACHER_EVALUATION'].includes((e.payload as { role: string }).role));
    expect(new Set(evaluations.map((e) => e.id)).size).toBe(2 * 2);
    for (const e of evaluations) {
      const text = JSON.stringify(e);
      for (const id of [...students, ...placements]) expect(text).not.toContain(id);
      const p = e.payload as { assessorId: string; studentId: string; placementId: string | null };
      expect(p.assessorId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(p.studentId).toBe(p.assessorId);
      expect(p.placementId).toBeNull();
      expect(e.metadata.actorId).toBeUndefined();
    }
    // One pseudonym per student, the same for both of their evaluations.
    expect(new Set(evaluations.map((e) => (e.payload as { assessorId: string }).assessorId)).size).toBe(2);
    // A supervisor's task is received as it is: the assessor and the assessed student are the figures' subject, not evaluators.
    const supervised = tasks.filter((e) => (e.payload as { role: string }).role === 'SUPERVISOR_ASSESSMENT');
    expect(new Set(supervised.map((e) => e.id)).size).toBe(2);
    for (const e of supervised) expect(students).toContain((e.payload as { studentId: string }).studentId);
    // Quality received each task's event once (not the notifications' copy too).
    expect(new Set(tasks.map((e) => `${e.aggregateId} ${e.type}`)).size).toBe(new Set(tasks.map((e) => e.id)).size);
  });

  it("refuses another hospital's quality officer", async () => {
    const body = await gql('otherQuality', REPORT, { scope: { kind: 'DEPARTMENT', id: department }, period: { kind: 'BLOCK', id: block } });
    expect(body.errors.map((e: { extensions: { code: string } }) => e.extensions.code)).toEqual(['FORBIDDEN']);
  });

  it("counts a school's mentees and the meetings its mentors log, for the school's quality officer", async () => {
    const run = (
      await data('coordinator', `mutation($input: StartMatchingRunInput!) { startMatchingRun(input: $input) { id } }`, {
        input: { schoolId: mentoring.cohort.schoolId, cohortYear: mentoring.cohort.cohortYear },
      })
    ).startMatchingRun;
    const accepted = (
      await data(
        'coordinator',
        `mutation($input: AcceptMatchingRunInput!) { acceptMatchingRun(input: $input) { mentorships { id mentor { id } mentees { id } } } }`,
        {
          input: { runId: run.id },
        },
      )
    ).acceptMatchingRun.mentorships as { id: string; mentor: { id: string }; mentees: { id: string }[] }[];
    const mentees = accepted.flatMap((m) => m.mentees).length;
    const first = accepted[0]!;
    const mentor = mentoring.mentors.find((m) => m.id === first.mentor.id)!;
    tokens.mentor = await tokenFor({ personId: mentor.id, institutionId: mentor.institutionId, roles: mentor.roles as Role[] });
    const today = new Date().toISOString().slice(0, 10);
    await data('mentor', `mutation($input: LogMeetingInput!) { logMeeting(input: $input) { id } }`, {
      input: { mentorshipId: first.id, date: today, attendeeIds: [mentor.id, first.mentees[0]!.id], notes: 'Plans' },
    });
    const month = Number(today.slice(5, 7));
    const year = Number(today.slice(0, 4)) - (month < 9 ? 1 : 0);
    const term = { kind: 'TERM', id: `${year}-${year + 1}/${(month - 9 + 12) % 12 < 6 ? 'T1' : 'T2'}` };
    const MENTORING = `query($period: QualityPeriodInput!) { qualityReport(scope: { kind: NETWORK }, period: $period,
      metrics: [MEETINGS_PER_MENTEE, MENTEES_WITHOUT_MEETING, MENTOR_MEETINGS]) { root { figures { metric count } } } }`;
    const figures = async () =>
      Object.fromEntries(
        ((await data('schoolQuality', MENTORING, { period: term })).qualityReport.root.figures as { metric: string; count: number }[]).map(
          (f) => [f.metric, f.count],
        ),
      );
    await waitFor('quality to roll the mentorships and the meeting up', async () => {
      const f = await figures();
      return f.MEETINGS_PER_MENTEE === mentees && f.MENTOR_MEETINGS === 1;
    });
    expect(await figures()).toEqual({ MEETINGS_PER_MENTEE: mentees, MENTEES_WITHOUT_MEETING: mentees - 1, MENTOR_MEETINGS: 1 });
    // A hospital's quality officer reads no school's mentoring.
    const refused = await gql('quality', MENTORING, { period: term });
    expect(refused.errors.map((e: { extensions: { code: string } }) => e.extensions.code)).toEqual(['FORBIDDEN']);
  });
});

describe('allocation runs per specialty and learner outcomes per module, through the gateway (ADR 0043)', () => {
  // Rotations' and assessment's events in their contracts, written to their own outboxes and relayed by
  // their workers: a published run and summative assessments need an allocation and a curriculum the
  // demo pipeline does not run (rotations' and assessment's own tests cover the producing side).
  const rotationsOutbox = createOutbox('rotations');
  const assessmentOutbox = createOutbox('assessment');
  const YEAR = '2027-2028';
  const runId = randomUUID();
  const [programId, moduleId, competencyId] = [randomUUID(), randomUUID(), randomUUID()];
  let students: string[];

  beforeAll(async () => {
    const schoolId = demo.coordinator.institutionId;
    const hospitalId = demo.hospitalCoordinator.institutionId;
    students = (
      await data(
        'coordinator',
        `query($school: ID!) { students(filter: { institutionId: $school }, first: 6) { edges { node { id } } } }`,
        {
          school: schoolId,
        },
      )
    ).students.edges.map((e: { node: { id: string } }) => e.node.id as string);
    const at = { hospitalId, departmentId: department, specialty: 'CARDIOLOGY', blockId: block, startsOn: '2027-09-06' };
    await p.subgraphs.rotations!.dataSource.transaction((em) =>
      rotationsOutbox.append(em, AllocationRunPublished, runId, {
        runId,
        schoolId,
        academicYear: YEAR,
        variation: 'OPTIMAL',
        supersededRunIds: [],
        sites: [{ ...at, seatsOffered: 8, seatsFilled: students.length }],
        placements: students.map((studentId, i) => ({ studentId, ...at, rank: i < 4 ? 1 : 2 })),
        at: '2027-06-01T10:00:00.000Z',
      }),
    );
    await p.subgraphs.assessment!.dataSource.transaction(async (em) => {
      for (const studentId of students) {
        const submissionId = randomUUID();
        await assessmentOutbox.append(em, AssessmentSubmitted, submissionId, {
          taskId: randomUUID(),
          submissionId,
          version: 1,
          studentId,
          schoolId,
          assessorId: demo.clinicalInstructor.id,
          instrumentId: randomUUID(),
          instrumentKind: 'MINI_CEX',
          purpose: 'SUMMATIVE',
          placementId: randomUUID(),
          programId,
          cohortYear: 2025,
          blockId: block,
          moduleId,
          submittedAt: '2027-09-20T10:00:00.000Z',
          competencyResults: [{ competencyId, itemKey: 'history', scaleType: 'LIKERT', entrustmentMode: null, value: 4, min: 1, max: 5 }],
        });
      }
    });
  });

  it("shows a school's run per specialty to its quality office, and refuses the network's specialties to a hospital", async () => {
    const RUNS = `query($year: String!) { allocationRuns(scope: { kind: NETWORK }, year: $year) {
      name rows { key scope { kind specialty } figures { metric released count } } } }`;
    const runs = async () =>
      (await data('schoolQuality', RUNS, { year: YEAR })).allocationRuns as {
        name: string;
        rows: {
          key: string;
          scope: { kind: string; specialty: string | null };
          figures: { metric: string; released: boolean; count: number | null }[];
        }[];
      }[];
    await waitFor('quality to fold the published run', async () => (await runs()).length === 1);
    const [run] = await runs();
    const specialty = run!.rows.find((r) => r.scope.kind === 'SPECIALTY')!;
    expect(specialty.scope.specialty).toBe('CARDIOLOGY');
    expect(Object.fromEntries(specialty.figures.map((f) => [f.metric, f.count]))).toMatchObject({
      RUN_SEATS_OFFERED: 8,
      RUN_SEATS_FILLED: students.length,
      RUN_FIRST_CHOICE: students.length,
    });
    const refused = await gql('quality', RUNS, { year: YEAR });
    expect(refused.errors.map((e: { extensions: { code: string } }) => e.extensions.code)).toEqual(['FORBIDDEN']);
  });

  it("shows a program's module rows to the school's quality office, and refuses them to a hospital", async () => {
    const PROGRAM = `query($scope: QualityScopeInput!, $period: QualityPeriodInput!) {
      qualityReport(scope: $scope, period: $period, metrics: [COMPETENCY_SCORE]) {
        rows { scope { kind moduleId program { id } } figures { item released count } } } }`;
    const vars = { scope: { kind: 'PROGRAM', id: programId }, period: { kind: 'YEAR', id: YEAR } };
    const moduleRow = async () =>
      (
        (await data('schoolQuality', PROGRAM, vars)).qualityReport.rows as {
          scope: { kind: string; moduleId: string | null; program: { id: string } };
          figures: { item: string | null; released: boolean; count: number | null }[];
        }[]
      ).find((r) => r.scope.kind === 'MODULE');
    await waitFor(
      'quality to fold the assessments',
      async () => (await moduleRow())?.figures.find((f) => f.item === null)?.count === students.length,
    );
    const row = (await moduleRow())!;
    expect(row.scope).toEqual({ kind: 'MODULE', moduleId, program: { id: programId } });
    expect(row.figures.find((f) => f.item === null)).toEqual({ item: null, released: true, count: students.length });
    const refused = await gql('quality', PROGRAM, vars);
    expect(refused.errors.map((e: { extensions: { code: string } }) => e.extensions.code)).toEqual(['FORBIDDEN']);
  });
});
