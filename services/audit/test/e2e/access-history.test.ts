import { type DemoNetworkSummary } from '@medcollab/demo-world';
import { placementGrantHandlers, networkSubgraph, seedDemoNetwork } from '@medcollab/network';
import { rotationsEventHandlers, rotationsSubgraph } from '@medcollab/rotations';
import { type Pipeline, startPipeline, tokenFor, waitFor } from '@medcollab/testing';
import { verifyChains } from '../../src/data/verify';
import { auditEventHandlers } from '../../src/projections';
import { createAuditSubgraph } from '../../src/server';

/**
 * The audit trail end to end: a hospital instructor reads a placed student's placements through
 * the real gateway; rotations and network record the reads, their workers relay AuditRecorded,
 * the audit worker chains the entries, and the student sees who looked at their record. Another
 * school's admin is refused the school's trail.
 */
let p: Pipeline;
let demo: DemoNetworkSummary;
const tokens: Record<string, string> = {};
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const gql = async (who: string, query: string, variables: Record<string, unknown> = {}): Promise<any> =>
  (await p.supergraph.request(query, { token: tokens[who], variables })).body;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const data = async (who: string, query: string, variables: Record<string, unknown> = {}): Promise<any> => {
  const body = await gql(who, query, variables);
  if (body.errors) throw new Error(`${who}: ${JSON.stringify(body.errors)}`);
  return body.data;
};

let schoolId: string;
let studentId: string;

beforeAll(async () => {
  p = await startPipeline([
    { module: networkSubgraph, handlers: placementGrantHandlers },
    { module: rotationsSubgraph, handlers: rotationsEventHandlers },
    {
      module: createAuditSubgraph({
        exportSecret: 'audit-e2e-export-secret',
        exportTtlSeconds: 60,
        publicUrl: 'http://127.0.0.1',
        retentionIntervalMs: 60_000,
        checkpointIntervalMs: 60_000,
      }),
      handlers: auditEventHandlers(),
    },
  ]);
  demo = await seedDemoNetwork(p.subgraphs.network!.dataSource);
  schoolId = demo.coordinator.institutionId;
  const otherSchool = demo.schools.find((s) => s.id !== schoolId)!.id;
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
  tokens.schoolAdmin = await tokenFor({ personId: demo.institutionAdmin.id, institutionId: schoolId, roles: ['INSTITUTION_ADMIN'] });
  tokens.otherAdmin = await tokenFor({ personId: demo.institutionAdmin.id, institutionId: otherSchool, roles: ['INSTITUTION_ADMIN'] });
  const rotations = p.subgraphs.rotations!.dataSource;
  await waitFor(
    'rotations to learn the demo network',
    async () => ((await rotations.query(`SELECT count(*)::int AS n FROM known_student`)) as { n: number }[])[0]!.n === demo.counts.students,
    30_000,
  );
  studentId = demo.student.id;
  tokens.student = await tokenFor({ personId: studentId, institutionId: schoolId, roles: ['STUDENT'] });

  // A confirmed placement in the instructor's department, supervised by them.
  const block = await data('coordinator', `mutation($input: CreateRotationBlockInput!) { createRotationBlock(input: $input) { id } }`, {
    input: { schoolId, academicYear: '2027-2028', name: 'Block A', startsOn: '2027-09-06', endsOn: '2027-10-29' },
  });
  const blockId = block.createRotationBlock.id;
  await data('hospital', `mutation($input: SetSiteCapacityInput!) { setSiteCapacity(input: $input) { seats } }`, {
    input: { departmentId: demo.clinicalInstructor.departmentId, blockId, schoolId, seats: 2 },
  });
  const placement = await data('coordinator', `mutation($input: CreatePlacementInput!) { createPlacement(input: $input) { id } }`, {
    input: { studentId, departmentId: demo.clinicalInstructor.departmentId, blockId, supervisorId: demo.clinicalInstructor.id },
  });
  await data('coordinator', `mutation($id: ID!) { confirmPlacement(input: { id: $id }) { status } }`, { id: placement.createPlacement.id });
}, 240_000);
afterAll(() => p?.stop());

const instructorRead = {
  action: 'READ',
  actorRoles: ['CLINICAL_INSTRUCTOR'],
  operation: 'InstructorReadsPlacements',
  reason: null,
  change: null,
};
const READ = `query InstructorReadsPlacements($id: ID!) { student(id: $id) { familyName placements { status department { name } } } }`;
const HISTORY = `query MyAccessHistory($id: ID!) {
  student(id: $id) { accessHistory(first: 50) { edges { node { action actorId actorRoles recordType fields operation service reason change } } } }
}`;

describe('who read my record, through the gateway', () => {
  it("shows the student the instructor's read of their placements, with the operation and fields", async () => {
    await waitFor('the hospital grant', async () => !(await gql('instructor', READ, { id: studentId })).errors, 30_000);
    const { student } = await data('instructor', READ, { id: studentId });
    expect(student.placements).toEqual([{ status: 'CONFIRMED', department: { name: 'Internal Medicine' } }]);

    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    let entries: any[] = [];
    await waitFor(
      "the instructor's reads in the student's access history",
      async () => {
        entries = (await data('student', HISTORY, { id: studentId })).student.accessHistory.edges.map((e: { node: unknown }) => e.node);
        return entries.some((e) => e.actorId === demo.clinicalInstructor.id && e.recordType === 'Placement');
      },
      30_000,
    );
    const byInstructor = entries.filter((e) => e.actorId === demo.clinicalInstructor.id);
    expect(byInstructor).toEqual(
      expect.arrayContaining([
        {
          ...instructorRead,
          actorId: demo.clinicalInstructor.id,
          recordType: 'Placement',
          fields: ['department', 'status'],
          service: 'rotations',
        },
        { ...instructorRead, actorId: demo.clinicalInstructor.id, recordType: 'Student', fields: ['familyName', 'id'], service: 'network' },
      ]),
    );
    // Only reads by the instructor, and only of this student's records (the history is the student's own).
    expect(byInstructor.every((e) => e.action === 'READ')).toBe(true);
    // The school's confirmation is there as a change, with its operation.
    expect(entries).toContainEqual(expect.objectContaining({ action: 'CHANGE', recordType: 'Placement', change: 'confirmPlacement' }));
  });

  it("lets the school's admin list the entries and refuses another school's admin and the instructor", async () => {
    const LIST = `query($filter: AuditEntryFilter!) { auditEntries(filter: $filter) { edges { node { actorId recordType student { id } } } } }`;
    const filter = { institutionId: schoolId, studentId };
    const own = await data('schoolAdmin', LIST, { filter });
    expect(own.auditEntries.edges.some((e: { node: { actorId: string } }) => e.node.actorId === demo.clinicalInstructor.id)).toBe(true);
    for (const who of ['otherAdmin', 'instructor', 'student']) {
      const refused = await gql(who, LIST, { filter });
      expect(refused.errors.map((e: { extensions: { code: string } }) => e.extensions.code)).toEqual(['FORBIDDEN']);
      expect(refused.data).toBeNull();
    }
    const otherHistory = await gql('otherAdmin', HISTORY, { id: studentId });
    expect(otherHistory.errors[0].extensions.code).toBe('FORBIDDEN');
    // Entries from two services and many requests: the school's chain verifies end to end.
    const [report] = await verifyChains(p.subgraphs.audit!.dataSource, schoolId);
    expect(report).toMatchObject({ institutionId: schoolId, broken: null });
    expect(report!.checked).toBeGreaterThan(3);
  });
});
