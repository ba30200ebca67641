import { type DemoNetworkSummary } from '@medcollab/demo-world';
import { seedDemoNetwork } from '@medcollab/network';
import { e2eClient, tokenFor } from '@medcollab/testing';
import { type Pipeline, startPipeline, waitFor } from '../support/pipeline';

/**
 * Issue 14 end to end, through the real gateway with the real workers (network, curriculum,
 * rotations with its allocation task, assessment): an allocation run is published as proposals
 * without supervisors; the school confirms two; the hospital's coordinator asks for a proposal of
 * supervisors and applies part of it in bulk; PlacementSupervisorAssigned reaches assessment
 * (and the network's grant); on completion the supervised placement's end-of-placement
 * assessment goes to its supervisor, while the other is sampled out NO_SUPERVISOR.
 */
let p: Pipeline;
let demo: DemoNetworkSummary;
const tokens: Record<string, string> = {};
const { gql, data } = e2eClient(() => p.supergraph, tokens);
const rows = async <T>(ds: 'rotations' | 'assessment' | 'network', sql: string, params: unknown[] = []): Promise<T[]> =>
  (await p[ds].dataSource.query(sql, params)) as T[];
const count = async (ds: 'rotations' | 'assessment', sql: string, params: unknown[] = []): Promise<number> =>
  (await rows<{ n: number }>(ds, sql, params))[0]!.n;

const YEAR = '2028-2029';
let schoolId: string;
let hospitalId: string;
let department: string;
let runId: string;

beforeAll(async () => {
  p = await startPipeline({}, { allocation: true, demo: true });
  demo = await seedDemoNetwork(p.network.dataSource);
  schoolId = demo.coordinator.institutionId;
  hospitalId = demo.hospitalCoordinator.institutionId;
  department = demo.clinicalInstructor.departmentId;
  tokens.coordinator = await tokenFor({ personId: demo.coordinator.id, institutionId: schoolId, roles: ['COORDINATOR'] });
  tokens.hospital = await tokenFor({ personId: demo.hospitalCoordinator.id, institutionId: hospitalId, roles: ['COORDINATOR'] });
  tokens.instructor = await tokenFor({ personId: demo.clinicalInstructor.id, institutionId: hospitalId, roles: ['CLINICAL_INSTRUCTOR'] });
  tokens.student = await tokenFor({ personId: demo.student.id, institutionId: schoolId, roles: ['STUDENT'] });
  tokens.otherHospital = await tokenFor({ institutionId: demo.hospitals[1]!.id, roles: ['COORDINATOR'] });
  await waitFor(
    'rotations and assessment to learn the demo network',
    async () =>
      (await count('rotations', 'SELECT count(*)::int AS n FROM known_student')) === demo.counts.students &&
      (await count('rotations', 'SELECT count(*)::int AS n FROM known_staff')) === demo.counts.staff &&
      (await count('assessment', 'SELECT count(*)::int AS n FROM known_student')) === demo.counts.students,
    120_000,
  );
  const students = await count('rotations', 'SELECT count(*)::int AS n FROM known_student WHERE school_id = $1', [schoolId]);
  const { createRotationBlock } = await data(
    'coordinator',
    `mutation($input: CreateRotationBlockInput!) { createRotationBlock(input: $input) { id } }`,
    {
      input: { schoolId, academicYear: YEAR, name: 'Autumn', startsOn: '2028-09-04', endsOn: '2028-10-27' },
    },
  );
  await data('hospital', `mutation($input: SetSiteCapacityInput!) { setSiteCapacity(input: $input) { seats } }`, {
    input: { departmentId: department, blockId: createRotationBlock.id, schoolId, seats: students },
  });
  const { startAllocationRun } = await data(
    'coordinator',
    `mutation($input: StartAllocationRunInput!) { startAllocationRun(input: $input) { id } }`,
    { input: { schoolId, blockIds: [createRotationBlock.id], mechanism: 'OPTIMAL', options: { seed: 'issue-14', timeLimitSeconds: 30 } } },
  );
  runId = startAllocationRun.id;
  // Rotations' worker (its allocation task) solves the run; nobody calls the solver here.
  await waitFor(
    'the worker to solve the run',
    async () =>
      (await data('coordinator', `query($id: ID!) { allocationRun(id: $id) { status } }`, { id: runId })).allocationRun.status ===
      'SUCCEEDED',
    120_000,
  );
  await data('coordinator', `mutation($id: ID!) { publishAllocationRun(runId: $id, variation: OPTIMAL) { status } }`, { id: runId });
}, 300_000);
afterAll(() => p?.stop());

const PROPOSE = `query($d: ID!, $r: ID!, $cap: Int!) { proposeSupervisors(departmentId: $d, runId: $r, maxStudentsPerInstructor: $cap) {
  awaitingConfirmation assignments { placement { id } supervisor { id } studentsInBlock } unassigned { placement { id } reason explanation } } }`;
const ASSIGN = `mutation($input: AssignPlacementSupervisorsInput!) { assignPlacementSupervisors(input: $input) { id supervisor { id } } }`;
const step = (who: string, mutation: string, id: string) =>
  data(who, `mutation($id: ID!) { ${mutation}(input: { id: $id }) { status } }`, { id });

describe('published placements get their supervisors (issue 14)', () => {
  it('a supervisor named after publication receives the end-of-placement assessment; an unsupervised placement is sampled out', async () => {
    const published = await rows<{ id: string; supervisor_id: string | null }>(
      'rotations',
      `SELECT id, supervisor_id FROM placement WHERE allocation_run_id = $1 AND status = 'PROPOSED' ORDER BY id LIMIT 2`,
      [runId],
    );
    expect(published).toHaveLength(2);
    expect(published.every((r) => r.supervisor_id === null)).toBe(true);
    const [supervised, unsupervised] = published.map((r) => r.id) as [string, string];

    // While they are the school's proposals, the hospital is shown none of them, only how many wait.
    const before = (await data('hospital', PROPOSE, { d: department, r: runId, cap: 1 })).proposeSupervisors;
    expect(before.assignments).toEqual([]);
    expect(before.awaitingConfirmation).toBe(
      await count('rotations', `SELECT count(*)::int AS n FROM placement WHERE allocation_run_id = $1 AND department_id = $2`, [
        runId,
        department,
      ]),
    );

    for (const id of [supervised, unsupervised]) await step('coordinator', 'confirmPlacement', id);
    // A cap of 2 covers both, whether the department has one active instructor or more.
    const { proposeSupervisors } = await data('hospital', PROPOSE, { d: department, r: runId, cap: 2 });
    expect(proposeSupervisors.unassigned).toEqual([]);
    expect(proposeSupervisors.assignments.map((a: { placement: { id: string } }) => a.placement.id).sort()).toEqual(
      [supervised, unsupervised].sort(),
    );
    const proposed = proposeSupervisors.assignments.find((a: { placement: { id: string } }) => a.placement.id === supervised) as {
      supervisor: { id: string };
      studentsInBlock: number;
    };
    expect([1, 2]).toContain(proposed.studentsInBlock);
    const supervisorId = proposed.supervisor.id;
    const [instructor] = await rows<{ roles: string[]; department_id: string; active: boolean }>(
      'rotations',
      `SELECT roles, department_id, active FROM known_staff WHERE id = $1`,
      [supervisorId],
    );
    expect(instructor).toMatchObject({ department_id: department, active: true });
    expect(instructor!.roles).toContain('CLINICAL_INSTRUCTOR');

    // The school reads but does not assign; instructors, students and another hospital are refused.
    const input = { assignments: [{ placementId: supervised, supervisorId }] };
    for (const who of ['coordinator', 'instructor', 'student', 'otherHospital'])
      expect((await gql(who, ASSIGN, { input })).errors[0].extensions.code).toBe('FORBIDDEN');

    // The hospital applies the part of the proposal it wants: only the first placement.
    expect((await data('hospital', ASSIGN, { input })).assignPlacementSupervisors).toEqual([
      { id: supervised, supervisor: { id: supervisorId } },
    ]);
    expect(
      (await data('coordinator', `query($id: ID!) { placement(id: $id) { supervisor { id } } }`, { id: supervised })).placement.supervisor,
    ).toEqual({
      id: supervisorId,
    });

    // PlacementSupervisorAssigned reaches assessment and the network's grant before anything else happens to the placement.
    await waitFor(
      'assessment to learn the supervisor',
      async () =>
        (
          await rows<{ supervisor_id: string | null }>('assessment', `SELECT supervisor_id FROM known_placement WHERE id = $1`, [
            supervised,
          ])
        )[0]?.supervisor_id === supervisorId,
    );
    await waitFor(
      'the network grant to name the supervisor',
      async () =>
        (
          await rows<{ supervisor_id: string | null }>(
            'network',
            `SELECT supervisor_id FROM hospital_access_grant WHERE placement_id = $1`,
            [supervised],
          )
        )[0]?.supervisor_id === supervisorId,
    );

    for (const id of [supervised, unsupervised]) {
      await step('hospital', 'startPlacement', id);
      await step('hospital', 'completePlacement', id);
    }
    await waitFor(
      'both completions to reach assessment',
      async () =>
        (await count(
          'assessment',
          `SELECT count(*)::int AS n FROM task_sampling WHERE placement_id = $1 AND role = 'SUPERVISOR_ASSESSMENT'`,
          [unsupervised],
        )) === 1 &&
        (await count(
          'assessment',
          `SELECT count(*)::int AS n FROM assessment_task WHERE placement_id = $1 AND role = 'SUPERVISOR_ASSESSMENT'`,
          [supervised],
        )) === 1,
    );

    // The supervisor finds the assessment among their own tasks, through the gateway.
    tokens.supervisor = await tokenFor({ personId: supervisorId, institutionId: hospitalId, roles: ['CLINICAL_INSTRUCTOR'] });
    const mine = (
      await data('supervisor', `{ myAssessmentTasks(first: 50) { edges { node { role status placement { id } } } } }`)
    ).myAssessmentTasks.edges.map((e: { node: unknown }) => e.node);
    expect(mine).toContainEqual({ role: 'SUPERVISOR_ASSESSMENT', status: 'PENDING', placement: { id: supervised } });
    const sampled = (
      await data('coordinator', `query($s: ID!) { sampledOutTasks(schoolId: $s) { placement { id } role reason } }`, { s: schoolId })
    ).sampledOutTasks as { placement: { id: string }; role: string; reason: string }[];
    expect(sampled).toContainEqual({ placement: { id: unsupervised }, role: 'SUPERVISOR_ASSESSMENT', reason: 'NO_SUPERVISOR' });
    expect(sampled.filter((s) => s.placement.id === supervised)).toEqual([]);
  });
});
