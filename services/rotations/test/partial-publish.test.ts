import { processNextAllocationRun } from '../src/allocation/processor';
import { asStudent } from './support/actors';
import { buildWorld, createBlock, registerStudent, setSeats } from './support/fixtures';
import { codes, ok, refusalOf, type RotationsHarness, startRotations } from './support/harness';

/**
 * Issue 14: when no complete allocation exists, the run names the conflicting set and the
 * coordinator may still place everyone else, by publishing the lottery's PARTIAL allocation.
 */
let h: RotationsHarness;
beforeAll(async () => {
  h = await startRotations();
}, 240_000);
afterAll(() => h.stop());

const START = `mutation($input: StartAllocationRunInput!) { startAllocationRun(input: $input) { id } }`;
const RUN = `query($id: ID!) { allocationRun(id: $id) { status variations { mechanism status reasons { kind studentIds }
  assignments(first: 10) { edges { node { student { id } } } } } } }`;
const PUBLISH = `mutation($id: ID!, $v: AllocationMechanism!) { publishAllocationRun(runId: $id, variation: $v) { publishedVariation } }`;

describe('placing the others when no complete allocation exists', () => {
  it("publishes the lottery's partial allocation when the coordinator asks, leaving the unplaced student named", async () => {
    const w = await buildWorld(h);
    const block = (
      await createBlock(h, w.coordinatorA, { schoolId: w.schoolA, name: 'Only', startsOn: '2026-09-01', endsOn: '2026-10-31' })
    ).id;
    // Two seats at each department, three students who each need the block, and Cardiology (d1)
    // needs 3 students or none: it stays empty, so OPTIMAL has no complete allocation (the
    // necessary conditions pass; the solver finds it), while the lottery places two of them.
    for (const departmentId of [w.d1, w.d2])
      await setSeats(h, w.coordinatorH, { departmentId, blockId: block, schoolId: w.schoolA, seats: 2 });
    const students = [await registerStudent(h, w.schoolA), await registerStudent(h, w.schoolA), await registerStudent(h, w.schoolA)];
    const { startAllocationRun } = ok(
      await h.call(w.coordinatorA, START, {
        input: {
          schoolId: w.schoolA,
          blockIds: [block],
          mechanism: 'LOTTERY',
          options: { seed: 'p' },
          staffingMinimums: [{ departmentId: w.d1, minStudents: 3, blockId: block }],
        },
      }),
    );
    await processNextAllocationRun(h.dataSource);
    const run = ok(await h.call(w.coordinatorA, RUN, { id: startAllocationRun.id })).allocationRun;
    expect(run.status).toBe('SUCCEEDED');
    const by = Object.fromEntries(
      (
        run.variations as {
          mechanism: string;
          status: string;
          reasons: { kind: string; studentIds: string[] }[];
          assignments: { edges: { node: { student: { id: string } } }[] };
        }[]
      ).map((v) => [v.mechanism, v]),
    );
    expect([by.OPTIMAL!.status, by.LOTTERY!.status]).toEqual(['INFEASIBLE', 'PARTIAL']);
    expect(by.OPTIMAL!.reasons.map((r) => r.kind)).toContain('CONFLICTING_SET');
    const placed = by.LOTTERY!.assignments.edges.map((e) => e.node.student.id);
    expect(placed).toHaveLength(2);
    const unplaced = students.map((s) => s.id).find((id) => !placed.includes(id))!;
    expect(by.LOTTERY!.reasons.find((r) => r.kind === 'UNPLACED')!.studentIds).toEqual([unplaced]);

    // The incomplete OPTIMAL cannot be published; another school and a student cannot publish at all.
    expect(refusalOf(await h.call(w.coordinatorA, PUBLISH, { id: startAllocationRun.id, v: 'OPTIMAL' }))).toBe('CONFLICT/NO_ALLOCATION');
    expect(codes(await h.call(w.coordinatorB, PUBLISH, { id: startAllocationRun.id, v: 'LOTTERY' }))).toEqual(['FORBIDDEN']);
    expect(codes(await h.call(asStudent(students[0]!), PUBLISH, { id: startAllocationRun.id, v: 'LOTTERY' }))).toEqual(['FORBIDDEN']);
    // The lottery's partial allocation places the other student; the unplaced one has no placement.
    expect(
      ok(await h.call(w.coordinatorA, PUBLISH, { id: startAllocationRun.id, v: 'LOTTERY' })).publishAllocationRun.publishedVariation,
    ).toBe('LOTTERY');
    const rows = (await h.dataSource.query(`SELECT student_id AS "studentId", status FROM placement WHERE allocation_run_id = $1`, [
      startAllocationRun.id,
    ])) as { studentId: string; status: string }[];
    expect(rows.map((r) => r.studentId).sort()).toEqual([...placed].sort());
    expect(rows.every((r) => r.status === 'PROPOSED')).toBe(true);
  });
});
