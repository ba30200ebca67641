import { processNextAllocationRun } from '../src/allocation/processor';
import { asStudent } from './support/actors';
import { activateAgreement, buildWorld, createBlock, registerStudent, setSeats, type StudentRef, type World } from './support/fixtures';
import { codes, ok, type RotationsHarness, startRotations } from './support/harness';

/**
 * Issue 14: an infeasible run names the single constraints that conflict, with names
 * (`conflictingParts`), and a coordinator who asks for it gets the best allocation of everyone
 * else from OPTIMAL (`placeOthersWhenInfeasible`), the conflicting students listed, publishable.
 */
let h: RotationsHarness;
let w: World;
let block: string;
let alex: StudentRef;
let others: StudentRef[];
beforeAll(async () => {
  h = await startRotations();
  w = await buildWorld(h);
  await activateAgreement(h, {
    schoolId: w.schoolA,
    hospitalId: w.hospitalH,
    departmentIds: [w.d1, w.d2],
    startsOn: '2026-01-01',
    endsOn: '2027-12-31',
    departmentNames: [
      { departmentId: w.d1, name: 'Cardiology' },
      { departmentId: w.d2, name: 'Nephrology' },
    ],
    hospitalName: "St Mary's Hospital",
  });
  block = (await createBlock(h, w.coordinatorA, { schoolId: w.schoolA, name: 'Autumn 1', startsOn: '2026-09-01', endsOn: '2026-10-31' }))
    .id;
  for (const departmentId of [w.d1, w.d2])
    await setSeats(h, w.coordinatorH, { departmentId, blockId: block, schoolId: w.schoolA, seats: 2 });
  alex = await registerStudent(h, w.schoolA, { givenName: 'Alex', familyName: 'Kim' });
  others = [
    await registerStudent(h, w.schoolA, { givenName: 'Bea', familyName: 'Moss' }),
    await registerStudent(h, w.schoolA, { givenName: 'Cy', familyName: 'Park' }),
  ];
}, 240_000);
afterAll(() => h.stop());

const START = `mutation($input: StartAllocationRunInput!) { startAllocationRun(input: $input) { id } }`;
const REASONS = `query($id: ID!) { allocationRun(id: $id) { status infeasibility { reasons { kind message studentIds minimal
  conflictingParts { kind text students { id } department { id } hospital { id } block { id name } specialty } } } } }`;
const VARIATIONS = `query($id: ID!) { allocationRun(id: $id) { status variations { mechanism status
  metrics { students placedStudents unplacedStudents assignments }
  reasons { kind message studentIds conflictingParts { kind text } }
  assignments(first: 10) { edges { node { student { id } department { id } } } } } } }`;
const PUBLISH = `mutation($id: ID!, $v: AllocationMechanism!) { publishAllocationRun(runId: $id, variation: $v) { publishedVariation } }`;

/** Alex is pinned to Cardiology and barred from its hospital; two classmates need a seat each. */
const runInput = (options: Record<string, unknown> = {}) => ({
  schoolId: w.schoolA,
  blockIds: [block],
  mechanism: 'OPTIMAL',
  options: { seed: 'conflict', timeLimitSeconds: 30, ...options },
  exemptions: [
    { studentId: alex.id, kind: 'PIN', departmentId: w.d1, blockId: block, reason: 'continuity of care' },
    { studentId: alex.id, kind: 'BAR', hospitalId: w.hospitalH, reason: 'conflict of interest' },
  ],
});

describe('a conflicting set, constraint by constraint, and the others placed on request', () => {
  it('names the pin and the bar that cannot both hold, with names; a student reads only that theirs is part of one', async () => {
    const { startAllocationRun } = ok(await h.call(w.coordinatorA, START, { input: runInput() }));
    await processNextAllocationRun(h.dataSource);
    const run = ok(await h.call(w.coordinatorA, REASONS, { id: startAllocationRun.id })).allocationRun;
    expect(run.status).toBe('INFEASIBLE');
    const conflict = run.infeasibility.reasons.find((r: { kind: string }) => r.kind === 'CONFLICTING_SET');
    expect(conflict).toEqual({
      kind: 'CONFLICTING_SET',
      message:
        "Alex Kim's pin to Cardiology (St Mary's Hospital) in Autumn 1 and Alex Kim's bar from St Mary's Hospital (conflict of interest) " +
        'cannot both hold. Lifting any one of them lets all the others hold.',
      studentIds: [alex.id],
      minimal: true,
      conflictingParts: [
        {
          kind: 'PIN',
          text: "Alex Kim's pin to Cardiology (St Mary's Hospital) in Autumn 1",
          students: [{ id: alex.id }],
          department: { id: w.d1 },
          hospital: null,
          block: { id: block, name: 'Autumn 1' },
          specialty: null,
        },
        {
          kind: 'BAR',
          text: "Alex Kim's bar from St Mary's Hospital (conflict of interest)",
          students: [{ id: alex.id }],
          department: null,
          hospital: { id: w.hospitalH },
          block: null,
          specialty: null,
        },
      ],
    });
    // Alex reads that a set exists, not its parts; a classmate does not see it at all.
    const seenByAlex = ok(await h.call(asStudent(alex), REASONS, { id: startAllocationRun.id })).allocationRun.infeasibility.reasons;
    expect(seenByAlex.find((r: { kind: string }) => r.kind === 'CONFLICTING_SET')).toMatchObject({ minimal: null, conflictingParts: null });
    const seenByBea = ok(await h.call(asStudent(others[0]!), REASONS, { id: startAllocationRun.id })).allocationRun.infeasibility.reasons;
    expect(seenByBea.find((r: { kind: string }) => r.kind === 'CONFLICTING_SET')).toBeUndefined();
    // Another school's coordinator reads nothing of the run.
    expect(codes(await h.call(w.coordinatorB, REASONS, { id: startAllocationRun.id }))).toEqual(['FORBIDDEN']);
  });

  it('places everyone else when the coordinator asks, lists Alex with the set, and publishes the others', async () => {
    // Only the school's planners may ask for it.
    expect(codes(await h.call(w.coordinatorB, START, { input: runInput({ placeOthersWhenInfeasible: true }) }))).toEqual(['FORBIDDEN']);
    expect(codes(await h.call(asStudent(alex), START, { input: runInput({ placeOthersWhenInfeasible: true }) }))).toEqual(['FORBIDDEN']);
    const { startAllocationRun } = ok(await h.call(w.coordinatorA, START, { input: runInput({ placeOthersWhenInfeasible: true }) }));
    await processNextAllocationRun(h.dataSource);
    const run = ok(await h.call(w.coordinatorA, VARIATIONS, { id: startAllocationRun.id })).allocationRun;
    expect(run.status).toBe('SUCCEEDED');
    const optimal = run.variations.find((v: { mechanism: string }) => v.mechanism === 'OPTIMAL');
    expect(optimal).toMatchObject({ status: 'PARTIAL', metrics: { students: 3, placedStudents: 2, unplacedStudents: 1, assignments: 2 } });
    expect(optimal.reasons.map((r: { kind: string; studentIds: string[] }) => [r.kind, r.studentIds])).toEqual([
      ['CONFLICTING_SET', [alex.id]],
      ['UNPLACED', [alex.id]],
    ]);
    expect(optimal.reasons[0].conflictingParts.map((p: { kind: string }) => p.kind)).toEqual(['PIN', 'BAR']);
    expect(optimal.reasons[1].message).toMatch(/^left out at the coordinator.s request so that everyone else could be placed/);
    const placed = optimal.assignments.edges.map((e: { node: { student: { id: string } } }) => e.node.student.id).sort();
    expect(placed).toEqual(others.map((s) => s.id).sort());

    // The others' allocation is published like any variation (checked against the run's own snapshot first).
    expect(
      ok(await h.call(w.coordinatorA, PUBLISH, { id: startAllocationRun.id, v: 'OPTIMAL' })).publishAllocationRun.publishedVariation,
    ).toBe('OPTIMAL');
    const rows = (await h.dataSource.query(`SELECT student_id AS "studentId", status FROM placement WHERE allocation_run_id = $1`, [
      startAllocationRun.id,
    ])) as { studentId: string; status: string }[];
    expect(rows.map((r) => r.studentId).sort()).toEqual(placed);
    expect(rows.every((r) => r.status === 'PROPOSED')).toBe(true);
  });

  it('refuses a flag that is not a boolean', async () => {
    const response = await h.call(w.coordinatorA, START, { input: runInput({ placeOthersWhenInfeasible: 'yes' }) });
    expect(codes(response)).toEqual(['BAD_USER_INPUT']);
  });
});
