import { networkAdmin } from './support/actors';
import { buildWorld, createInstitution, proposeAgreement, registerStaff, registerStudent, type World } from './support/fixtures';
import { type NetworkHarness, ok, startNetwork } from './support/harness';

let h: NetworkHarness;
let w: World;

beforeAll(async () => {
  h = await startNetwork();
  w = await buildWorld(h);
  // 60 students spread over five schools, so a page needs several different schools.
  const schools = [w.schoolA, w.schoolB, ...(await Promise.all([1, 2, 3].map(() => createInstitution(h, 'SCHOOL'))))];
  for (let batch = 0; batch < 3; batch++) {
    await Promise.all(Array.from({ length: 20 }, (_, i) => registerStudent(h, (schools[i % schools.length] as { id: string }).id)));
  }
  for (const d of w.hDepartments) await registerStaff(h, w.hospitalH.id, ['CLINICAL_INSTRUCTOR'], { departmentId: d.id });
  for (const [i, d] of w.hDepartments.entries()) {
    await proposeAgreement(h, {
      schoolId: w.schoolA.id,
      hospitalId: w.hospitalH.id,
      departmentIds: [d.id],
      startsOn: `203${i}-01-01`,
      endsOn: `203${i}-12-31`,
    });
  }
});
afterAll(() => h.stop());

/** Statements one request sends. */
async function statementsFor(query: string, variables: Record<string, unknown> = {}) {
  h.counter.reset();
  const data = ok(await h.call(networkAdmin(), query, variables));
  return { count: h.counter.count, data };
}

describe('batched loading', () => {
  const STUDENTS = `query($first: Int) { students(first: $first) { edges { node { school { name departments { name } } } } } }`;

  it('loads a page of students with their schools in a constant number of statements', async () => {
    const ten = await statementsFor(STUDENTS, { first: 10 });
    const fifty = await statementsFor(STUDENTS, { first: 50 });
    expect(ten.data.students.edges).toHaveLength(10);
    expect(fifty.data.students.edges).toHaveLength(50);
    expect(fifty.count).toBeLessThanOrEqual(4);
    expect(fifty.count).toBe(ten.count);
  });

  it('counts only when totalCount is asked for, and pages on with the cursor', async () => {
    const first = await statementsFor(`{ students(first: 25) { totalCount pageInfo { hasNextPage endCursor } edges { node { id } } } }`);
    // The page, its count and the request's one audit INSERT (ADR 0008; was 2 before the audit trail).
    expect(first.count).toBe(3);
    expect(first.data.students.totalCount).toBe(60);
    const seen = new Set(first.data.students.edges.map((e: { node: { id: string } }) => e.node.id));
    let after = first.data.students.pageInfo.endCursor;
    for (;;) {
      const page = ok(
        await h.call(
          networkAdmin(),
          `query($after: String) { students(first: 25, after: $after) { pageInfo { hasNextPage endCursor } edges { node { id } } } }`,
          { after },
        ),
      );
      for (const e of page.students.edges) seen.add(e.node.id);
      if (!page.students.pageInfo.hasNextPage) break;
      after = page.students.pageInfo.endCursor;
    }
    expect(seen.size).toBe(60);
  });

  it('loads staff with institution and department, and agreements with parties and departments, in constant statements', async () => {
    const staff = await statementsFor(`{ staffMembers(first: 50) { edges { node { institution { name } department { name } } } } }`);
    expect(staff.count).toBe(3);
    const agreements = await statementsFor(
      `{ agreements { school { name } hospital { name } departments { name institution { name } } } }`,
    );
    expect(agreements.data.agreements).toHaveLength(3);
    // The list, then institutions and departments (one statement each); departments' institutions come from the cache.
    expect(agreements.count).toBe(3);
  });

  it('refuses a page size above 100 and a forged cursor', async () => {
    const big = await h.call(networkAdmin(), `{ students(first: 101) { edges { cursor } } }`);
    expect(big.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const forged = await h.call(networkAdmin(), `{ students(after: "bm90LWEtY3Vyc29y") { edges { cursor } } }`);
    expect(forged.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});
