import { type DemoNetworkSummary } from '@medcollab/demo-world';
import { seedDemoNetwork } from '@medcollab/network';
import { e2eClient, countRows, tokenFor } from '@medcollab/testing';
import { type CurriculumPipeline, startCurriculumPipeline, waitFor } from '../support/pipeline';

/**
 * Network, curriculum and rotations behind the real gateway, every worker running: the
 * department's specialty reaches rotations with the network's AgreementActivated, the
 * enrolment with curriculum's EnrollmentChanged, and a completion recorded in curriculum
 * (ModuleCompleted) lifts rotations' PREREQUISITE_NOT_MET refusal.
 */
let p: CurriculumPipeline;
let demo: DemoNetworkSummary;
const tokens: Record<string, string> = {};
const { gql, data } = e2eClient(() => p.supergraph, tokens);
const rotationsCount = (sql: string, params: unknown[] = []): Promise<number> => countRows(p.rotations.dataSource, sql, params);

let schoolId: string;
let edDepartment: string;

beforeAll(async () => {
  p = await startCurriculumPipeline();
  demo = await seedDemoNetwork(p.network.dataSource);
  schoolId = demo.coordinator.institutionId;
  const person = (x: { id: string; institutionId: string }, role: 'INSTITUTION_ADMIN' | 'COORDINATOR' | 'NETWORK_ADMIN') =>
    tokenFor({ personId: x.id, institutionId: x.institutionId, roles: [role] });
  tokens.schoolAdmin = await person(demo.institutionAdmin, 'INSTITUTION_ADMIN');
  tokens.coordinator = await person(demo.coordinator, 'COORDINATOR');
  tokens.hospital = await person(demo.hospitalCoordinator, 'COORDINATOR');
  tokens.admin = await person(demo.networkAdmin, 'NETWORK_ADMIN');
  const { institution } = await data('admin', `query($id: ID!) { institution(id: $id) { departments { id specialty } } }`, {
    id: demo.hospitalCoordinator.institutionId,
  });
  edDepartment = institution.departments.find((d: { specialty: string }) => d.specialty === 'EMERGENCY_MEDICINE').id;
  const knows = async (ds: CurriculumPipeline['rotations']['dataSource'], sql: string) =>
    ((await ds.query(sql, [demo.student.id])) as unknown[]).length > 0;
  await waitFor(
    'curriculum and rotations to learn the demo network',
    async () =>
      (await knows(p.curriculum.dataSource, 'SELECT 1 FROM known_student WHERE id = $1')) &&
      (await knows(p.rotations.dataSource, 'SELECT 1 FROM known_student WHERE id = $1')) &&
      (await rotationsCount(`SELECT count(*)::int AS n FROM known_department WHERE id = $1 AND specialty = 'EMERGENCY_MEDICINE'`, [
        edDepartment,
      ])) === 1,
  );
}, 240_000);
afterAll(() => p?.stop());

describe('rotation prerequisites across curriculum and rotations, through the gateway', () => {
  it('refuses the placement until the completion recorded in curriculum reaches rotations', async () => {
    const studentId = demo.student.id;
    const { createProgram } = await data('schoolAdmin', `mutation($input: CreateProgramInput!) { createProgram(input: $input) { id } }`, {
      input: { schoolId, title: 'Acute care pathway' },
    });
    const programId = createProgram.id as string;
    const { addModule } = await data('schoolAdmin', `mutation($input: AddModuleInput!) { addModule(input: $input) { id } }`, {
      input: { programId, code: 'ACU-101', title: 'Acute care foundations', year: 1 },
    });
    const moduleId = addModule.id as string;
    await data('coordinator', `mutation($input: EnrollStudentInput!) { enrollStudent(input: $input) { id } }`, {
      input: { studentId, programId },
    });
    await data('coordinator', `mutation($input: SetRotationRequirementInput!) { setRotationRequirement(input: $input) { id } }`, {
      input: { schoolId, programId, specialty: 'EMERGENCY_MEDICINE', blocks: 1, prerequisiteModuleIds: [moduleId] },
    });
    const { createRotationBlock } = await data(
      'coordinator',
      `mutation($input: CreateRotationBlockInput!) { createRotationBlock(input: $input) { id } }`,
      {
        input: { schoolId, academicYear: '2027-2028', name: 'Acute block', startsOn: '2027-09-06', endsOn: '2027-10-29' },
      },
    );
    const blockId = createRotationBlock.id as string;
    await data('hospital', `mutation($input: SetSiteCapacityInput!) { setSiteCapacity(input: $input) { seats } }`, {
      input: { departmentId: edDepartment, blockId, schoolId, seats: 2 },
    });

    // EnrollmentChanged travels curriculum outbox -> relay -> rotations worker -> known_enrollment.
    await waitFor(
      'rotations to learn the enrolment',
      async () =>
        (await rotationsCount(`SELECT count(*)::int AS n FROM known_enrollment WHERE student_id = $1 AND program_id = $2`, [
          studentId,
          programId,
        ])) === 1,
    );
    const CREATE = `mutation($input: CreatePlacementInput!) { createPlacement(input: $input) { id status } }`;
    const input = { studentId, departmentId: edDepartment, blockId };
    const refused = await gql('coordinator', CREATE, { input });
    expect(refused.errors[0].extensions).toMatchObject({
      code: 'CONFLICT',
      reason: 'PREREQUISITE_NOT_MET',
      specialty: 'EMERGENCY_MEDICINE',
      missingModuleIds: [moduleId],
    });

    const { recordModuleCompletion } = await data(
      'schoolAdmin',
      `mutation($input: RecordModuleCompletionInput!) { recordModuleCompletion(input: $input) { status } }`,
      {
        input: { studentId, moduleId, completedOn: '2027-06-15' },
      },
    );
    expect(recordModuleCompletion.status).toBe('COMPLETED');
    // ModuleCompleted follows the same path; once it is applied the same request is accepted.
    await waitFor(
      'rotations to learn the completion',
      async () =>
        (await rotationsCount(`SELECT count(*)::int AS n FROM known_module_completion WHERE student_id = $1 AND module_id = $2`, [
          studentId,
          moduleId,
        ])) === 1,
    );
    const { createPlacement } = await data('coordinator', CREATE, { input });
    expect(createPlacement.status).toBe('PROPOSED');
  });
});
