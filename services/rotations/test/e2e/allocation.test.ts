import { type DemoNetworkSummary } from '@medcollab/demo-world';
import { seedDemoNetwork } from '@medcollab/network';
import { tokenFor } from '@medcollab/testing';
import { processNextAllocationRun } from '../../src/allocation/processor';
import { type Pipeline, startPipeline, waitFor } from '../support/pipeline';

/**
 * An allocation run as a coordinator lives it, through the real gateway: start it, wait while
 * the worker's processor solves it, read metrics and explanations, publish it as proposals.
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
const count = async (sql: string, params: unknown[] = []): Promise<number> =>
  ((await p.rotations.dataSource.query(sql, params)) as { n: number }[])[0]!.n;

const YEAR = '2028-2029';
let schoolId: string;
let departments: string[];
let blocks: string[];

beforeAll(async () => {
  p = await startPipeline();
  demo = await seedDemoNetwork(p.network.dataSource);
  schoolId = demo.coordinator.institutionId;
  tokens.coordinator = await tokenFor({ personId: demo.coordinator.id, institutionId: schoolId, roles: ['COORDINATOR'] });
  tokens.hospital = await tokenFor({
    personId: demo.hospitalCoordinator.id,
    institutionId: demo.hospitalCoordinator.institutionId,
    roles: ['COORDINATOR'],
  });
  tokens.student = await tokenFor({ personId: demo.student.id, institutionId: demo.student.institutionId, roles: ['STUDENT'] });
  tokens.admin = await tokenFor({
    personId: demo.networkAdmin.id,
    institutionId: demo.networkAdmin.institutionId,
    roles: ['NETWORK_ADMIN'],
  });
  await waitFor(
    'rotations to learn the demo network',
    async () =>
      (await count('SELECT count(*)::int AS n FROM known_student')) === demo.counts.students &&
      (await count(`SELECT count(*)::int AS n FROM known_agreement WHERE status = 'ACTIVE'`)) >= 5,
    60_000,
  );
  const students = await count('SELECT count(*)::int AS n FROM known_student WHERE school_id = $1', [schoolId]);

  // Two blocks; two departments of the partner hospital share enough seats for every student.
  const create = `mutation($input: CreateRotationBlockInput!) { createRotationBlock(input: $input) { id } }`;
  blocks = [
    (
      await data('coordinator', create, {
        input: { schoolId, academicYear: YEAR, name: 'Autumn', startsOn: '2028-09-04', endsOn: '2028-10-27' },
      })
    ).createRotationBlock.id,
    (
      await data('coordinator', create, {
        input: { schoolId, academicYear: YEAR, name: 'Winter', startsOn: '2028-11-06', endsOn: '2028-12-22' },
      })
    ).createRotationBlock.id,
  ];
  const { institution } = await data('admin', `query($id: ID!) { institution(id: $id) { departments { id } } }`, {
    id: demo.hospitalCoordinator.institutionId,
  });
  departments = [
    demo.clinicalInstructor.departmentId,
    institution.departments.map((d: { id: string }) => d.id).find((id: string) => id !== demo.clinicalInstructor.departmentId),
  ];
  const seats = `mutation($input: SetSiteCapacityInput!) { setSiteCapacity(input: $input) { seats } }`;
  for (const blockId of blocks) {
    for (const departmentId of departments)
      await data('hospital', seats, { input: { departmentId, blockId, schoolId, seats: Math.ceil(students / 2) + 2 } });
  }
  // The demo student ranks the second department first.
  const now = Date.now();
  await data('coordinator', `mutation($input: OpenPreferenceWindowInput!) { openPreferenceWindow(input: $input) { academicYear } }`, {
    input: {
      schoolId,
      academicYear: YEAR,
      opensAt: new Date(now - 60_000).toISOString(),
      closesAt: new Date(now + 86_400_000).toISOString(),
    },
  });
  await data('student', `mutation($input: SubmitPreferencesInput!) { submitPreferences(input: $input) { rank } }`, {
    input: {
      studentId: demo.student.id,
      academicYear: YEAR,
      rankings: [
        { rank: 1, departmentId: departments[1] },
        { rank: 2, departmentId: departments[0] },
      ],
    },
  });
}, 240_000);
afterAll(() => p?.stop());

const RUN = `query($id: ID!) { allocationRun(id: $id) { id status progress seed
  variations { mechanism status metrics { students assignments firstChoiceShare worstRank unplacedStudents unfilledSeats optimalityGap timeLimitReached }
    assignments(first: 10) { totalCount edges { node { student { id } department { id } block { id } rank explanation } } } } } }`;

describe('allocation runs through the gateway', () => {
  it('starts a run, waits for the worker, reads metrics and explanations, publishes it', async () => {
    const start = `mutation($input: StartAllocationRunInput!) { startAllocationRun(input: $input) { id status seed } }`;
    const input = { schoolId, academicYear: YEAR, mechanism: 'OPTIMAL', options: { seed: 'e2e-seed', timeLimitSeconds: 30 } };
    expect((await gql('student', start, { input })).errors[0].extensions.code).toBe('FORBIDDEN');
    const { startAllocationRun } = await data('coordinator', start, { input });
    expect(startAllocationRun).toMatchObject({ status: 'QUEUED', seed: 'e2e-seed' });

    // The worker's loop body: claim the oldest queued run and solve it (never inside a request).
    await processNextAllocationRun(p.rotations.dataSource);
    let run: {
      status: string;
      variations: {
        mechanism: string;
        status: string;
        metrics: Record<string, number | boolean | null>;
        assignments: {
          totalCount: number;
          edges: { node: { student: { id: string }; department: { id: string }; rank: number; explanation: string } }[];
        };
      }[];
    } | null = null;
    await waitFor('the run to finish', async () => {
      run = (await data('coordinator', RUN, { id: startAllocationRun.id })).allocationRun;
      return run!.status === 'SUCCEEDED';
    });
    const optimal = run!.variations.find((v) => v.mechanism === 'OPTIMAL')!;
    const lottery = run!.variations.find((v) => v.mechanism === 'LOTTERY')!;
    expect(optimal.status).toBe('OPTIMAL');
    expect(optimal.metrics).toMatchObject({ unplacedStudents: 0, optimalityGap: 0, timeLimitReached: false });
    expect(optimal.metrics.assignments).toBe((optimal.metrics.students as number) * 2);
    expect(optimal.metrics.firstChoiceShare as number).toBeGreaterThanOrEqual(lottery.metrics.firstChoiceShare as number);
    expect(optimal.metrics.worstRank as number).toBeLessThanOrEqual(lottery.metrics.worstRank as number);
    expect(optimal.assignments.totalCount).toBe(optimal.metrics.assignments);
    for (const e of optimal.assignments.edges) expect(e.node.explanation).toEqual(expect.any(String));

    // The student sees only their own assignments: their first choice, explained in plain words.
    const seen = (await data('student', RUN, { id: startAllocationRun.id })).allocationRun;
    const mine = seen.variations.find((v: { mechanism: string }) => v.mechanism === 'OPTIMAL').assignments.edges as {
      node: { student: { id: string }; department: { id: string }; rank: number; explanation: string };
    }[];
    expect(mine).toHaveLength(2);
    for (const e of mine) expect(e.node.student.id).toBe(demo.student.id);
    expect(mine.some((e) => e.node.department.id === departments[1] && e.node.rank === 1)).toBe(true);
    for (const e of mine) expect(e.node.explanation).toEqual(expect.any(String));

    const publish = `mutation($id: ID!, $v: AllocationMechanism!) { publishAllocationRun(runId: $id, variation: $v) { status } }`;
    expect((await gql('student', publish, { id: startAllocationRun.id, v: 'OPTIMAL' })).errors[0].extensions.code).toBe('FORBIDDEN');
    await data('coordinator', publish, { id: startAllocationRun.id, v: 'OPTIMAL' });
    expect(await count(`SELECT count(*)::int AS n FROM placement WHERE status = 'PROPOSED' AND block_id = ANY($1::uuid[])`, [blocks])).toBe(
      optimal.metrics.assignments,
    );
    expect((await gql('coordinator', publish, { id: startAllocationRun.id, v: 'OPTIMAL' })).errors[0].extensions.code).toBe('CONFLICT');
  });
});
