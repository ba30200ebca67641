import {
  buildWorld,
  createBlock,
  propose,
  type Ref,
  registerStudent,
  setSeats,
  step,
  type StudentRef,
  type World,
} from './support/fixtures';
import { ok, type RotationsHarness, startRotations } from './support/harness';

let h: RotationsHarness;
let w: World;
let blocks: Ref[];
let students: StudentRef[];
let placements: Ref[];

/** 100 students of school A, each placed in one of four blocks at d1 or d2, half of them confirmed with a supervisor. */
beforeAll(async () => {
  h = await startRotations();
  w = await buildWorld(h);
  blocks = [];
  for (const [i, [startsOn, endsOn]] of [
    ['2026-09-07', '2026-10-30'],
    ['2026-11-02', '2026-12-18'],
    ['2027-01-04', '2027-02-26'],
    ['2027-03-01', '2027-04-23'],
  ].entries()) {
    blocks.push(
      await createBlock(h, w.coordinatorA, { schoolId: w.schoolA, name: `Block ${i + 1}`, startsOn: startsOn!, endsOn: endsOn! }),
    );
  }
  for (const b of blocks)
    for (const d of [w.d1, w.d2]) await setSeats(h, w.coordinatorH, { departmentId: d, blockId: b.id, schoolId: w.schoolA, seats: 30 });
  students = await Promise.all(Array.from({ length: 100 }, () => registerStudent(h, w.schoolA)));
  placements = [];
  for (let chunk = 0; chunk < 100; chunk += 25) {
    const made = await Promise.all(
      students.slice(chunk, chunk + 25).map((s, j) => {
        const i = chunk + j;
        const d1 = i % 2 === 0;
        return propose(h, w.coordinatorA, {
          studentId: s.id,
          departmentId: d1 ? w.d1 : w.d2,
          blockId: blocks[i % 4]!.id,
          supervisorId: d1 ? w.ciD1.id : w.ciD2.id,
        });
      }),
    );
    placements.push(...made);
  }
  for (const p of placements.slice(0, 50)) await step(h, w.coordinatorA, 'confirmPlacement', p.id);
}, 240_000);
afterAll(() => h.stop());

/** Statements one request sends (the request's data is checked by the caller). */
async function statements(actor: World['coordinatorA'], query: string, variables: Record<string, unknown>) {
  h.counter.reset();
  const data = ok(await h.call(actor, query, variables));
  return { count: h.counter.count, data };
}

describe('batched loading of placements with student, department and block', () => {
  it('lists 100 placements with their references and blocks in the same statements as 10', async () => {
    const query = `query($first: Int) { placements(first: $first, filter: { schoolId: "${'$'}{school}" }) { edges { node { id status student { id } department { id } hospital { id } supervisor { id } block { name startsOn } } } } }`;
    const q = query.replace('${school}', w.schoolA);
    const ten = await statements(w.coordinatorA, q, { first: 10 });
    const hundred = await statements(w.coordinatorA, q, { first: 100 });
    expect(ten.data.placements.edges).toHaveLength(10);
    expect(hundred.data.placements.edges).toHaveLength(100);
    expect(hundred.data.placements.edges[99].node.block.name).toMatch(/^Block \d$/);
    // The page, then the blocks: two statements whatever the page size.
    // +1 since the audit trail: the request's one AuditRecorded INSERT (ADR 0008).
    expect(hundred.count).toBe(3);
    expect(ten.count).toBe(hundred.count);
  });

  it('resolves 100 Placement references, and 100 students with their placements, in constant statements', async () => {
    const placementQuery = `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Placement { id student { id } department { id } block { name } } } }`;
    const reps = (n: number) => placements.slice(0, n).map((p) => ({ __typename: 'Placement', id: p.id }));
    const ten = await statements(w.coordinatorA, placementQuery, { reps: reps(10) });
    const hundred = await statements(w.coordinatorA, placementQuery, { reps: reps(100) });
    expect(hundred.data._entities).toHaveLength(100);
    // +1 since the audit trail: the request's one AuditRecorded INSERT (ADR 0008).
    expect(hundred.count).toBe(3);
    expect(ten.count).toBe(hundred.count);

    const studentQuery = `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Student { id placements { status department { id } block { name } } } } }`;
    const studentReps = (n: number) => students.slice(0, n).map((s) => ({ __typename: 'Student', id: s.id }));
    const tenStudents = await statements(w.coordinatorA, studentQuery, { reps: studentReps(10) });
    const allStudents = await statements(w.coordinatorA, studentQuery, { reps: studentReps(100) });
    expect(allStudents.data._entities.every((s: { placements: unknown[] }) => s.placements.length === 1)).toBe(true);
    // Known students, their placements, the blocks; +1 since the audit trail: the one AuditRecorded INSERT (ADR 0008).
    expect(allStudents.count).toBe(4);
    expect(tenStudents.count).toBe(allStudents.count);
  });

  it('gives a hospital its departments’ placements, seats and supervisors’ placements in constant statements', async () => {
    const departmentQuery = `query($reps: [_Any!]!, $block: ID!) { _entities(representations: $reps) { ... on Department { placements(blockId: $block) { status block { name } } capacity(blockId: $block) { heldSeats committedSeats } } } }`;
    const reps = [w.d1, w.d2].map((id) => ({ __typename: 'Department', id }));
    const { count, data } = await statements(w.coordinatorH, departmentQuery, { reps, block: blocks[0]!.id });
    // The hospital sees only confirmed placements; the seat counts include proposals.
    expect(data._entities[0].placements.every((p: { status: string }) => p.status === 'CONFIRMED')).toBe(true);
    expect(data._entities[0].capacity[0].heldSeats).toBeGreaterThan(data._entities[0].placements.length - 1);
    // +1 since the audit trail: the request's one AuditRecorded INSERT (ADR 0008).
    expect(count).toBe(5);

    const staffQuery = `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on StaffMember { supervisedPlacements { status block { name } } } } }`;
    const supervised = await statements(w.coordinatorH, staffQuery, {
      reps: [w.ciD1.id, w.ciD2.id].map((id) => ({ __typename: 'StaffMember', id })),
    });
    expect(supervised.data._entities.map((s: { supervisedPlacements: unknown[] }) => s.supervisedPlacements.length)).toEqual([25, 25]);
    // +1 since the audit trail: the request's one AuditRecorded INSERT (ADR 0008).
    expect(supervised.count).toBe(4);
  });
});
