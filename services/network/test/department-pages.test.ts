import { type Actor } from '@medcollab/kit';
import { asStudent, networkAdmin, staffOf } from './support/actors';
import { buildWorld, createDepartment, proposeAgreement, registerStudent, type World } from './support/fixtures';
import { codes, type NetworkHarness, ok, startNetwork } from './support/harness';

/**
 * `Institution.departmentsPage` and `CollaborationAgreement.departmentsPage` (ADR 0056): the rows
 * of the plain `departments` lists in their order, a page at a time, with totalCount; the same
 * refusals as the parent's; and statements that grow neither with the outer page nor the inner.
 */
let h: NetworkHarness;
let w: World;
/** Hospital H's departments (three from the world, eight more here), and an agreement covering eight of them. */
let hDepartments: string[];
let agreementAH: string;

const GROWN = 60;

beforeAll(async () => {
  h = await startNetwork();
  w = await buildWorld(h);
  // Names that sort differently by case and by prefix, so the order is the lists' and not the ids'.
  for (const name of ['Zeta ward', 'alpha clinic', 'Alpha Surgery', 'Beta', 'beta 2', 'Cardiology', 'cardiology North', 'Dermatology']) {
    await createDepartment(h, w.hospitalH.id, name);
  }
  hDepartments = (
    (await h.dataSource.query(`SELECT id FROM department WHERE institution_id = $1`, [w.hospitalH.id])) as { id: string }[]
  ).map((r) => r.id);
  agreementAH = (
    await proposeAgreement(h, {
      schoolId: w.schoolA.id,
      hospitalId: w.hospitalH.id,
      departmentIds: hDepartments.slice(0, 8),
      startsOn: '2027-01-01',
      endsOn: '2027-12-31',
    })
  ).id;
  // A grown network, written directly: 60 more hospitals with three departments each, and school B's agreement with each.
  await h.dataSource.query(
    `WITH hospitals AS (
       INSERT INTO institution (id, name, kind, timezone)
       SELECT gen_random_uuid(), 'Paged Hospital ' || lpad(n::text, 3, '0'), 'HOSPITAL', 'Europe/Paris' FROM generate_series(1, $2) n
       RETURNING id),
     departments AS (
       INSERT INTO department (id, institution_id, name)
       SELECT gen_random_uuid(), id, 'Ward ' || k FROM hospitals CROSS JOIN generate_series(1, 3) k RETURNING id, institution_id),
     agreements AS (
       INSERT INTO collaboration_agreement (id, school_id, hospital_id, starts_on, ends_on, status)
       SELECT gen_random_uuid(), $1, id, DATE '2028-01-01', DATE '2029-12-31', 'PROPOSED' FROM hospitals RETURNING id, hospital_id)
     INSERT INTO agreement_department (agreement_id, department_id)
     SELECT a.id, d.id FROM agreements a JOIN departments d ON d.institution_id = a.hospital_id`,
    [w.schoolB.id, GROWN],
  );
});
afterAll(() => h.stop());

interface Page {
  totalCount: number;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  edges: { node: { id: string } }[];
}

interface Parent {
  departments: { id: string }[];
  departmentsPage: Page;
}

const INSTITUTION = `query($id: ID!, $first: Int, $after: String) { institution(id: $id) {
  departments { id }
  departmentsPage(first: $first, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { node { id } } } } }`;
const AGREEMENT = `query($id: ID!, $first: Int, $after: String) { agreement(id: $id) {
  departments { id }
  departmentsPage(first: $first, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { node { id } } } } }`;

/** Every department id of one parent's pages of `first`, the plain list beside them, and the pages it took. */
async function walk(actor: Actor, query: string, field: 'institution' | 'agreement', id: string, first: number) {
  const ids: string[] = [];
  let list: string[] = [];
  let after: string | null = null;
  let pages = 0;
  let totalCount = -1;
  for (;;) {
    const parent: Parent = ok(await h.call<Record<string, Parent>>(actor, query, { id, first, after }))[field]!;
    list = parent.departments.map((d) => d.id);
    pages += 1;
    totalCount = parent.departmentsPage.totalCount;
    expect(parent.departmentsPage.edges.length).toBeLessThanOrEqual(first);
    ids.push(...parent.departmentsPage.edges.map((e) => e.node.id));
    if (!parent.departmentsPage.pageInfo.hasNextPage) break;
    after = parent.departmentsPage.pageInfo.endCursor;
  }
  return { ids, list, pages, totalCount };
}

describe('Institution.departmentsPage', () => {
  it("pages through exactly the institution's departments list, in its order", async () => {
    const walked = await walk(networkAdmin(), INSTITUTION, 'institution', w.hospitalH.id, 3);
    expect(walked.list).toHaveLength(11);
    expect(walked.ids).toEqual(walked.list);
    expect(walked.pages).toBe(4);
    expect(walked.totalCount).toBe(11);
    // One page of all of them, and an institution without any.
    expect((await walk(networkAdmin(), INSTITUTION, 'institution', w.hospitalH.id, 100)).pages).toBe(1);
    expect(await walk(networkAdmin(), INSTITUTION, 'institution', w.schoolA.id, 5)).toEqual({ ids: [], list: [], pages: 1, totalCount: 0 });
  });

  it('is a directory, as departments is: any signed-in caller reads it', async () => {
    const student = await registerStudent(h, w.schoolA.id);
    for (const actor of [asStudent(student), staffOf(w.hospitalK.id, 'TEACHER')]) {
      expect((await walk(actor, INSTITUTION, 'institution', w.hospitalH.id, 4)).totalCount).toBe(11);
    }
  });
});

describe('CollaborationAgreement.departmentsPage', () => {
  it("pages through exactly the agreement's departments, by name as the hospital's own pages order them", async () => {
    const walked = await walk(networkAdmin(), AGREEMENT, 'agreement', agreementAH, 3);
    expect(walked.list).toHaveLength(8);
    // The plain list sorts in JavaScript (localeCompare) and the pages in PostgreSQL, which may
    // order case apart: the same departments, in the order the hospital's departmentsPage has.
    expect([...walked.ids].sort()).toEqual([...walked.list].sort());
    const hospitalOrder = (await walk(networkAdmin(), INSTITUTION, 'institution', w.hospitalH.id, 100)).ids;
    expect(walked.ids).toEqual(hospitalOrder.filter((id) => walked.list.includes(id)));
    expect(walked.pages).toBe(3);
    expect(walked.totalCount).toBe(8);
  });

  it('is refused with the agreement: FORBIDDEN to an outsider, nothing of it in the answer', async () => {
    const outsider = staffOf(w.schoolB.id, 'COORDINATOR');
    const answer = await h.call<{ agreement: unknown }>(outsider, AGREEMENT, { id: agreementAH, first: 5 });
    expect(codes(answer)).toEqual(['FORBIDDEN']);
    expect(answer.data?.agreement ?? null).toBeNull();
    // A party's staff read it.
    expect((await walk(staffOf(w.hospitalH.id, 'COORDINATOR'), AGREEMENT, 'agreement', agreementAH, 5)).totalCount).toBe(8);
  });
});

describe('refusals of the page arguments', () => {
  it('refuses a page size outside 1..100 and a forged or foreign cursor', async () => {
    for (const query of [INSTITUTION, AGREEMENT]) {
      const id = query === INSTITUTION ? w.hospitalH.id : agreementAH;
      expect(codes(await h.call(networkAdmin(), query, { id, first: 0 }))).toEqual(['BAD_USER_INPUT']);
      expect(codes(await h.call(networkAdmin(), query, { id, first: 101 }))).toEqual(['BAD_USER_INPUT']);
      const forged = Buffer.from(JSON.stringify(['Beta', 'not-an-id'])).toString('base64url');
      expect(codes(await h.call(networkAdmin(), query, { id, after: forged }))).toEqual(['BAD_USER_INPUT']);
      expect(codes(await h.call(networkAdmin(), query, { id, after: 'bm9wZQ' }))).toEqual(['BAD_USER_INPUT']);
    }
  });
});

describe('statements per page', () => {
  const DEEP = `query($first: Int, $departments: Int) {
    institutionsPage(first: $first) { totalCount edges { node { id departmentsPage(first: $departments) { totalCount edges { node { id name } } } } } }
    agreementsPage(first: $first) { totalCount edges { node { id school { name } hospital { name }
      departmentsPage(first: $departments) { totalCount edges { node { name institution { name } } } } } } } }`;

  async function statementsFor(variables: Record<string, unknown>) {
    h.counter.reset();
    const data = ok(await h.call<{ institutionsPage: { edges: { node: { departmentsPage: Page } }[] } }>(networkAdmin(), DEEP, variables));
    return { count: h.counter.count, data };
  }

  it('is the same for 2 rows of 1 department as for 100 rows of 50, whatever the hospitals hold', async () => {
    const small = await statementsFor({ first: 2, departments: 1 });
    const large = await statementsFor({ first: 100, departments: 50 });
    expect(large.data.institutionsPage.edges).toHaveLength(64);
    expect(large.data.institutionsPage.edges.some((e) => e.node.departmentsPage.edges.length === 11)).toBe(true);
    // Two pages and their counts, the parties (one batch), the departments' pages and counts (two
    // kinds of parent), the departments' institutions (one batch).
    expect(small.count).toBeLessThanOrEqual(9);
    expect(large.count).toBe(small.count);
  });

  it('sends no count when no totalCount is asked', async () => {
    const query = `query { institutionsPage(first: 100) { edges { node { departmentsPage(first: 5) { edges { node { id } } } } } } }`;
    h.counter.reset();
    ok(await h.call(networkAdmin(), query));
    // The institutions' page, then one statement for every institution's departments.
    expect(h.counter.count).toBe(2);
  });
});
