import { type Actor, signActorHeaders } from '@medcollab/kit';
import { asStudent, networkAdmin, staffOf } from './support/actors';
import { rowCounts } from './support/db';
import { buildWorld, M, proposeAgreement, registerStaff, registerStudent, type StudentRef, uniq, type World } from './support/fixtures';
import { codes, type NetworkHarness, ok, startNetwork, TEST_SECRET } from './support/harness';

let h: NetworkHarness;
let w: World;
let a1: StudentRef;
let a2: StudentRef;
let b1: StudentRef;
let agreementAH: string;

beforeAll(async () => {
  h = await startNetwork();
  w = await buildWorld(h);
  [a1, a2, b1] = await Promise.all([registerStudent(h, w.schoolA.id), registerStudent(h, w.schoolA.id), registerStudent(h, w.schoolB.id)]);
  const departmentIds = [w.hDepartments[0]?.id as string];
  agreementAH = (
    await proposeAgreement(h, {
      schoolId: w.schoolA.id,
      hospitalId: w.hospitalH.id,
      departmentIds,
      startsOn: '2025-01-01',
      endsOn: '2026-01-01',
    })
  ).id;
});
afterAll(() => h.stop());

const STUDENT = `query($id: ID!) { student(id: $id) { id email school { id } } }`;
const STUDENTS = `query($filter: StudentFilter) { students(filter: $filter, first: 100) { totalCount edges { node { id school { id } } } } }`;
const ENTITIES = `query($representations: [_Any!]!) { _entities(representations: $representations) { ... on Student { id email } ... on Institution { id name } ... on CollaborationAgreement { id status } ... on StaffMember { id } } }`;

const studentIds = async (actor: Actor, filter?: Record<string, unknown>) => {
  const { students } = ok(
    await h.call<{ students: { totalCount: number; edges: { node: { id: string } }[] } }>(actor, STUDENTS, { filter }),
  );
  expect(students.totalCount).toBe(students.edges.length);
  return students.edges.map((e) => e.node.id).sort();
};

describe('reading students', () => {
  it('lets a student read themself but not a classmate', async () => {
    expect(ok(await h.call(asStudent(a1), STUDENT, { id: a1.id })).student.email).toBe(a1.email);
    const classmate = await h.call(asStudent(a1), STUDENT, { id: a2.id });
    expect(codes(classmate)).toEqual(['FORBIDDEN']);
    expect(classmate.data?.student).toBeNull();
  });

  it("refuses another institution's staff (FORBIDDEN), including a hospital without placements", async () => {
    expect(codes(await h.call(staffOf(w.schoolB.id, 'INSTITUTION_ADMIN'), STUDENT, { id: a1.id }))).toEqual(['FORBIDDEN']);
    expect(codes(await h.call(staffOf(w.hospitalH.id, 'CLINICAL_INSTRUCTOR'), STUDENT, { id: a1.id }))).toEqual(['FORBIDDEN']);
    expect(ok(await h.call(staffOf(w.schoolA.id, 'TEACHER'), STUDENT, { id: a1.id })).student.id).toBe(a1.id);
  });

  it('gives null for an id that does not exist or is malformed', async () => {
    expect(ok(await h.call(networkAdmin(), STUDENT, { id: '00000000-0000-4000-8000-000000000000' })).student).toBeNull();
    expect(ok(await h.call(networkAdmin(), STUDENT, { id: 'not-a-uuid' })).student).toBeNull();
  });

  it('scopes lists silently: a student sees themself, staff their school, admins everyone', async () => {
    expect(await studentIds(asStudent(a1))).toEqual([a1.id]);
    expect(await studentIds(asStudent(a1), { institutionId: w.schoolA.id })).toEqual([a1.id]);
    expect(await studentIds(staffOf(w.schoolA.id, 'TEACHER'))).toEqual([a1.id, a2.id].sort());
    expect(await studentIds(staffOf(w.hospitalH.id, 'COORDINATOR'))).toEqual([]);
    expect(await studentIds(networkAdmin(), { institutionId: w.schoolB.id })).toEqual([b1.id]);
  });

  it('filters by cohort year and by text in the name or email (wildcards taken literally)', async () => {
    const [odd] = await Promise.all([
      registerStudent(h, w.schoolA.id, {
        givenName: 'Zoë',
        familyName: 'Ng_100%',
        cohortYear: 2021,
        email: `zoe.ng-${uniq()}@example.edu`,
      }),
      registerStudent(h, w.schoolA.id, { givenName: 'Zed', familyName: 'Ngx1000', cohortYear: 2022 }),
    ]);
    const teacher = staffOf(w.schoolA.id, 'TEACHER');
    expect(await studentIds(teacher, { search: 'ng_100%' })).toEqual([odd?.id]);
    expect(await studentIds(teacher, { search: 'zoë ng' })).toEqual([odd?.id]);
    expect(await studentIds(teacher, { search: 'ZOE.NG-' })).toEqual([odd?.id]);
    expect(await studentIds(teacher, { cohortYear: 2021 })).toEqual([odd?.id]);
  });

  it("forbids filtering by another institution's id", async () => {
    const response = await h.call(staffOf(w.schoolA.id, 'TEACHER'), STUDENTS, { filter: { institutionId: w.schoolB.id } });
    expect(codes(response)).toEqual(['FORBIDDEN']);
    expect(codes(await h.call(asStudent(a1), STUDENTS, { filter: { institutionId: w.schoolB.id } }))).toEqual(['FORBIDDEN']);
  });
});

describe('staff and viewer', () => {
  it("shows staff to their institution and refuses another's", async () => {
    const teacher = await registerStaff(h, w.schoolA.id, ['TEACHER']);
    const query = `query($id: ID!) { staffMember(id: $id) { id roles institution { id } } }`;
    expect(ok(await h.call(asStudent(a1), query, { id: teacher.id })).staffMember.roles).toEqual(['TEACHER']);
    expect(codes(await h.call(staffOf(w.schoolB.id, 'TEACHER'), query, { id: teacher.id }))).toEqual(['FORBIDDEN']);
    const list = `query($filter: StaffMemberFilter) { staffMembers(filter: $filter) { totalCount edges { node { id } } } }`;
    const own = ok(await h.call(staffOf(w.schoolA.id, 'TEACHER'), list, { filter: { role: 'TEACHER' } }));
    expect(own.staffMembers.edges.map((e: { node: { id: string } }) => e.node.id)).toContain(teacher.id);
    expect(codes(await h.call(staffOf(w.schoolB.id, 'TEACHER'), list, { filter: { institutionId: w.schoolA.id } }))).toEqual(['FORBIDDEN']);
  });

  it("returns the caller's own record", async () => {
    const query = `{ viewer { personId roles institution { id } student { id } staffMember { id } } }`;
    expect(ok(await h.call(asStudent(a1), query)).viewer).toEqual({
      personId: a1.id,
      roles: ['STUDENT'],
      institution: { id: w.schoolA.id },
      student: { id: a1.id },
      staffMember: null,
    });
    const admin = await registerStaff(h, w.hospitalH.id, ['INSTITUTION_ADMIN']);
    expect(ok(await h.call(admin.actor, query)).viewer).toMatchObject({ staffMember: { id: admin.id }, student: null });
  });
});

describe('changes by the wrong caller', () => {
  const expectForbidden = async (actor: Actor, mutation: string, input: Record<string, unknown>) => {
    const before = await rowCounts(h.dataSource);
    expect(codes(await h.call(actor, mutation, { input }))).toEqual(['FORBIDDEN']);
    expect(await rowCounts(h.dataSource)).toEqual(before);
  };

  it("refuses registering a student in someone else's school", async () => {
    const input = {
      schoolId: w.schoolA.id,
      givenName: 'Eve',
      familyName: 'Intruder',
      email: `eve-${uniq()}@example.edu`,
      cohortYear: 2024,
    };
    await expectForbidden(staffOf(w.schoolB.id, 'INSTITUTION_ADMIN'), M.registerStudent, input);
    await expectForbidden(staffOf(w.schoolA.id, 'COORDINATOR'), M.registerStudent, input);
  });

  it('lets an institution admin add departments to their own institution only', async () => {
    const own = await h.call(staffOf(w.schoolB.id, 'INSTITUTION_ADMIN'), M.createDepartment, {
      input: { institutionId: w.schoolB.id, name: `Anatomy ${uniq()}` },
    });
    expect(ok(own).createDepartment.institution.id).toBe(w.schoolB.id);
    await expectForbidden(staffOf(w.schoolB.id, 'INSTITUTION_ADMIN'), M.createDepartment, {
      institutionId: w.schoolA.id,
      name: `Anatomy ${uniq()}`,
    });
  });

  it('refuses a STUDENT creating a department and a TEACHER proposing an agreement', async () => {
    await expectForbidden(asStudent(a1), M.createDepartment, { institutionId: w.schoolA.id, name: 'Student Lounge' });
    await expectForbidden(staffOf(w.schoolA.id, 'TEACHER'), M.proposeAgreement, {
      schoolId: w.schoolA.id,
      hospitalId: w.hospitalH.id,
      departmentIds: [w.hDepartments[1]?.id],
      startsOn: '2027-01-01',
      endsOn: '2027-12-31',
    });
  });

  it('refuses institutions to anyone but network admins, and agreement changes to non-parties', async () => {
    await expectForbidden(staffOf(w.schoolA.id, 'INSTITUTION_ADMIN'), M.createInstitution, {
      name: `Rogue ${uniq()}`,
      kind: 'SCHOOL',
      timezone: 'UTC',
    });
    await expectForbidden(staffOf(w.hospitalK.id, 'COORDINATOR'), M.activateAgreement, { id: agreementAH });
    await expectForbidden(staffOf(w.schoolB.id, 'INSTITUTION_ADMIN'), M.proposeAgreement, {
      schoolId: w.schoolA.id,
      hospitalId: w.hospitalH.id,
      departmentIds: [w.hDepartments[1]?.id],
      startsOn: '2027-01-01',
      endsOn: '2027-12-31',
    });
  });
});

describe('agreements', () => {
  const AGREEMENT = `query($id: ID!) { agreement(id: $id) { id school { id } hospital { id } departments { id } } }`;
  const AGREEMENTS = `query($filter: AgreementFilter) { agreements(filter: $filter) { id } }`;

  it('are readable by staff of either party only', async () => {
    expect(ok(await h.call(staffOf(w.hospitalH.id, 'CLINICAL_INSTRUCTOR'), AGREEMENT, { id: agreementAH })).agreement.id).toBe(agreementAH);
    expect(ok(await h.call(staffOf(w.schoolA.id, 'QUALITY_OFFICER'), AGREEMENT, { id: agreementAH })).agreement.id).toBe(agreementAH);
    expect(codes(await h.call(staffOf(w.hospitalK.id, 'INSTITUTION_ADMIN'), AGREEMENT, { id: agreementAH }))).toEqual(['FORBIDDEN']);
    expect(codes(await h.call(asStudent(a1), AGREEMENT, { id: agreementAH }))).toEqual(['FORBIDDEN']);
  });

  it("are listed for the caller's institution only", async () => {
    const ids = async (actor: Actor, filter?: Record<string, unknown>) =>
      ok(await h.call<{ agreements: { id: string }[] }>(actor, AGREEMENTS, { filter })).agreements.map((a) => a.id);
    expect(await ids(staffOf(w.hospitalH.id, 'COORDINATOR'))).toEqual([agreementAH]);
    expect(await ids(staffOf(w.hospitalH.id, 'COORDINATOR'), { schoolId: w.schoolA.id })).toEqual([agreementAH]);
    expect(await ids(staffOf(w.hospitalK.id, 'COORDINATOR'))).toEqual([]);
    expect(await ids(asStudent(a1))).toEqual([]);
    expect(await ids(networkAdmin(), { status: 'PROPOSED' })).toContain(agreementAH);
    expect(codes(await h.call(staffOf(w.schoolB.id, 'COORDINATOR'), AGREEMENTS, { filter: { schoolId: w.schoolA.id } }))).toEqual([
      'FORBIDDEN',
    ]);
  });
});

describe('_entities', () => {
  it('applies the read policy to every representation, in one statement per type', async () => {
    const representations = [
      { __typename: 'Student', id: a1.id },
      { __typename: 'Student', id: a2.id },
      { __typename: 'Student', id: b1.id },
      { __typename: 'Institution', id: w.schoolA.id },
      { __typename: 'Institution', id: w.hospitalH.id },
      { __typename: 'Institution', id: w.hospitalK.id },
    ];
    h.counter.reset();
    const response = await h.call(staffOf(w.schoolA.id, 'TEACHER'), ENTITIES, { representations });
    // Students and institutions, plus one batched look-up of placement grants for the student
    // the school rules turn away (staff could be a hospital's; the token does not say which),
    // plus the request's one audit INSERT (ADR 0008; was 3 before the audit trail).
    expect(h.counter.count).toBe(4);
    expect(h.counter.statements.filter((s) => s.includes('INSERT INTO outbox'))).toHaveLength(1);
    expect(response.data?._entities.map((e: { id: string } | null) => e?.id ?? null)).toEqual([
      a1.id,
      a2.id,
      null,
      w.schoolA.id,
      w.hospitalH.id,
      w.hospitalK.id,
    ]);
    expect(response.errors?.map((e) => [e.extensions?.code, e.path])).toEqual([['FORBIDDEN', ['_entities', 2]]]);
  });

  it('lets a student resolve only themself and every institution', async () => {
    const representations = [
      { __typename: 'Student', id: a1.id },
      { __typename: 'Student', id: a2.id },
      { __typename: 'Institution', id: w.schoolB.id },
      { __typename: 'CollaborationAgreement', id: agreementAH },
    ];
    const response = await h.call(asStudent(a1), ENTITIES, { representations });
    expect(response.data?._entities.map((e: { id: string } | null) => e?.id ?? null)).toEqual([a1.id, null, w.schoolB.id, null]);
    expect(codes(response)).toEqual(['FORBIDDEN', 'FORBIDDEN']);
  });
});

describe('requests that did not come through the gateway', () => {
  it.each([
    ['a root field', { query: '{ institutions { id } }' }],
    [
      '_entities',
      { query: ENTITIES, variables: { representations: [{ __typename: 'Institution', id: '00000000-0000-4000-8000-000000000000' }] } },
    ],
  ])('answers 401 to an unsigned request for %s', async (_label, body) => {
    const response = await h.post(body);
    expect(response.status).toBe(401);
    expect(((await response.json()) as { errors: { extensions: { code: string } }[] }).errors[0]?.extensions.code).toBe('UNAUTHENTICATED');
  });

  it('answers 401 to a request signed with another secret', async () => {
    const body = { query: '{ institutions { id } }' };
    const forged = signActorHeaders(networkAdmin(), { secret: `${TEST_SECRET}-forged`, requestId: 'forged', body: JSON.stringify(body) });
    expect((await h.post(body, forged)).status).toBe(401);
  });
});
