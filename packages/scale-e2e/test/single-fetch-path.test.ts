import {
  BLOCK_BOARD,
  DEPARTMENT_PAGE,
  INSTITUTIONS_AND_AGREEMENTS,
  PORTFOLIO,
  QUALITY_REPORT,
  STUDENTS_PAGE,
  TASK_INBOX,
  type AnyDashboardOperation,
} from '@medcollab/operations';
import { buildScaleWorld, loadScaleWorld, type ScaleWorld } from '@medcollab/scale-world';
import { type Pipeline, startPipeline, startSupergraph, tokenFor, type RunningSupergraph } from '@medcollab/testing';
import { SCALE_SERVICES } from './support';

/**
 * The gateway's single-fetch path (ADR 0039) over the real services and a generated network:
 * every dashboard operation of issue 16, and refusals, answered by the pipeline's gateway (path
 * on) and by a second gateway with SINGLE_FETCH_PATH off, in front of the same subgraphs. Status
 * and body must be identical, byte for byte once serialized; the operations one subgraph answers
 * (5, 6a, 6b) must have taken the path, the others the planned one; their answers of data alone
 * must have gone on as the subgraph's bytes (ADR 0059), the refusals parsed and masked.
 */
let p: Pipeline;
let normal: RunningSupergraph;
let world: ScaleWorld;

beforeAll(async () => {
  p = await startPipeline(SCALE_SERVICES.map(({ module }) => ({ module: module as never })));
  world = buildScaleWorld({ scale: 'tiny', seed: 'single-fetch' });
  await loadScaleWorld(
    world,
    SCALE_SERVICES.map(({ module, load }) => ({ service: module.name, dataSource: p.subgraphs[module.name]!.dataSource, load })),
  );
  normal = await startSupergraph({
    subgraphs: Object.entries(p.subgraphs).map(([name, s]) => ({ name, url: s.url })),
    gatewayConfig: { SINGLE_FETCH_PATH: false, LOG_LEVEL: 'silent' },
  });
});
afterAll(async () => {
  await normal?.stop();
  await p?.stop();
});

/** Sends one operation through both gateways (the path-on one twice: its first request teaches it the route). */
async function compare(op: AnyDashboardOperation, token: string, variables: Record<string, unknown>) {
  const opts = { token, variables, operationName: op.operationName };
  const served = p.supergraph.gateway.singleFetch!.served;
  await p.supergraph.request(op.query, opts);
  const [before, rawBefore] = [served.singleFetch, served.rawData];
  const fast = await p.supergraph.request(op.query, opts);
  const path = served.singleFetch > before ? 'single-fetch' : 'planned';
  const asBytes = served.rawData > rawBefore;
  const slow = await normal.request(op.query, opts);
  expect(fast.status).toBe(slow.status);
  expect(JSON.stringify(fast.body)).toBe(JSON.stringify(slow.body));
  return { path, asBytes, body: fast.body };
}

const school = () => world.institutions.find((i) => i.kind === 'SCHOOL')!;
const staffWith = (role: string, institutionId?: string) =>
  world.staff.find((s) => s.roles.includes(role as never) && (!institutionId || s.institutionId === institutionId))!;
const tokenOf = (role: string, institutionId?: string) => {
  const person = staffWith(role, institutionId);
  return tokenFor({ personId: person.id, institutionId: person.institutionId, roles: [role as never] });
};

test('the operations one subgraph answers take the path and answer as before: 5, 6a, 6b', async () => {
  const hospital = world.institutions.find((i) => i.kind === 'HOSPITAL')!;
  const officer = await tokenOf('QUALITY_OFFICER', hospital.id);
  const report = await compare(QUALITY_REPORT, officer, QUALITY_REPORT.variables({ hospitalId: hospital.id, academicYear: '2026-2027' }));
  expect(report).toMatchObject({ path: 'single-fetch', asBytes: true });
  expect(report.body.data.qualityReport.rows.length).toBeGreaterThan(0);

  const admin = await tokenOf('NETWORK_ADMIN');
  const pages = await compare(INSTITUTIONS_AND_AGREEMENTS, admin, INSTITUTIONS_AND_AGREEMENTS.variables({ first: 50 }));
  expect(pages).toMatchObject({ path: 'single-fetch', asBytes: true });
  expect(pages.body.data.institutionsPage.edges.length).toBeGreaterThan(0);

  const coordinator = await tokenOf('COORDINATOR', school().id);
  const students = await compare(STUDENTS_PAGE, coordinator, { first: 50 });
  expect(students).toMatchObject({ path: 'single-fetch', asBytes: true });
  expect(students.body.data.students.edges).toHaveLength(50);
});

test('the operations several subgraphs answer keep the planned path and answer the same: 1 to 4', async () => {
  const coordinator = await tokenOf('COORDINATOR', school().id);
  const block = world.blocks.find((b) => b.schoolId === school().id && b.academicYear === '2026-2027')!;
  expect((await compare(BLOCK_BOARD, coordinator, { blockId: block.id, first: 50 })).path).toBe('planned');
  const student = world.students.find((s) => s.schoolId === school().id)!;
  expect((await compare(PORTFOLIO, coordinator, { studentId: student.id, postProfileId: student.id })).path).toBe('planned');
  const hospital = world.institutions.find((i) => i.kind === 'HOSPITAL' && world.departments.some((d) => d.institutionId === i.id))!;
  const department = world.departments.find((d) => d.institutionId === hospital.id)!;
  const officer = await tokenOf('QUALITY_OFFICER', hospital.id);
  const page = await compare(DEPARTMENT_PAGE, officer, { departmentId: department.id, period: { kind: 'YEAR', id: '2026-2027' } });
  expect(page.path).toBe('planned');
  const assessor = world.tasks.find((t) => t.role === 'SUPERVISOR_ASSESSMENT')!.assessorId;
  const person = world.staff.find((s) => s.id === assessor)!;
  const inbox = await tokenFor({ personId: person.id, institutionId: person.institutionId, roles: ['CLINICAL_INSTRUCTOR'] });
  expect((await compare(TASK_INBOX, inbox, { first: 50 })).path).toBe('planned');
});

test("refusals and scopes answer the same on the path: another institution (FORBIDDEN), a bad argument (BAD_USER_INPUT), a student's own record", async () => {
  const [own, other] = world.institutions.filter((i) => i.kind === 'HOSPITAL');
  const officer = await tokenOf('QUALITY_OFFICER', own!.id);
  const foreign = await compare(QUALITY_REPORT, officer, QUALITY_REPORT.variables({ hospitalId: other!.id, academicYear: '2026-2027' }));
  expect(foreign).toMatchObject({ path: 'single-fetch', asBytes: false });
  expect(foreign.body.errors?.map((e: { extensions?: { code?: string } }) => e.extensions?.code)).toEqual(['FORBIDDEN']);

  const badYear = await compare(QUALITY_REPORT, officer, QUALITY_REPORT.variables({ hospitalId: own!.id, academicYear: 'last year' }));
  expect(badYear).toMatchObject({ path: 'single-fetch', asBytes: false });
  expect(badYear.body.errors?.map((e: { extensions?: { code?: string } }) => e.extensions?.code)).toEqual(['BAD_USER_INPUT']);

  // A student listing students sees their own record only (the network's list scope), through the path.
  const student = world.students[0]!;
  const studentToken = await tokenFor({ personId: student.id, institutionId: student.schoolId, roles: ['STUDENT'] });
  const list = await compare(STUDENTS_PAGE, studentToken, { first: 10 });
  expect(list.path).toBe('single-fetch');
  expect(list.body.data.students.edges.map((e: { node: { id: string } }) => e.node.id)).toEqual([student.id]);
});
