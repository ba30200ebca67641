import {
  BLOCK_BOARD,
  DEPARTMENT_PAGE,
  INSTITUTIONS_AND_AGREEMENTS,
  PORTFOLIO,
  QUALITY_REPORT,
  STUDENTS_PAGE,
  TASK_INBOX,
  type DashboardOperation,
} from '@medcollab/operations';
import { buildScaleWorld, loadScaleWorld, type ScaleWorld } from '@medcollab/scale-world';
import { type Pipeline, startPipeline, tokenFor } from '@medcollab/testing';
import { SCALE_SERVICES } from './support';

/**
 * The dashboard operations of issue 16, sent through the real gateway as clients send them
 * (named, with variables) over a generated network: the SQL statements every subgraph sends
 * for one operation do not grow with the number of rows it returns — a page of 10 costs what a
 * page of many costs, a student with few records what one with many costs. The documents are
 * the bench's (@medcollab/operations).
 */
let p: Pipeline;
let world: ScaleWorld;
/** A network admin's staff list: 100 people with email and roles (a page size the cost limit must allow). */
const STAFF_PAGE: DashboardOperation<{ first: number }> = {
  key: 'staffPage',
  title: 'staff page (100) with email and roles',
  operationName: 'StaffPage',
  query: `query StaffPage($first: Int!) {
  staffMembers(first: $first) { totalCount edges { node { id givenName familyName email roles department { id name } } } pageInfo { hasNextPage endCursor } }
}`,
  variables: ({ first }) => ({ first }),
};

beforeAll(async () => {
  p = await startPipeline(SCALE_SERVICES.map(({ module }) => ({ module: module as never })));
  world = buildScaleWorld({ scale: 'tiny', seed: 'operations' });
  await loadScaleWorld(
    world,
    SCALE_SERVICES.map(({ module, load }) => ({ service: module.name, dataSource: p.subgraphs[module.name]!.dataSource, load })),
  );
});
afterAll(async () => {
  await p?.stop();
});

/** The statements of the last measured request, per subgraph. */
let last: Record<string, string[]> = {};

interface Measured {
  /** SQL statements per subgraph for one request. */
  statements: Record<string, number>;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  data: any;
}

/**
 * Sends the operation once to warm caches (query plan, DataLoader code paths), then once counted.
 * FORBIDDEN on a field is the policy at work (a school's coordinator does not see a hospital's
 * staff; an assessor sees a student only while the placement grants it) and is part of the
 * answer; any other error fails.
 */
async function measure<S>(op: DashboardOperation<S>, token: string, subject: S): Promise<Measured> {
  const query = op.query;
  const variables = op.variables(subject);
  await p.supergraph.request(query, { token, variables });
  for (const c of Object.values(p.counters)) c.reset();
  const { body } = await p.supergraph.request(query, { token, variables });
  const unexpected = (body.errors ?? []).filter((e) => e.extensions?.code !== 'FORBIDDEN');
  if (unexpected.length) throw new Error(JSON.stringify(unexpected));
  const statements = Object.fromEntries(
    Object.entries(p.counters)
      .map(([name, c]) => [name, c.count] as const)
      .filter(([, n]) => n > 0),
  );
  last = Object.fromEntries(Object.entries(p.counters).map(([name, c]) => [name, [...c.statements]]));
  return { statements, data: body.data };
}

const school = () => world.institutions.find((i) => i.kind === 'SCHOOL')!;
const person = (id: string) => world.staff.find((s) => s.id === id)!;

test('1 block board: the same statements for 10 placements as for a page of 200 (every placement of the block)', async () => {
  const coordinator = world.staff.find((s) => s.institutionId === school().id && s.roles.includes('COORDINATOR'))!;
  const token = await tokenFor({ personId: coordinator.id, institutionId: school().id, roles: ['COORDINATOR'] });
  const block = world.blocks.find((b) => b.schoolId === school().id && b.academicYear === '2026-2027')!;
  const small = await measure(BLOCK_BOARD, token, { blockId: block.id, first: 10 });
  // The board's real size, in a variable: within the gateway's cost limit and the list's page cap.
  const large = await measure(BLOCK_BOARD, token, { blockId: block.id, first: 200 });
  expect(small.data.placements.edges).toHaveLength(10);
  expect(large.data.placements.edges.length).toBe(world.placements.filter((x) => x.blockId === block.id).length);
  expect(large.data.placements.edges.length).toBeGreaterThan(20);
  expect(large.data.placements.edges[0].node.department.name).toBeTruthy();
  expect(large.statements).toEqual(small.statements);
  expect(Object.keys(large.statements).sort()).toEqual(['network', 'rotations']);
});

test('the dashboards’ real page sizes, passed in variables, pass the gateway’s cost limit; a larger page is refused', async () => {
  // 100 staff with email and roles (a network admin's staff list), 50 tasks with their instruments' items (test 4).
  const admin = world.staff.find((s) => s.roles.includes('NETWORK_ADMIN'))!;
  const token = await tokenFor({ personId: admin.id, institutionId: admin.institutionId, roles: ['NETWORK_ADMIN'] });
  const small = await measure(STAFF_PAGE, token, { first: 10 });
  const large = await measure(STAFF_PAGE, token, { first: 100 });
  expect(large.data.staffMembers.edges).toHaveLength(Math.min(100, world.staff.length));
  expect(
    large.data.staffMembers.edges.every((e: { node: { email: string; roles: string[] } }) => e.node.email && e.node.roles.length),
  ).toBe(true);
  expect(large.statements).toEqual(small.statements);
  // Past the block board's cap the owner refuses the size (not the gateway's cost check).
  const { body } = await p.supergraph.request(BLOCK_BOARD.query, { token, variables: { blockId: world.blocks[0]!.id, first: 201 } });
  expect(body.errors?.map((e) => e.extensions?.code)).toEqual(['BAD_USER_INPUT']);
});

test('2 student portfolio: the same statements for a student with few records as for one with many', async () => {
  const coordinator = world.staff.find((s) => s.institutionId === school().id && s.roles.includes('COORDINATOR'))!;
  const token = await tokenFor({ personId: coordinator.id, institutionId: school().id, roles: ['COORDINATOR'] });
  const mentored = new Set(world.mentorships.map((m) => m.studentId));
  const tasksOf = (id: string) => world.tasks.filter((t) => t.placement.studentId === id).length;
  const students = world.students
    .filter((s) => s.schoolId === school().id && mentored.has(s.id))
    .sort((a, b) => tasksOf(a.id) - tasksOf(b.id));
  const [few, many] = [students[0]!, students[students.length - 1]!];
  expect(tasksOf(many.id)).toBeGreaterThan(tasksOf(few.id) + 5);
  // The school's own post profile, generated with the world (curriculum's, projected to assessment).
  const profile = world.postProfiles.find((x) => x.schoolId === school().id)!;
  const small = await measure(PORTFOLIO, token, { studentId: few.id, postProfileId: profile.id });
  const large = await measure(PORTFOLIO, token, { studentId: many.id, postProfileId: profile.id });
  expect(large.data.student.assessmentTasks.length).toBe(tasksOf(many.id));
  expect(large.data.student.competencyProgress.length).toBeGreaterThan(0);
  expect(large.data.student.mentorships).toHaveLength(1);
  // Readiness with real figures: every requirement counted, evidence from the world's submissions.
  expect(large.data.student.readiness.requirementCount).toBe(profile.requirements.length);
  expect(large.data.student.readiness.score).toBeGreaterThan(0);
  expect(large.data.student.readiness.metCount).toBeLessThan(profile.requirements.length);
  expect(large.statements).toEqual(small.statements);
});

test('3 department page: the same statements for a department with few placements as for one with many', async () => {
  const placementsOf = (id: string) => world.placements.filter((x) => x.departmentId === id).length;
  const hospital = world.institutions.find((i) => i.kind === 'HOSPITAL' && world.placements.some((x) => x.hospitalId === i.id))!;
  const departments = world.departments
    .filter((d) => d.institutionId === hospital.id)
    .sort((a, b) => placementsOf(a.id) - placementsOf(b.id));
  const officer = world.staff.find((s) => s.institutionId === hospital.id && s.roles.includes('QUALITY_OFFICER'))!;
  const token = await tokenFor({ personId: officer.id, institutionId: hospital.id, roles: ['QUALITY_OFFICER', 'COORDINATOR'] });
  const [few, many] = [departments[0]!, departments[departments.length - 1]!];
  const small = await measure(DEPARTMENT_PAGE, token, { departmentId: few.id, academicYear: '2026-2027' });
  const large = await measure(DEPARTMENT_PAGE, token, { departmentId: many.id, academicYear: '2026-2027' });
  expect(large.data.department.placements.length).toBeGreaterThan(small.data.department.placements.length);
  // The department's quality figures for the year come from the world's rollups (loadScaleQuality).
  const figures = large.data.department.quality.figures as { metric: string; released: boolean; count: number | null }[];
  expect(figures.some((f) => f.released && (f.count ?? 0) > 0)).toBe(true);
  expect(large.statements).toEqual(small.statements);
});

test('4 assessor task inbox: the same statements for 10 tasks with instruments as for 50', async () => {
  const load = new Map<string, number>();
  for (const t of world.tasks)
    if (t.role === 'ASSIGNED' || t.role === 'SUPERVISOR_ASSESSMENT') load.set(t.assessorId, (load.get(t.assessorId) ?? 0) + 1);
  const [assessorId] = [...load.entries()].sort((a, b) => b[1] - a[1])[0]!;
  const assessor = person(assessorId);
  expect(load.get(assessorId)).toBeGreaterThanOrEqual(50);
  const token = await tokenFor({ personId: assessor.id, institutionId: assessor.institutionId, roles: ['CLINICAL_INSTRUCTOR'] });
  const small = await measure(TASK_INBOX, token, { first: 10 });
  const large = await measure(TASK_INBOX, token, { first: 50 });
  expect(small.data.myAssessmentTasks.edges).toHaveLength(10);
  expect(large.data.myAssessmentTasks.edges).toHaveLength(50);
  expect(large.data.myAssessmentTasks.edges[0].node.instrument.items.length).toBeGreaterThan(0);
  const largeNetwork = last.network ?? [];
  expect(large.statements.assessment).toBe(small.statements.assessment);
  // The network answers the students in one statement and their grants in another; when some
  // of the page's students are not the assessor's to see (their placement's access ended), the
  // policy reads the caller's staff record once more. Bounded, whatever the page size.
  const extra = largeNetwork.length - (small.statements.network ?? 0);
  expect(extra).toBeLessThanOrEqual(1);
  // (The audit record of the request is one INSERT in both, so it is not the extra statement.)
  if (extra === 1) expect(largeNetwork.filter((sql) => /FROM "staff_member"/.test(sql)).length).toBeGreaterThanOrEqual(1);
});

test("5 quality report of a hospital's year: the same statements for every hospital", async () => {
  const hospitals = world.institutions.filter((i) => i.kind === 'HOSPITAL').slice(0, 2);
  const measured: Measured[] = [];
  for (const hospital of hospitals) {
    const officer = world.staff.find((s) => s.institutionId === hospital.id && s.roles.includes('QUALITY_OFFICER'))!;
    const token = await tokenFor({ personId: officer.id, institutionId: hospital.id, roles: ['QUALITY_OFFICER'] });
    measured.push(await measure(QUALITY_REPORT, token, { hospitalId: hospital.id, academicYear: '2026-2027' }));
  }
  expect(measured[0]!.statements).toEqual(measured[1]!.statements);
  expect(measured[0]!.statements.quality).toBeGreaterThan(0);
  // The report has the hospital's departments as rows, with figures from the world's rollups.
  expect(measured[0]!.data.qualityReport.rows.length).toBeGreaterThan(0);
  expect(measured[0]!.data.qualityReport.root.figures.some((f: { count: number | null }) => (f.count ?? 0) > 0)).toBe(true);
});

test('6 institutions and agreements (pages), and a students page: the same statements for a small page as for a large one', async () => {
  const admin = world.staff.find((s) => s.roles.includes('NETWORK_ADMIN'))!;
  const adminToken = await tokenFor({ personId: admin.id, institutionId: admin.institutionId, roles: ['NETWORK_ADMIN'] });
  // Rows of one department against the dashboard's pages (50 rows, every department of a tiny world's hospital: ADR 0056).
  const twoEach = await measure(INSTITUTIONS_AND_AGREEMENTS, adminToken, { first: 2, departments: 1 });
  const institutions = await measure(INSTITUTIONS_AND_AGREEMENTS, adminToken, { first: 50 });
  expect(twoEach.data.institutionsPage.edges).toHaveLength(2);
  expect(twoEach.data.agreementsPage.pageInfo.hasNextPage).toBe(true);
  expect(institutions.data.institutionsPage.edges).toHaveLength(world.institutions.length);
  expect(institutions.data.agreementsPage.edges).toHaveLength(world.agreements.length);
  expect(institutions.data.agreementsPage.totalCount).toBe(world.agreements.length);
  const departments = (row: { node: { departmentsPage: { totalCount: number; edges: unknown[] } } }) => row.node.departmentsPage;
  const hospitalRow = institutions.data.institutionsPage.edges.find((e: { node: { kind: string } }) => e.node.kind === 'HOSPITAL');
  expect(departments(hospitalRow).edges).toHaveLength(departments(hospitalRow).totalCount);
  expect(departments(twoEach.data.agreementsPage.edges[0]).edges).toHaveLength(1);
  expect(Object.keys(institutions.statements)).toEqual(['network']);
  expect(institutions.statements).toEqual(twoEach.statements);

  const coordinator = world.staff.find((s) => s.institutionId === school().id && s.roles.includes('COORDINATOR'))!;
  const token = await tokenFor({ personId: coordinator.id, institutionId: school().id, roles: ['COORDINATOR'] });
  const small = await measure(STUDENTS_PAGE, token, { first: 10 });
  const large = await measure(STUDENTS_PAGE, token, { first: 50 });
  expect(small.data.students.edges).toHaveLength(10);
  expect(large.data.students.edges).toHaveLength(50);
  expect(large.data.students.edges[49].node.school.name).toBe(school().name);
  expect(large.statements).toEqual(small.statements);
});
