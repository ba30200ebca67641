import { asStudent, staffOf } from './support/actors';
import { buildWorld, registerStudent, type StudentRef, type World } from './support/fixtures';
import { codes, type NetworkHarness, startNetwork } from './support/harness';

/**
 * The network's side of a rotations Placement (ADR 0024): the gateway sends the placement's
 * student, hospital and department ids (`@requires`) and gets the three back in one call. The
 * same rules as `_entities` of each type apply, and a student read this way is audited.
 */
let h: NetworkHarness;
let w: World;
let a1: StudentRef;
let a2: StudentRef;
let b1: StudentRef;

beforeAll(async () => {
  h = await startNetwork();
  w = await buildWorld(h);
  [a1, a2, b1] = await Promise.all([registerStudent(h, w.schoolA.id), registerStudent(h, w.schoolA.id), registerStudent(h, w.schoolB.id)]);
});
afterAll(() => h.stop());

const PARTIES = `query($representations: [_Any!]!) { _entities(representations: $representations) {
  ... on Placement { student { id givenName familyName } department { id name } hospital { id name } } } }`;

interface Party {
  student: { id: string; givenName: string } | null;
  department: { id: string; name: string };
  hospital: { id: string; name: string };
}

const placementOf = (student: StudentRef, department = 0) => ({
  __typename: 'Placement',
  id: crypto.randomUUID(),
  studentId: student.id,
  hospitalId: w.hospitalH.id,
  departmentId: w.hDepartments[department]!.id,
});

describe('Placement parties', () => {
  it("answers a page of placements' students, departments and hospitals with one statement per type", async () => {
    const representations = [placementOf(a1, 0), placementOf(a2, 1), placementOf(a1, 2)];
    h.counter.reset();
    const response = await h.call<{ _entities: Party[] }>(staffOf(w.schoolA.id, 'COORDINATOR'), PARTIES, { representations });
    expect(response.errors).toBeUndefined();
    const parties = response.data!._entities;
    expect(parties.map((p) => p.student?.id)).toEqual([a1.id, a2.id, a1.id]);
    expect(parties.map((p) => p.department.id)).toEqual(w.hDepartments.map((d) => d.id));
    expect(parties.every((p) => p.hospital.id === w.hospitalH.id && p.hospital.name.length > 0)).toBe(true);
    // Students, departments, institutions, and the request's one audit INSERT: not one per row.
    expect(h.counter.count).toBe(4);
  });

  it("refuses another school's student (FORBIDDEN) and still answers the others", async () => {
    const representations = [placementOf(a1), placementOf(b1)];
    const response = await h.call<{ _entities: (Party | null)[] }>(staffOf(w.schoolA.id, 'COORDINATOR'), PARTIES, { representations });
    expect(codes(response)).toEqual(['FORBIDDEN']);
    expect(response.errors?.[0]?.path).toEqual(['_entities', 1, 'student']);
    expect(response.data?._entities[0]?.student?.id).toBe(a1.id);
    // Student is non-null in the schema: the refused row is null as a whole, no name leaks.
    expect(response.data?._entities[1]).toBeNull();
    expect(JSON.stringify(response.data)).not.toContain(b1.id);
  });

  it("lets a student see their own placement's parties and nobody else's", async () => {
    const response = await h.call<{ _entities: (Party | null)[] }>(asStudent(a1), PARTIES, {
      representations: [placementOf(a1), placementOf(a2)],
    });
    expect(response.data?._entities[0]?.student?.id).toBe(a1.id);
    expect(response.data?._entities[1]).toBeNull();
    expect(codes(response)).toEqual(['FORBIDDEN']);
  });

  it('records the student read in the audit trail like any other read of a student', async () => {
    const [{ p }] = await h.dataSource.query(`SELECT COALESCE(MAX(position), 0) AS p FROM outbox`);
    await h.call(staffOf(w.schoolA.id, 'COORDINATOR'), PARTIES, { representations: [placementOf(a2)] });
    const rows = (await h.dataSource.query(
      `SELECT payload FROM outbox WHERE event_type = 'AuditRecorded' AND position > $1 ORDER BY position`,
      [p],
    )) as { payload: { entries: { studentId: string; action: string; fields: string[] }[] } }[];
    expect(rows).toHaveLength(1);
    expect(rows[0]!.payload.entries).toEqual([
      expect.objectContaining({ studentId: a2.id, action: 'READ', fields: ['familyName', 'givenName', 'id'] }),
    ]);
  });
});
