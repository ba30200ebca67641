import { type Actor } from '@medcollab/kit';
import { asStudent, networkAdmin, staffOf } from './support/actors';
import { buildWorld, proposeAgreement, registerStudent, type StudentRef, type World } from './support/fixtures';
import { codes, type NetworkHarness, ok, startNetwork } from './support/harness';

/**
 * `agreementsPage` and `institutionsPage` (issue 16, "connections where lists can grow"): the
 * same rows in the same order as the plain lists, a page at a time; the same refusals; and a
 * constant number of statements whatever the page size.
 */
let h: NetworkHarness;
let w: World;
let student: StudentRef;
let agreementAH: string;

const GROWN = 200;

beforeAll(async () => {
  h = await startNetwork();
  w = await buildWorld(h);
  student = await registerStudent(h, w.schoolA.id);
  agreementAH = (
    await proposeAgreement(h, {
      schoolId: w.schoolA.id,
      hospitalId: w.hospitalH.id,
      departmentIds: [w.hDepartments[0]!.id],
      startsOn: '2027-01-01',
      endsOn: '2027-12-31',
    })
  ).id;
  // A grown network, written directly (200 agreements through the API would only slow the test):
  // 200 more hospitals with a department each, and school A's agreement with each of them.
  // Several share a start date, so the order's tiebreaker (the id) is exercised across pages.
  await h.dataSource.query(
    `WITH hospitals AS (
       INSERT INTO institution (id, name, kind, timezone)
       SELECT gen_random_uuid(), 'Paged Hospital ' || lpad(n::text, 3, '0'), 'HOSPITAL', 'Europe/Paris' FROM generate_series(1, $2) n
       RETURNING id),
     departments AS (
       INSERT INTO department (id, institution_id, name) SELECT gen_random_uuid(), id, 'Ward' FROM hospitals RETURNING id, institution_id),
     agreements AS (
       INSERT INTO collaboration_agreement (id, school_id, hospital_id, starts_on, ends_on, status)
       SELECT gen_random_uuid(), $1, institution_id, DATE '2028-01-01' + (row_number() OVER (ORDER BY id))::int % 17, DATE '2029-12-31', 'PROPOSED'
         FROM departments RETURNING id, hospital_id)
     INSERT INTO agreement_department (agreement_id, department_id)
     SELECT a.id, d.id FROM agreements a JOIN departments d ON d.institution_id = a.hospital_id`,
    [w.schoolA.id, GROWN],
  );
});
afterAll(() => h.stop());

const AGREEMENTS = `query($filter: AgreementFilter) { agreements(filter: $filter) { id } }`;
const AGREEMENTS_PAGE = `query($filter: AgreementFilter, $first: Int, $after: String) {
  agreementsPage(filter: $filter, first: $first, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id } } }
}`;
const INSTITUTIONS = `query($kind: InstitutionKind) { institutions(kind: $kind) { id } }`;
const INSTITUTIONS_PAGE = `query($kind: InstitutionKind, $first: Int, $after: String) {
  institutionsPage(kind: $kind, first: $first, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { node { id } } }
}`;

interface Page {
  totalCount: number;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  edges: { node: { id: string } }[];
}

/** Every id of a connection, walking its pages of `first`; also how many pages it took. */
async function walk(actor: Actor, query: string, field: string, first: number, variables: Record<string, unknown> = {}) {
  const ids: string[] = [];
  let after: string | null = null;
  let pages = 0;
  let totalCount = -1;
  for (;;) {
    const page = ok(await h.call<Record<string, Page>>(actor, query, { ...variables, first, after }))[field] as Page;
    pages += 1;
    totalCount = page.totalCount;
    expect(page.edges.length).toBeLessThanOrEqual(first);
    ids.push(...page.edges.map((e) => e.node.id));
    if (!page.pageInfo.hasNextPage) break;
    after = page.pageInfo.endCursor;
  }
  return { ids, pages, totalCount };
}

describe('agreementsPage', () => {
  it('pages through exactly the list of agreements, in its order, without repeats', async () => {
    const all = ok(await h.call<{ agreements: { id: string }[] }>(networkAdmin(), AGREEMENTS)).agreements.map((a) => a.id);
    expect(all.length).toBe(GROWN + 1);
    const walked = await walk(networkAdmin(), AGREEMENTS_PAGE, 'agreementsPage', 7);
    expect(walked.ids).toEqual(all);
    expect(walked.pages).toBe(Math.ceil(all.length / 7));
    expect(walked.totalCount).toBe(all.length);
    // With a filter as well: the hospital's side, one agreement.
    const filtered = await walk(networkAdmin(), AGREEMENTS_PAGE, 'agreementsPage', 5, { filter: { hospitalId: w.hospitalH.id } });
    expect(filtered).toEqual({ ids: [agreementAH], pages: 1, totalCount: 1 });
  });

  it('refuses whom agreements refuses and narrows whom it narrows', async () => {
    const schoolBCoordinator = staffOf(w.schoolB.id, 'COORDINATOR');
    const otherSide = { filter: { schoolId: w.schoolA.id } };
    expect(codes(await h.call(schoolBCoordinator, AGREEMENTS, otherSide))).toEqual(['FORBIDDEN']);
    expect(codes(await h.call(schoolBCoordinator, AGREEMENTS_PAGE, otherSide))).toEqual(['FORBIDDEN']);
    for (const actor of [staffOf(w.hospitalH.id, 'COORDINATOR'), staffOf(w.hospitalK.id, 'COORDINATOR'), asStudent(student)]) {
      const list = ok(await h.call<{ agreements: { id: string }[] }>(actor, AGREEMENTS)).agreements.map((a) => a.id);
      expect((await walk(actor, AGREEMENTS_PAGE, 'agreementsPage', 100)).ids).toEqual(list);
    }
    expect((await walk(staffOf(w.hospitalH.id, 'COORDINATOR'), AGREEMENTS_PAGE, 'agreementsPage', 100)).ids).toEqual([agreementAH]);
    expect((await walk(asStudent(student), AGREEMENTS_PAGE, 'agreementsPage', 100)).totalCount).toBe(0);
  });

  it('refuses a page size outside 1..100 and a forged cursor', async () => {
    expect(codes(await h.call(networkAdmin(), AGREEMENTS_PAGE, { first: 0 }))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await h.call(networkAdmin(), AGREEMENTS_PAGE, { first: 101 }))).toEqual(['BAD_USER_INPUT']);
    const forged = Buffer.from(JSON.stringify(['not a date', agreementAH])).toString('base64url');
    expect(codes(await h.call(networkAdmin(), AGREEMENTS_PAGE, { after: forged }))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await h.call(networkAdmin(), AGREEMENTS_PAGE, { after: 'bm9wZQ' }))).toEqual(['BAD_USER_INPUT']);
  });
});

describe('institutionsPage', () => {
  it('pages through exactly the list of institutions, by name, with and without a kind', async () => {
    for (const kind of [undefined, 'HOSPITAL', 'SCHOOL']) {
      const all = ok(await h.call<{ institutions: { id: string }[] }>(asStudent(student), INSTITUTIONS, { kind })).institutions.map(
        (i) => i.id,
      );
      const walked = await walk(asStudent(student), INSTITUTIONS_PAGE, 'institutionsPage', 9, { kind });
      expect(walked.ids).toEqual(all);
      expect(walked.totalCount).toBe(all.length);
    }
    expect((await walk(networkAdmin(), INSTITUTIONS_PAGE, 'institutionsPage', 100, { kind: 'HOSPITAL' })).ids.length).toBe(GROWN + 2);
  });

  it('refuses a forged cursor', async () => {
    const forged = Buffer.from(JSON.stringify(['Paged', 'not-an-id'])).toString('base64url');
    expect(codes(await h.call(networkAdmin(), INSTITUTIONS_PAGE, { after: forged }))).toEqual(['BAD_USER_INPUT']);
  });
});

describe('statements per page', () => {
  /** Statements one request sends (the request's audit INSERT included). */
  async function statementsFor(actor: Actor, query: string, variables: Record<string, unknown>) {
    h.counter.reset();
    ok(await h.call(actor, query, variables));
    return h.counter.count;
  }
  const AGREEMENTS_DEEP = `query($first: Int, $after: String) { agreementsPage(first: $first, after: $after) {
    totalCount edges { node { id status school { name } hospital { name departments { name } } departments { name institution { name } } } } } }`;
  const INSTITUTIONS_DEEP = `query($first: Int, $after: String) { institutionsPage(first: $first, after: $after) {
    totalCount edges { node { id name departments { id name } } } } }`;

  it('is the same for a page of 10 as for a page of 100 among 200, and on a later page', async () => {
    const admin = networkAdmin();
    for (const query of [AGREEMENTS_DEEP, INSTITUTIONS_DEEP]) {
      const ten = await statementsFor(admin, query, { first: 10 });
      const hundred = await statementsFor(admin, query, { first: 100 });
      const field = query.includes('agreementsPage') ? 'agreementsPage' : 'institutionsPage';
      const { endCursor } = (
        ok(await h.call<Record<string, Page>>(admin, query.replace('totalCount', 'pageInfo { endCursor } totalCount'), { first: 100 }))[
          field
        ] as Page
      ).pageInfo;
      const later = await statementsFor(admin, query, { first: 100, after: endCursor });
      // Page, count, one batch per nested type (institutions, departments), the audit INSERT.
      expect(ten).toBeLessThanOrEqual(6);
      expect(hundred).toBe(ten);
      expect(later).toBe(ten);
    }
  });
});
