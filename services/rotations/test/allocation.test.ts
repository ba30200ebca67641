import { claimAllocationRun, executeAllocationRun, processNextAllocationRun } from '../src/allocation/processor';
import { asStudent } from './support/actors';
import { randomUUID } from 'node:crypto';
import {
  activateAgreement,
  buildWorld,
  completeModule,
  createBlock,
  enrol,
  M,
  registerStudent,
  setSeats,
  step,
  type StudentRef,
  type World,
  YEAR,
} from './support/fixtures';
import { codes, ok, refusalOf, type RotationsHarness, startRotations } from './support/harness';

const START = `mutation($input: StartAllocationRunInput!) { startAllocationRun(input: $input) { id status mechanism seed inputHash progress blocks { id } } }`;
const CANCEL = `mutation($id: ID!) { cancelAllocationRun(id: $id) { id status } }`;
const PUBLISH = `mutation($id: ID!, $v: AllocationMechanism!) { publishAllocationRun(runId: $id, variation: $v) { id publishedVariation } }`;
const RUN = `query($id: ID!) { allocationRun(id: $id) { id status progress inputHash error infeasibility { reasons { kind message } }
  metrics { students assignments firstChoiceShare studentsAtFirstChoice studentFirstChoiceShare schedule { hospitalChanges idleBlocks worstStudentTotalRank bestStudentTotalRank } worstRank unfilledSeats optimalityGap timeLimitReached rankDistribution { rank count } bySchool { school { id } unplaced } byHospital { hospital { id } seats filled } }
  variations { mechanism status seed metrics { assignments worstRank optimalityGap } reasons { kind }
    assignments(first: 100) { totalCount edges { node { student { id } department { id } block { id } rank explanation } } } } } }`;
const SUPERSEDE = `mutation($id: ID!, $v: AllocationMechanism!) { publishAllocationRun(runId: $id, variation: $v, supersede: true) { id publishedVariation } }`;
const SUPERSEDED_BY = `query($id: ID!) { allocationRun(id: $id) { supersededBy { id } } }`;
const OPEN = `mutation($input: OpenPreferenceWindowInput!) { openPreferenceWindow(input: $input) { id } }`;
const SUBMIT = `mutation($input: SubmitPreferencesInput!) { submitPreferences(input: $input) { rank } }`;

interface AssignmentNode {
  student: { id: string };
  department: { id: string };
  block: { id: string };
  rank: number;
  explanation: string | null;
}
interface VariationOut {
  mechanism: string;
  status: string;
  seed: string | null;
  assignments: { totalCount: number; edges: { node: AssignmentNode }[] };
}

let h: RotationsHarness;
let w: World;
let students: StudentRef[];
let blocks: string[];

const start = async (seed = 'seed-1') =>
  ok(
    await h.call(w.coordinatorA, START, {
      input: { schoolId: w.schoolA, academicYear: YEAR, mechanism: 'LOTTERY', options: { seed, timeLimitSeconds: 30 } },
    }),
  ).startAllocationRun as { id: string; status: string; inputHash: string; seed: string };
const read = async (id: string, actor = w.coordinatorA) => ok(await h.call(actor, RUN, { id })).allocationRun;
const placementCount = async () =>
  Number(((await h.dataSource.query(`SELECT count(*)::int AS n FROM placement`)) as { n: number }[])[0]!.n);
interface RunPayload {
  runId: string;
  supersededRunIds: string[];
  sites: { departmentId: string; blockId: string; startsOn: string }[];
  placements: { studentId: string; blockId: string; rank: number | null }[];
}
type RunEvent = { event_type: string; payload: RunPayload; consumers: string[] };
const runEvents = async (runId: string) =>
  (await h.dataSource.query(
    `SELECT o.event_type, o.payload, array(SELECT d.consumer FROM outbox_delivery d WHERE d.event_id = o.id) AS consumers
       FROM outbox o WHERE o.aggregate_type = 'AllocationRun' AND o.aggregate_id = $1 ORDER BY o.position`,
    [runId],
  )) as RunEvent[];
const assignmentsOf = (v: VariationOut) =>
  v.assignments.edges.map((e) => `${e.node.student.id}:${e.node.block.id}:${e.node.department.id}`);

beforeAll(async () => {
  h = await startRotations();
  w = await buildWorld(h);
  blocks = [
    (await createBlock(h, w.coordinatorA, { schoolId: w.schoolA, name: 'Autumn 1', startsOn: '2026-09-01', endsOn: '2026-10-31' })).id,
    (await createBlock(h, w.coordinatorA, { schoolId: w.schoolA, name: 'Autumn 2', startsOn: '2026-11-01', endsOn: '2026-12-31' })).id,
  ];
  for (const blockId of blocks) {
    for (const departmentId of [w.d1, w.d2]) await setSeats(h, w.coordinatorH, { departmentId, blockId, schoolId: w.schoolA, seats: 2 });
  }
  // Names, as the network's events tell them: explanations and refusals must show these, never ids.
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
    hospitalName: "St Mary's",
  });
  students = [
    await registerStudent(h, w.schoolA, { givenName: 'Ada', familyName: 'Lovelace' }),
    await registerStudent(h, w.schoolA, { givenName: 'Ben', familyName: 'Okri' }),
    await registerStudent(h, w.schoolA, { givenName: 'Cy', familyName: 'Twombly' }),
  ];
  const now = Date.now();
  ok(
    await h.call(w.coordinatorA, OPEN, {
      input: {
        schoolId: w.schoolA,
        academicYear: YEAR,
        opensAt: new Date(now - 3_600_000).toISOString(),
        closesAt: new Date(now + 3_600_000).toISOString(),
      },
    }),
  );
  for (const [i, s] of students.entries()) {
    const [first, second] = i % 2 ? [w.d2, w.d1] : [w.d1, w.d2];
    ok(
      await h.call(asStudent(s), SUBMIT, {
        input: {
          studentId: s.id,
          academicYear: YEAR,
          rankings: [
            { rank: 1, departmentId: first },
            { rank: 2, departmentId: second },
          ],
        },
      }),
    );
  }
});
afterAll(() => h.stop());

describe('allocation runs', () => {
  it('refuses a run to another school’s coordinator and to students', async () => {
    const input = { schoolId: w.schoolA, academicYear: YEAR, mechanism: 'OPTIMAL' };
    expect(codes(await h.call(w.coordinatorB, START, { input }))).toEqual(['FORBIDDEN']);
    expect(codes(await h.call(asStudent(students[0]!), START, { input }))).toEqual(['FORBIDDEN']);
    expect(codes(await h.call(w.coordinatorA, START, { input: { ...input, blockIds: blocks } }))).toEqual(['BAD_USER_INPUT']);
  });

  let first: { id: string; inputHash: string };
  let second: { id: string; inputHash: string };

  it('queues in the request; the worker picks the run up and stores both variations', async () => {
    first = await start();
    expect(first).toMatchObject({ status: 'QUEUED', seed: 'seed-1' });
    expect(await placementCount()).toBe(0);
    expect(await processNextAllocationRun(h.dataSource, { pollMs: 50 })).toBe(true);
    expect(await processNextAllocationRun(h.dataSource)).toBe(false);

    const run = await read(first.id);
    expect(run).toMatchObject({ status: 'SUCCEEDED', progress: 1, error: null, infeasibility: null });
    expect(run.metrics).toMatchObject({
      students: 3,
      assignments: 6,
      // No requirement: each student does each department once (no accidental repeats), so one
      // block at their first choice and one at their second.
      firstChoiceShare: 0.5,
      studentsAtFirstChoice: 0,
      studentFirstChoiceShare: 0,
      unfilledSeats: 2,
      bySchool: [{ school: { id: w.schoolA }, unplaced: 0 }],
      // Both departments are St Mary's and both blocks are filled: no change, no idle block; 1 + 2 each.
      schedule: { hospitalChanges: 0, idleBlocks: 0, worstStudentTotalRank: 3, bestStudentTotalRank: 3 },
    });
    expect(run.variations.map((v: VariationOut) => v.mechanism)).toEqual(['OPTIMAL', 'LOTTERY']);
    for (const v of run.variations as VariationOut[]) {
      expect(v.assignments.totalCount).toBe(6);
      for (const s of students)
        expect(
          v.assignments.edges
            .filter((e) => e.node.student.id === s.id)
            .map((e) => e.node.department.id)
            .sort(),
        ).toEqual([w.d1, w.d2].sort());
      // Each student is in each block once, at a department of the school's seats.
      for (const s of students)
        expect(
          v.assignments.edges
            .filter((e) => e.node.student.id === s.id)
            .map((e) => e.node.block.id)
            .sort(),
        ).toEqual([...blocks].sort());
    }
    expect((run.variations as VariationOut[])[1]!.seed).toBe('seed-1');
    // The optimum is proven on an instance this small; a lottery has no bound to measure a gap against.
    expect(run.metrics).toMatchObject({ timeLimitReached: false });
    expect((run.variations as { metrics: { optimalityGap: number | null } }[]).map((v) => v.metrics.optimalityGap)).toEqual([0, null]);

    // A student sees the run, but only their own assignments.
    const mine = await read(first.id, asStudent(students[0]!));
    for (const v of mine.variations as VariationOut[]) {
      expect(v.assignments.totalCount).toBe(2);
      expect(v.assignments.edges.every((e) => e.node.student.id === students[0]!.id)).toBe(true);
    }
    expect(codes(await h.call(w.coordinatorB, RUN, { id: first.id }))).toEqual(['FORBIDDEN']);
  });

  it('is reproducible: same seed and inputs, same input hash and same lottery', async () => {
    second = await start();
    expect(second.inputHash).toBe(first.inputHash);
    await processNextAllocationRun(h.dataSource);
    const [a, b] = [await read(first.id), await read(second.id)];
    const lottery = (run: { variations: VariationOut[] }) => assignmentsOf(run.variations.find((v) => v.mechanism === 'LOTTERY')!);
    expect(lottery(b)).toEqual(lottery(a));
    expect(lottery(a)).toHaveLength(6);
  });

  it('cancels a queued run at once and a running one through the abort signal', async () => {
    const queued = await start('seed-2');
    expect(ok(await h.call(w.coordinatorA, CANCEL, { id: queued.id })).cancelAllocationRun.status).toBe('CANCELLED');
    expect(await processNextAllocationRun(h.dataSource)).toBe(false);

    const running = await start('seed-3');
    const claimed = await claimAllocationRun(h.dataSource);
    expect(claimed?.id).toBe(running.id);
    expect(codes(await h.call(w.coordinatorB, CANCEL, { id: running.id }))).toEqual(['FORBIDDEN']);
    expect(ok(await h.call(w.coordinatorA, CANCEL, { id: running.id })).cancelAllocationRun.status).toBe('CANCELLING');
    await executeAllocationRun(h.dataSource, claimed!, { pollMs: 20 });
    const run = await read(running.id);
    expect(run.status).toBe('CANCELLED');
    expect(run.variations).toEqual([]);
    expect(refusalOf(await h.call(w.coordinatorA, CANCEL, { id: running.id }))).toBe('CONFLICT/INVALID_TRANSITION');
  });

  it("honours a coordinator's pins, bars and pairs, and refuses malformed ones", async () => {
    const [barred, pinned, partner] = students as [StudentRef, StudentRef, StudentRef];
    const exemptions = [
      { studentId: barred.id, kind: 'BAR', departmentId: w.d1, reason: 'conflict of interest' },
      { studentId: pinned.id, kind: 'PIN', departmentId: w.d1, blockId: blocks[0], reason: 'childcare near the site' },
    ];
    const input = {
      schoolId: w.schoolA,
      academicYear: YEAR,
      mechanism: 'OPTIMAL',
      exemptions,
      pairs: [{ studentIds: [pinned.id, partner.id] }],
    };
    const run = ok(await h.call(w.coordinatorA, START, { input })).startAllocationRun as { id: string };
    expect(await processNextAllocationRun(h.dataSource)).toBe(true);
    const optimal = (await read(run.id)).variations.find((v: VariationOut) => v.mechanism === 'OPTIMAL') as VariationOut;
    const at = (s: StudentRef, block: string) =>
      optimal.assignments.edges.find((e) => e.node.student.id === s.id && e.node.block.id === block)!.node.department.id;
    // Barred from d1 and no requirement asking for a repeat: one block, at d2.
    expect(optimal.assignments.edges.filter((e) => e.node.student.id === barred.id).map((e) => e.node.department.id)).toEqual([w.d2]);
    for (const block of blocks) expect(at(pinned, block)).toBe(at(partner, block));
    expect(at(pinned, blocks[0]!)).toBe(w.d1);

    const pinWithoutBlock = await h.call(w.coordinatorA, START, { input: { ...input, exemptions: [{ ...exemptions[1], blockId: null }] } });
    expect(codes(pinWithoutBlock)).toEqual(['BAD_USER_INPUT']);
    const stranger = await h.call(w.coordinatorA, START, {
      input: { ...input, exemptions: [{ ...exemptions[0], studentId: randomUUID() }] },
    });
    expect(stranger.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'exemptions.0.studentId' });
    const [nowhere, atlantis] = [randomUUID(), randomUUID()];
    const unknownPlaces = await h.call(w.coordinatorA, START, {
      input: {
        ...input,
        exemptions: [
          exemptions[0],
          { ...exemptions[0], departmentId: nowhere },
          { ...exemptions[0], departmentId: null, hospitalId: atlantis },
        ],
      },
    });
    expect(unknownPlaces.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'exemptions.1.departmentId',
      unknownDepartmentIds: [nowhere],
      unknownHospitalIds: [atlantis],
    });
    expect(unknownPlaces.errors?.[0]?.message).toBe(
      `Exemptions name places rotations does not know: department ${nowhere}, hospital ${atlantis}`,
    );
  });

  it('places no one in a block they are away, and refuses unavailabilities outside the run', async () => {
    const away = students[1]!;
    const unavailable = [{ studentId: away.id, blockId: blocks[0], reason: 'parental leave' }];
    const input = { schoolId: w.schoolA, academicYear: YEAR, mechanism: 'OPTIMAL', unavailable };
    const run = ok(await h.call(w.coordinatorA, START, { input })).startAllocationRun as { id: string };
    const [row] = (await h.dataSource.query(`SELECT input FROM allocation_run WHERE id = $1`, [run.id])) as {
      input: { students: { id: string; requirement: { blocksToFill: number } }[]; unavailable: unknown[] };
    }[];
    expect(row!.input.unavailable).toEqual(unavailable);
    expect(row!.input.students.find((s) => s.id === away.id)!.requirement.blocksToFill).toBe(1);
    expect(await processNextAllocationRun(h.dataSource)).toBe(true);
    for (const v of (await read(run.id)).variations as VariationOut[]) {
      expect(v.status).toMatch(/OPTIMAL|FEASIBLE/);
      expect(v.assignments.edges.filter((e) => e.node.student.id === away.id).map((e) => e.node.block.id)).toEqual([blocks[1]]);
    }
    const outside = await h.call(w.coordinatorA, START, {
      input: { ...input, unavailable: [{ ...unavailable[0], blockId: randomUUID() }] },
    });
    expect(outside.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'unavailable.0.blockId' });
    const stranger = await h.call(w.coordinatorA, START, {
      input: { ...input, unavailable: [{ ...unavailable[0], studentId: randomUUID() }] },
    });
    expect(stranger.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'unavailable.0.studentId' });
  });

  it("keeps each student within a hospital's limit, says so when pins break it, and refuses unknown hospitals", async () => {
    const hospitalLimits = [{ hospitalId: w.hospitalH, maxBlocksPerStudent: 1 }];
    const input = { schoolId: w.schoolA, academicYear: YEAR, mechanism: 'OPTIMAL', hospitalLimits };
    const run = ok(await h.call(w.coordinatorA, START, { input })).startAllocationRun as { id: string };
    const [row] = (await h.dataSource.query(`SELECT input FROM allocation_run WHERE id = $1`, [run.id])) as {
      input: { students: { requirement: { blocksToFill: number } }[]; hospitalLimits: unknown[] };
    }[];
    expect(row!.input.hospitalLimits).toEqual(hospitalLimits);
    // No requirement: one block per open department, here capped by St Mary's limit.
    expect(row!.input.students.map((s) => s.requirement.blocksToFill)).toEqual(students.map(() => 1));
    expect(await processNextAllocationRun(h.dataSource)).toBe(true);
    for (const v of (await read(run.id)).variations as VariationOut[]) {
      expect(v.status).toMatch(/OPTIMAL|FEASIBLE/);
      for (const s of students) expect(v.assignments.edges.filter((e) => e.node.student.id === s.id)).toHaveLength(1);
    }

    // Two placements decided by hand at St Mary's: the engine itself refuses them, naming the hospital.
    const pinned = students[0]!;
    const pins = [
      { studentId: pinned.id, kind: 'PIN', departmentId: w.d1, blockId: blocks[0], reason: 'childcare near the site' },
      { studentId: pinned.id, kind: 'PIN', departmentId: w.d2, blockId: blocks[1], reason: 'childcare near the site' },
    ];
    const over = ok(await h.call(w.coordinatorA, START, { input: { ...input, exemptions: pins } })).startAllocationRun as { id: string };
    expect(await processNextAllocationRun(h.dataSource)).toBe(true);
    const refused = await read(over.id);
    expect(refused.status).toBe('INFEASIBLE');
    expect(refused.infeasibility.reasons.map((r: { message: string }) => r.message).join('\n')).toContain(
      'Ada Lovelace cannot be given a complete schedule',
    );
    expect(refused.infeasibility.reasons.map((r: { message: string }) => r.message).join('\n')).toContain(
      "St Mary's than its limit of 1 per student",
    );

    const atlantis = randomUUID();
    const unknown = await h.call(w.coordinatorA, START, {
      input: { ...input, hospitalLimits: [...hospitalLimits, { hospitalId: atlantis, maxBlocksPerStudent: 2 }] },
    });
    expect(unknown.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'hospitalLimits.1.hospitalId',
      unknownHospitalIds: [atlantis],
    });
    const twice = await h.call(w.coordinatorA, START, { input: { ...input, hospitalLimits: [...hospitalLimits, ...hospitalLimits] } });
    expect(codes(twice)).toEqual(['BAD_USER_INPUT']);
    const zero = await h.call(w.coordinatorA, START, {
      input: { ...input, hospitalLimits: [{ ...hospitalLimits[0], maxBlocksPerStudent: 0 }] },
    });
    expect(codes(zero)).toEqual(['BAD_USER_INPUT']);
  });

  it('takes the whole-schedule weights from the options: they reach the engine and change the schedule, invalid ones are refused', async () => {
    const POLISH = `query($id: ID!) { allocationRun(id: $id) { variations { mechanism metrics { assignments worstRank
      schedule { idleBlocks hospitalChanges worstStudentTotalRank } schedulePolish { weights { hospitalChange idleBlock } moves hospitalChangesBefore idleBlocksBefore } }
      assignments(first: 100) { edges { node { student { id } department { id } block { id } rank } } } } } }`;
    interface Polished {
      mechanism: string;
      metrics: {
        assignments: number;
        worstRank: number;
        schedule: { idleBlocks: number; hospitalChanges: number; worstStudentTotalRank: number };
        schedulePolish: {
          weights: { hospitalChange: number; idleBlock: number };
          moves: number;
          hospitalChangesBefore: number;
          idleBlocksBefore: number;
        };
      };
      assignments: { edges: { node: AssignmentNode }[] };
    }
    // One block per student (St Mary's takes each for one), in either of two blocks: a student
    // placed in Autumn 2 only is idle in Autumn 1, which the polish closes when the seat is free.
    const input = {
      schoolId: w.schoolA,
      academicYear: YEAR,
      mechanism: 'OPTIMAL',
      hospitalLimits: [{ hospitalId: w.hospitalH, maxBlocksPerStudent: 1 }],
    };
    const runWith = async (scheduleWeights: unknown) => {
      const run = ok(await h.call(w.coordinatorA, START, { input: { ...input, options: { seed: 'weights', scheduleWeights } } }))
        .startAllocationRun as { id: string };
      expect(await processNextAllocationRun(h.dataSource)).toBe(true);
      return (ok(await h.call(w.coordinatorA, POLISH, { id: run.id })).allocationRun as { variations: Polished[] }).variations;
    };
    const off = await runWith({ hospitalChange: 0, idleBlock: 0 });
    const on = await runWith({ idleBlock: 3 });
    const ranksOf = (v: Polished) => v.assignments.edges.map((e) => `${e.node.student.id}:${e.node.department.id}:${e.node.rank}`).sort();
    const blocksOf = (v: Polished) => v.assignments.edges.map((e) => `${e.node.student.id}:${e.node.block.id}`).sort();
    for (const v of off) {
      expect(v.metrics.schedulePolish).toMatchObject({ weights: { hospitalChange: 0, idleBlock: 0 }, moves: 0 });
      expect(v.metrics.schedule.idleBlocks).toBe(v.metrics.schedulePolish.idleBlocksBefore);
    }
    const [offOptimal, onOptimal] = [off[0]!, on[0]!];
    expect(onOptimal.mechanism).toBe('OPTIMAL');
    // The weights arrived (the missing one at its default) and the same optimum was polished.
    expect(onOptimal.metrics.schedulePolish.weights).toEqual({ hospitalChange: 1, idleBlock: 3 });
    expect(onOptimal.metrics.schedulePolish.idleBlocksBefore).toBe(offOptimal.metrics.schedule.idleBlocks);
    expect(offOptimal.metrics.schedule.idleBlocks).toBeGreaterThan(0);
    expect(onOptimal.metrics.schedule.idleBlocks).toBeLessThan(offOptimal.metrics.schedule.idleBlocks);
    expect(onOptimal.metrics.schedulePolish.moves).toBeGreaterThan(0);
    expect(blocksOf(onOptimal)).not.toEqual(blocksOf(offOptimal));
    // Never a rank changed: same departments at the same ranks, same worst rank and totals.
    on.forEach((v, i) => {
      expect(ranksOf(v)).toEqual(ranksOf(off[i]!));
      expect(v.metrics.worstRank).toBe(off[i]!.metrics.worstRank);
      expect(v.metrics.schedule.worstStudentTotalRank).toBe(off[i]!.metrics.schedule.worstStudentTotalRank);
    });

    for (const [scheduleWeights, path] of [
      [{ idleBlock: -1 }, 'options.scheduleWeights.idleBlock'],
      [{ hospitalChange: 101 }, 'options.scheduleWeights.hospitalChange'],
    ] as const) {
      const refused = await h.call(w.coordinatorA, START, { input: { ...input, options: { scheduleWeights } } });
      expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: [{ path }] });
    }
  });

  it('keeps a department at its minimum staffing or empty, says which cannot be staffed, and refuses unknown departments', async () => {
    // One block, three students, two seats at each department: without a minimum Nephrology
    // (d2) gets only the one student who ranked it first; with "2 or none" it must take two.
    const input = {
      schoolId: w.schoolA,
      blockIds: [blocks[0]],
      mechanism: 'OPTIMAL',
      staffingMinimums: [{ departmentId: w.d2, minStudents: 2 }],
    };
    const run = ok(await h.call(w.coordinatorA, START, { input })).startAllocationRun as { id: string };
    expect(await processNextAllocationRun(h.dataSource)).toBe(true);
    const variations = (await read(run.id)).variations as VariationOut[];
    expect(variations).toHaveLength(2);
    const atD2 = (v: VariationOut) => v.assignments.edges.filter((e) => e.node.department.id === w.d2).length;
    const optimal = variations.find((v) => v.mechanism === 'OPTIMAL')!;
    expect(optimal.status).toBe('OPTIMAL');
    expect(atD2(optimal)).toBe(2);
    // The draw may leave Nephrology with one student: it is then closed and drawn again.
    const lottery = variations.find((v) => v.mechanism === 'LOTTERY')!;
    expect([0, 2]).toContain(atD2(lottery));

    // Cardiology (2 seats) cannot have 3: it stays empty, and every variation says so by name and
    // block (OPTIMAL is then infeasible: two seats at Nephrology for three students; the lottery
    // leaves one unplaced).
    const closed = { ...input, staffingMinimums: [{ departmentId: w.d1, minStudents: 3, blockId: blocks[0] }] };
    const refused = ok(await h.call(w.coordinatorA, START, { input: closed })).startAllocationRun as { id: string };
    expect(await processNextAllocationRun(h.dataSource)).toBe(true);
    const { allocationRun } = ok(
      await h.call(
        w.coordinatorA,
        `query($id: ID!) { allocationRun(id: $id) { variations { mechanism status reasons { kind message department { id } block { id } } } } }`,
        { id: refused.id },
      ),
    );
    const byMechanism = Object.fromEntries(
      (allocationRun.variations as { mechanism: string; status: string; reasons: { kind: string }[] }[]).map((v) => [v.mechanism, v]),
    );
    expect([byMechanism.OPTIMAL!.status, byMechanism.LOTTERY!.status]).toEqual(['INFEASIBLE', 'PARTIAL']);
    for (const v of Object.values(byMechanism))
      expect(v.reasons.filter((r) => r.kind === 'UNDERSTAFFED')).toEqual([
        {
          kind: 'UNDERSTAFFED',
          message: "Cardiology (St Mary's) in Autumn 1 stays empty: it needs at least 3 students or none, and it offers 2 seats",
          department: { id: w.d1 },
          block: { id: blocks[0] },
        },
      ]);

    const nowhere = randomUUID();
    const unknown = await h.call(w.coordinatorA, START, {
      input: { ...input, staffingMinimums: [...input.staffingMinimums, { departmentId: nowhere, minStudents: 2 }] },
    });
    expect(unknown.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'staffingMinimums.1.departmentId',
      unknownDepartmentIds: [nowhere],
    });
    const outside = await h.call(w.coordinatorA, START, {
      input: { ...input, staffingMinimums: [{ departmentId: w.d2, minStudents: 2, blockId: blocks[1] }] },
    });
    expect(outside.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'staffingMinimums.0.blockId' });
    const one = await h.call(w.coordinatorA, START, { input: { ...input, staffingMinimums: [{ departmentId: w.d2, minStudents: 1 }] } });
    expect(codes(one)).toEqual(['BAD_USER_INPUT']);
  });

  let barredRun: { id: string };
  let crowdedBlock: string;

  it('refuses to publish a variation the independent validator rejects, naming what is wrong', async () => {
    // Built from the first run's OPTIMAL (solved, not yet published) so that superseding it later
    // is deterministic: Ada moves from d1 to d2 in the block where the first run had her at d1
    // (a collision once that placement is confirmed), and Ben keeps his first block (a kept row).
    const firstOptimal = ((await read(first.id)).variations as VariationOut[])[0]!.assignments.edges.map((e) => e.node);
    const adaAtD1 = firstOptimal.find((a) => a.student.id === students[0]!.id && a.department.id === w.d1)!.block.id;
    const benFirst = firstOptimal.find((a) => a.student.id === students[1]!.id && a.block.id === blocks[0])!;
    crowdedBlock = adaAtD1;
    const exemptions = [
      { studentId: students[0]!.id, kind: 'BAR', departmentId: w.d1, reason: 'conflict of interest' },
      { studentId: students[0]!.id, kind: 'PIN', departmentId: w.d2, blockId: adaAtD1, reason: 'closer to home' },
      { studentId: students[1]!.id, kind: 'PIN', departmentId: benFirst.department.id, blockId: blocks[0], reason: 'as agreed' },
    ];
    barredRun = ok(
      await h.call(w.coordinatorA, START, {
        input: { schoolId: w.schoolA, academicYear: YEAR, mechanism: 'OPTIMAL', options: { seed: 'seed-5' }, exemptions },
      }),
    ).startAllocationRun as { id: string };
    expect(await processNextAllocationRun(h.dataSource)).toBe(true);
    const stored = async () =>
      (
        (await h.dataSource.query(`SELECT assignments FROM allocation_variation WHERE run_id = $1 AND mechanism = 'LOTTERY'`, [
          barredRun.id,
        ])) as {
          assignments: { studentId: string; blockId: string; departmentId: string; rank: number }[];
        }[]
      )[0]!.assignments;
    const original = await stored();
    const rewrite = (assignments: unknown[]) =>
      h.dataSource.query(`UPDATE allocation_variation SET assignments = $2 WHERE run_id = $1 AND mechanism = 'LOTTERY'`, [
        barredRun.id,
        JSON.stringify(assignments),
      ]);

    // Everyone crowded into d1 in Ada's block: two seats for three students, Ada barred from it.
    // Written out for all three, because the lottery may have left one of them unplaced in that block.
    const template = original.find((a) => a.blockId === crowdedBlock)!;
    await rewrite([
      ...original.filter((a) => a.blockId !== crowdedBlock),
      ...students.map((s) => ({ ...template, studentId: s.id, departmentId: w.d1 })),
    ]);
    const blockName = crowdedBlock === blocks[0] ? 'Autumn 1' : 'Autumn 2';
    let refused = await h.call(w.coordinatorA, PUBLISH, { id: barredRun.id, v: 'LOTTERY' });
    expect(refusalOf(refused)).toBe('CONFLICT/INVALID_ALLOCATION');
    expect(refused.errors?.[0]?.extensions?.problems).toEqual(
      expect.arrayContaining([
        `Cardiology in ${blockName} is over capacity by 1`,
        `Ada Lovelace is placed at Cardiology in ${blockName}, which is barred to them`,
      ]),
    );
    // One student twice in a block.
    await rewrite([...original, original[0]]);
    refused = await h.call(w.coordinatorA, PUBLISH, { id: barredRun.id, v: 'LOTTERY' });
    expect(refusalOf(refused)).toBe('CONFLICT/INVALID_ALLOCATION');
    expect(refused.errors?.[0]?.message).toMatch(/(Ada Lovelace|Ben Okri|Cy Twombly) is placed twice in Autumn [12]/);
    expect(await placementCount()).toBe(0);
    await rewrite(original);

    // The explanations name the student's missed choice and why, with names, never ids.
    const optimal = ((await read(barredRun.id)).variations as VariationOut[])[0]!;
    const texts = optimal.assignments.edges.map((e) => e.node.explanation ?? '').join('\n');
    expect(texts).toMatch(/Cardiology/);
    expect(texts).toMatch(/(Nephrology|Cardiology) \(St Mary's\), your (1st|2nd) choice\. This placement was fixed by hand\./);
    expect(texts).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-/);
  });

  it('publishes a variation as proposals all or nothing, once', async () => {
    // A conflicting state: the first block's seats at d1 are withdrawn after the run.
    await setSeats(h, w.coordinatorH, { departmentId: w.d1, blockId: blocks[0]!, schoolId: w.schoolA, seats: 0 });
    const refused = await h.call(w.coordinatorA, PUBLISH, { id: second.id, v: 'OPTIMAL' });
    expect(refusalOf(refused)).toBe('CONFLICT/OVER_CAPACITY');
    expect(refused.errors?.[0]?.message).toMatch(/^Cannot publish: (Ada Lovelace|Ben Okri|Cy Twombly) at Cardiology in Autumn 1: /);
    expect(refused.errors?.[0]?.extensions?.studentId).toEqual(expect.any(String));
    expect(await placementCount()).toBe(0);
    expect(await runEvents(second.id)).toEqual([]); // a refused publication tells quality nothing
    await setSeats(h, w.coordinatorH, { departmentId: w.d1, blockId: blocks[0]!, schoolId: w.schoolA, seats: 2 });

    expect(codes(await h.call(w.coordinatorB, PUBLISH, { id: first.id, v: 'OPTIMAL' }))).toEqual(['FORBIDDEN']);
    expect(ok(await h.call(w.coordinatorA, PUBLISH, { id: first.id, v: 'OPTIMAL' })).publishAllocationRun.publishedVariation).toBe(
      'OPTIMAL',
    );
    const optimal = ((await read(first.id)).variations as VariationOut[])[0]!;
    const rows = (await h.dataSource.query(
      `SELECT student_id, block_id, department_id, status FROM placement ORDER BY student_id, block_id`,
    )) as {
      student_id: string;
      block_id: string;
      department_id: string;
      status: string;
    }[];
    expect(rows.map((r) => `${r.student_id}:${r.block_id}:${r.department_id}`).sort()).toEqual(assignmentsOf(optimal).sort());
    expect(rows.every((r) => r.status === 'PROPOSED')).toBe(true);

    // One AllocationRunPublished for quality (issue 13): the seats the run was offered (2 per department and block),
    // filled by its six assignments, each with the student's preference rank (every student ranked both departments).
    const [published, ...more] = await runEvents(first.id);
    expect(more).toEqual([]);
    expect(published).toMatchObject({ event_type: 'AllocationRunPublished', consumers: ['quality'] });
    const p = published!.payload;
    expect(p).toMatchObject({ runId: first.id, schoolId: w.schoolA, academicYear: YEAR, variation: 'OPTIMAL', supersededRunIds: [] });
    const filled = (departmentId: string, blockId: string) =>
      optimal.assignments.edges.filter((e) => e.node.department.id === departmentId && e.node.block.id === blockId).length;
    expect(p.sites).toHaveLength(4);
    for (const site of p.sites)
      expect(site).toMatchObject({ hospitalId: w.hospitalH, seatsOffered: 2, seatsFilled: filled(site.departmentId, site.blockId) });
    expect(p.sites.find((x) => x.blockId === blocks[0])?.startsOn).toBe('2026-09-01');
    const ranks = new Map(optimal.assignments.edges.map((e) => [`${e.node.student.id}:${e.node.block.id}`, e.node.rank]));
    expect(p.placements).toHaveLength(6);
    for (const pl of p.placements) expect(pl.rank).toBe(ranks.get(`${pl.studentId}:${pl.blockId}`));

    expect(refusalOf(await h.call(w.coordinatorA, PUBLISH, { id: first.id, v: 'LOTTERY' }))).toBe('CONFLICT/ALREADY_PUBLISHED');
    expect(await placementCount()).toBe(6);
    expect(await runEvents(first.id)).toHaveLength(1);
  });

  it('refuses a second publication over the same blocks unless it supersedes the first, cancelling only untouched proposals', async () => {
    // barredRun was solved before `first` was published, with students[0] barred from d1.
    const refused = await h.call(w.coordinatorA, PUBLISH, { id: barredRun.id, v: 'OPTIMAL' });
    expect(refusalOf(refused)).toBe('CONFLICT/BLOCKS_ALREADY_PUBLISHED');
    expect(refused.errors?.[0]?.message).toMatch(/^Autumn 1, Autumn 2 already have a published allocation/);
    expect(refused.errors?.[0]?.extensions?.publishedRunIds).toEqual([first.id]);
    type Row = { id: string; student_id: string; block_id: string; department_id: string; status: string; cancel_reason: string | null };
    const all = async () =>
      (await h.dataSource.query(
        `SELECT id, student_id, block_id, department_id, status, cancel_reason FROM placement ORDER BY student_id, block_id, status`,
      )) as Row[];
    const firstRows = await all();
    expect(firstRows).toHaveLength(6);
    const optimal = ((await read(barredRun.id)).variations as VariationOut[])[0]!;
    const wanted = new Set(assignmentsOf(optimal));
    const key = (r: Row) => `${r.student_id}:${r.block_id}:${r.department_id}`;
    const dropped = firstRows.filter((r) => !wanted.has(key(r)));
    // Ada's d1 block collides with her pin at d2; her other block is no longer hers at all.
    const collides = dropped.find((r) => r.student_id === students[0]!.id && r.block_id === crowdedBlock)!;
    const untouched = dropped.find((r) => r.student_id === students[0]!.id && r.block_id !== crowdedBlock)!;
    expect(collides.department_id).toBe(w.d1);
    const keptRow = firstRows.find((r) => r.student_id === students[1]!.id && r.block_id === blocks[0])!;
    expect(wanted.has(key(keptRow))).toBe(true);

    // A placement someone confirmed is touched: it stays, and an assignment that collides with it is refused.
    expect(await step(h, w.coordinatorA, 'confirmPlacement', collides.id)).toBe('CONFIRMED');
    expect(await step(h, w.coordinatorA, 'confirmPlacement', keptRow.id)).toBe('CONFIRMED');
    const supersede = (actor = w.coordinatorA) => h.call(actor, SUPERSEDE, { id: barredRun.id, v: 'OPTIMAL' });
    expect(codes(await supersede(w.coordinatorB))).toEqual(['FORBIDDEN']);
    expect(refusalOf(await supersede())).toBe('CONFLICT/ALREADY_PLACED_IN_BLOCK');
    expect((await all()).filter((r) => r.status === 'CANCELLED')).toEqual([]);

    ok(await h.call(w.coordinatorA, M.cancelPlacement, { input: { id: collides.id, reason: 'student asked to move' } }));
    expect(ok(await supersede()).publishAllocationRun.publishedVariation).toBe('OPTIMAL');
    const after = await all();
    const live = after.filter((r) => r.status !== 'CANCELLED');
    expect(live.map(key).sort()).toEqual([...wanted].sort());
    // Kept placements are the same rows (the confirmed one still CONFIRMED); the untouched dropped one is cancelled.
    for (const r of firstRows.filter((x) => wanted.has(key(x)))) expect(live.find((x) => x.id === r.id)).toBeDefined();
    expect(after.find((r) => r.id === keptRow.id)!.status).toBe('CONFIRMED');
    expect(after.find((r) => r.id === untouched.id)).toMatchObject({
      status: 'CANCELLED',
      cancel_reason: 'superseded by a later allocation run',
    });
    expect(ok(await h.call(w.coordinatorA, SUPERSEDED_BY, { id: first.id })).allocationRun.supersededBy).toEqual({ id: barredRun.id });
    // Quality withdraws the first run's figures: the new run names it, and the first run's aggregate says so.
    expect((await runEvents(barredRun.id)).map((e) => [e.event_type, e.payload.supersededRunIds])).toEqual([
      ['AllocationRunPublished', [first.id]],
    ]);
    expect((await runEvents(first.id)).map((e) => e.event_type)).toEqual(['AllocationRunPublished', 'AllocationRunSuperseded']);
  });

  it('hands a run back to the queue when the worker shuts down mid-solve', async () => {
    const run = await start('seed-4');
    const claimed = await claimAllocationRun(h.dataSource);
    const shutdown = new AbortController();
    shutdown.abort();
    await executeAllocationRun(h.dataSource, claimed!, { shutdown: shutdown.signal });
    expect((await read(run.id)).status).toBe('QUEUED');
    expect(await processNextAllocationRun(h.dataSource)).toBe(true);
    expect((await read(run.id)).status).toBe('SUCCEEDED');
  });

  it('reports an infeasible run with its reasons', async () => {
    const other = await buildWorld(h);
    const block = (
      await createBlock(h, other.coordinatorA, { schoolId: other.schoolA, name: 'Only', startsOn: '2026-09-01', endsOn: '2026-10-31' })
    ).id;
    await setSeats(h, other.coordinatorH, { departmentId: other.d1, blockId: block, schoolId: other.schoolA, seats: 1 });
    await registerStudent(h, other.schoolA);
    await registerStudent(h, other.schoolA);
    const run = ok(
      await h.call(other.coordinatorA, START, { input: { schoolId: other.schoolA, blockIds: [block], mechanism: 'OPTIMAL' } }),
    ).startAllocationRun;
    await processNextAllocationRun(h.dataSource);
    const done = await read(run.id, other.coordinatorA);
    expect(done.status).toBe('INFEASIBLE');
    expect(done.infeasibility.reasons.length).toBeGreaterThan(0);
    expect(refusalOf(await h.call(other.coordinatorA, PUBLISH, { id: run.id, v: 'OPTIMAL' }))).toBe('CONFLICT/INVALID_TRANSITION');

    // The conflicting set: both students' requirements and the one seat, in words; a student reads only that theirs is in it.
    const CONFLICT = `query($id: ID!) { allocationRun(id: $id) { infeasibility { reasons { kind message studentIds minimal
      conflictingSeats { department { id } block { id name } seats } } } } }`;
    const reasons = ok(await h.call(other.coordinatorA, CONFLICT, { id: run.id })).allocationRun.infeasibility.reasons as {
      kind: string;
      message: string;
      studentIds: string[];
      minimal: boolean | null;
      conflictingSeats: { department: { id: string }; block: { id: string; name: string }; seats: number }[] | null;
    }[];
    const conflict = reasons.find((r) => r.kind === 'CONFLICTING_SET')!;
    expect(conflict).toMatchObject({
      minimal: true,
      conflictingSeats: [{ department: { id: other.d1 }, block: { id: block, name: 'Only' }, seats: 1 }],
    });
    expect(conflict.studentIds).toHaveLength(2);
    expect(conflict.message).toMatch(
      /^These cannot all be met together: .*'s placement in 1 block; .*'s placement in 1 block; the 1 seat at .* in Only\./,
    );
    const [one] = conflict.studentIds as [string];
    const seenByStudent = ok(await h.call(asStudent({ id: one, schoolId: other.schoolA }), CONFLICT, { id: run.id })).allocationRun
      .infeasibility.reasons as { kind: string; message: string; studentIds: string[]; conflictingSeats: unknown }[];
    expect(seenByStudent.find((r) => r.kind === 'CONFLICTING_SET')).toEqual({
      kind: 'CONFLICTING_SET',
      message: expect.stringMatching(/^Your requirement is part of a set/),
      studentIds: [one],
      minimal: null,
      conflictingSeats: null,
    });
  });

  it('snapshots requirements and bars departments whose prerequisites a student has not met', async () => {
    const other = await buildWorld(h);
    const [surgery, pediatrics] = [randomUUID(), randomUUID()];
    await activateAgreement(h, {
      schoolId: other.schoolA,
      hospitalId: other.hospitalH,
      departmentIds: [surgery, pediatrics],
      startsOn: '2026-01-01',
      endsOn: '2027-12-31',
      departmentSpecialties: [
        { departmentId: surgery, specialty: 'SURGERY' },
        { departmentId: pediatrics, specialty: 'PEDIATRICS' },
      ],
    });
    const block = (
      await createBlock(h, other.coordinatorA, { schoolId: other.schoolA, name: 'B1', startsOn: '2026-09-01', endsOn: '2026-10-31' })
    ).id;
    for (const departmentId of [surgery, pediatrics])
      await setSeats(h, other.coordinatorH, { departmentId, blockId: block, schoolId: other.schoolA, seats: 5 });
    const programId = randomUUID();
    const moduleId = randomUUID();
    ok(
      await h.call(other.coordinatorA, `mutation($input: SetRotationRequirementInput!) { setRotationRequirement(input: $input) { id } }`, {
        input: { schoolId: other.schoolA, programId, specialty: 'SURGERY', blocks: 1, prerequisiteModuleIds: [moduleId] },
      }),
    );
    const [ready, notReady] = [await registerStudent(h, other.schoolA), await registerStudent(h, other.schoolA)];
    await completeModule(h, await enrol(h, ready, programId), moduleId);
    await enrol(h, notReady, programId);
    const run = ok(
      await h.call(other.coordinatorA, START, { input: { schoolId: other.schoolA, blockIds: [block], mechanism: 'OPTIMAL' } }),
    ).startAllocationRun;
    const [row] = (await h.dataSource.query(`SELECT input FROM allocation_run WHERE id = $1`, [run.id])) as {
      input: { students: { id: string; requirement: unknown }[]; bars: { studentId: string; departmentId: string }[] };
    }[];
    expect(row!.input.students.find((s) => s.id === ready.id)!.requirement).toMatchObject({
      blocksToFill: 1,
      specialties: [{ specialty: 'SURGERY', minBlocks: 1 }],
    });
    expect(row!.input.bars).toEqual([expect.objectContaining({ studentId: notReady.id, departmentId: surgery })]);
    await processNextAllocationRun(h.dataSource);
    const done = await read(run.id, other.coordinatorA);
    expect(done.status).toBe('INFEASIBLE');
    expect(JSON.stringify(done.infeasibility.reasons)).toContain('SURGERY');

    // Students see the reasons that name them, and no classmate in them (notReady was barred).
    const REASONS = `query($id: ID!) { allocationRun(id: $id) { infeasibility { reasons { kind message studentIds } } variations { reasons { studentIds } } } }`;
    const asSeenBy = async (s: { id: string; schoolId: string }) => ok(await h.call(asStudent(s), REASONS, { id: run.id })).allocationRun;
    const all = ok(await h.call(other.coordinatorA, REASONS, { id: run.id })).allocationRun.infeasibility.reasons as {
      studentIds: string[];
    }[];
    expect(all.some((r) => r.studentIds.includes(notReady.id))).toBe(true);
    const readyView = await asSeenBy(ready);
    expect(JSON.stringify(readyView)).not.toContain(notReady.id);
    for (const r of readyView.infeasibility.reasons as { studentIds: string[] }[]) expect(r.studentIds).toEqual([ready.id]);
    const barredView = await asSeenBy(notReady);
    expect(barredView.infeasibility.reasons.length).toBeGreaterThan(0);
    expect(JSON.stringify(barredView)).not.toContain(ready.id);
  });

  it('allocates and publishes a 2-block surgery in consecutive blocks at one department, and refuses rotations that cannot be', async () => {
    const other = await buildWorld(h);
    const [stMarys, royal, medicine] = [randomUUID(), randomUUID(), randomUUID()];
    await activateAgreement(h, {
      schoolId: other.schoolA,
      hospitalId: other.hospitalH,
      departmentIds: [stMarys, royal, medicine],
      startsOn: '2026-01-01',
      endsOn: '2027-12-31',
      departmentSpecialties: [
        { departmentId: stMarys, specialty: 'SURGERY' },
        { departmentId: royal, specialty: 'SURGERY' },
        { departmentId: medicine, specialty: 'INTERNAL_MEDICINE' },
      ],
      departmentNames: [
        { departmentId: stMarys, name: 'Surgery A' },
        { departmentId: royal, name: 'Surgery B' },
        { departmentId: medicine, name: 'Medicine' },
      ],
      hospitalName: "St Mary's",
    });
    // Three consecutive four-week blocks, then a fourth after the winter break.
    const yearBlocks: string[] = [];
    for (const [name, startsOn, endsOn] of [
      ['Block 1', '2026-09-07', '2026-10-04'],
      ['Block 2', '2026-10-05', '2026-11-01'],
      ['Block 3', '2026-11-02', '2026-11-29'],
      ['Block 4', '2027-01-11', '2027-02-07'],
    ] as const)
      yearBlocks.push((await createBlock(h, other.coordinatorA, { schoolId: other.schoolA, name, startsOn, endsOn })).id);
    // Surgery A has a seat in blocks 1 and 3 only (never two in a row), Surgery B in blocks 2 to 4.
    for (const [departmentId, at] of [
      [stMarys, [0, 2]],
      [royal, [1, 2, 3]],
      [medicine, [0, 1, 2, 3]],
    ] as const)
      for (const i of at)
        await setSeats(h, other.coordinatorH, { departmentId, blockId: yearBlocks[i]!, schoolId: other.schoolA, seats: 1 });
    const SET = `mutation($input: SetRotationRequirementInput!) { setRotationRequirement(input: $input) { id blocks durationBlocks } }`;
    const programId = randomUUID();
    const requirement = (extra: Record<string, unknown>) => ({ schoolId: other.schoolA, programId, specialty: 'SURGERY', ...extra });
    // Refused, naming the specialty: a rotation of 0 blocks; 3 blocks that are not whole 2-block rotations.
    const zero = await h.call(other.coordinatorA, SET, { input: requirement({ blocks: 2, durationBlocks: 0 }) });
    expect(codes(zero)).toEqual(['BAD_USER_INPUT']);
    expect(zero.errors?.[0]?.message).toMatch(/a SURGERY rotation must last from 1 to 12 blocks \(not 0\)/);
    const odd = await h.call(other.coordinatorA, SET, { input: requirement({ blocks: 3, durationBlocks: 2 }) });
    expect(codes(odd)).toEqual(['BAD_USER_INPUT']);
    expect(odd.errors?.[0]?.message).toMatch(/3 blocks of SURGERY are not a whole number of 2-block rotations/);
    expect(
      ok(await h.call(other.coordinatorA, SET, { input: requirement({ blocks: 2, durationBlocks: 2 }) })).setRotationRequirement,
    ).toMatchObject({
      blocks: 2,
      durationBlocks: 2,
    });
    ok(await h.call(other.coordinatorA, SET, { input: requirement({ specialty: 'INTERNAL_MEDICINE', blocks: 1 }) }));
    const ada = await registerStudent(h, other.schoolA, { givenName: 'Ada', familyName: 'Lovelace' });
    await enrol(h, ada, programId);
    // Ada ranks Surgery A first: block by block she would get it in blocks 1 and 3.
    const now = Date.now();
    const window = { opensAt: new Date(now - 3_600_000).toISOString(), closesAt: new Date(now + 3_600_000).toISOString() };
    ok(await h.call(other.coordinatorA, OPEN, { input: { schoolId: other.schoolA, academicYear: YEAR, ...window } }));
    const rankings = [
      { rank: 1, departmentId: stMarys },
      { rank: 2, departmentId: royal },
      { rank: 3, departmentId: medicine },
    ];
    ok(await h.call(asStudent(ada), SUBMIT, { input: { studentId: ada.id, academicYear: YEAR, rankings } }));

    // One block is shorter than one rotation: refused before anything is queued, naming the specialty.
    const short = await h.call(other.coordinatorA, START, {
      input: { schoolId: other.schoolA, blockIds: [yearBlocks[0]], mechanism: 'OPTIMAL' },
    });
    expect(codes(short)).toEqual(['BAD_USER_INPUT']);
    expect(short.errors?.[0]?.message).toMatch(/A SURGERY rotation lasts 2 consecutive blocks, more than the 1 block this run covers/);

    const run = ok(
      await h.call(other.coordinatorA, START, { input: { schoolId: other.schoolA, academicYear: YEAR, mechanism: 'OPTIMAL' } }),
    ).startAllocationRun as { id: string };
    const [row] = (await h.dataSource.query(`SELECT input FROM allocation_run WHERE id = $1`, [run.id])) as {
      input: { blocks: { id: string; gapBefore?: boolean }[]; students: { id: string; requirement: { specialties: unknown[] } }[] };
    }[];
    expect(row!.input.blocks.map((b) => b.gapBefore ?? false)).toEqual([false, false, false, true]);
    expect(row!.input.students.find((st) => st.id === ada.id)!.requirement.specialties).toContainEqual({
      specialty: 'SURGERY',
      minBlocks: 2,
      durationBlocks: 2,
    });
    await processNextAllocationRun(h.dataSource);
    const done = ok(
      await h.call(other.coordinatorA, RUN.replace('rank explanation', 'rank explanation rotation'), { id: run.id }),
    ).allocationRun;
    expect(done.status).toBe('SUCCEEDED');
    const variations = done.variations as VariationOut[];
    for (const v of variations) {
      const surgery = v.assignments.edges
        .map((e) => e.node)
        .filter((n) => n.department.id === stMarys || n.department.id === royal)
        .map((n) => yearBlocks.indexOf(n.block.id));
      // Surgery B in blocks 2-3: the only two consecutive surgery seats that do not cross the break.
      expect(v.assignments.edges.filter((e) => e.node.department.id === royal)).toHaveLength(2);
      expect(surgery.sort()).toEqual([1, 2]);
      const explanation = v.assignments.edges.find((e) => e.node.department.id === royal)!.node.explanation ?? '';
      expect(explanation).toContain("Part of one rotation: SURGERY at Surgery B (St Mary's), Block 2 – Block 3.");
      const rotations = v.assignments.edges.map((e) => (e.node as AssignmentNode & { rotation: string | null }).rotation);
      expect(rotations.filter(Boolean)).toEqual([
        "SURGERY at Surgery B (St Mary's), Block 2 – Block 3",
        "SURGERY at Surgery B (St Mary's), Block 2 – Block 3",
      ]);
      expect(rotations.filter((r) => r === null)).toHaveLength(1);
    }

    expect(ok(await h.call(other.coordinatorA, PUBLISH, { id: run.id, v: 'OPTIMAL' })).publishAllocationRun.publishedVariation).toBe(
      'OPTIMAL',
    );
    // One PROPOSED placement per spanned block, at the same department (see ADR 0027).
    const placed = (await h.dataSource.query(
      `SELECT p.department_id, b.name, p.status FROM placement p JOIN rotation_block b ON b.id = p.block_id
        WHERE p.student_id = $1 AND p.department_id = $2 ORDER BY b.starts_on`,
      [ada.id, royal],
    )) as { department_id: string; name: string; status: string }[];
    expect(placed.map((p) => `${p.name}:${p.status}`)).toEqual(['Block 2:PROPOSED', 'Block 3:PROPOSED']);
    // The two placements are linked as parts 1 and 2 of one rotation, named, spanning both blocks.
    const linked = (await h.dataSource.query(
      `SELECT p.id, p.rotation_id AS "rotationId", p.rotation_part AS part, p.rotation_parts AS parts, p.rotation_name AS name,
              p.rotation_starts_on::text AS "startsOn", p.rotation_ends_on::text AS "endsOn"
         FROM placement p JOIN rotation_block b ON b.id = p.block_id WHERE p.student_id = $1 ORDER BY b.starts_on`,
      [ada.id],
    )) as { id: string; rotationId: string | null; part: number | null; parts: number | null; name: string | null }[];
    const surgeryParts = linked.filter((p) => p.rotationId);
    expect(surgeryParts.map(({ part, parts, name }) => ({ part, parts, name }))).toEqual([
      { part: 1, parts: 2, name: "SURGERY at Surgery B (St Mary's), Block 2 – Block 3" },
      { part: 2, parts: 2, name: "SURGERY at Surgery B (St Mary's), Block 2 – Block 3" },
    ]);
    expect(new Set(surgeryParts.map((p) => p.rotationId)).size).toBe(1);
    expect(linked.filter((p) => !p.rotationId)).toHaveLength(1);
    // Its placement events say so (additive: a placement that is a rotation on its own has no `rotation`).
    for (const p of linked) await step(h, other.coordinatorA, 'confirmPlacement', p.id);
    const confirmed = (await h.dataSource.query(
      `SELECT aggregate_id AS id, payload FROM outbox WHERE event_type = 'PlacementConfirmed' AND aggregate_id = ANY($1::text[])`,
      [linked.map((p) => p.id)],
    )) as { id: string; payload: { rotation?: unknown } }[];
    for (const p of linked)
      expect(confirmed.find((e) => e.id === p.id)!.payload.rotation).toEqual(
        p.rotationId
          ? {
              rotationId: p.rotationId,
              part: p.part,
              parts: 2,
              name: p.name,
              startsOn: '2026-10-05',
              endsOn: '2026-11-29',
            }
          : undefined,
      );
  });

  it('has reversible migrations', async () => {
    const blockIndex = async () => (await h.dataSource.query(`SELECT to_regclass('placement_block')::text AS i`)) as { i: string | null }[];
    const durationColumn = () =>
      h.dataSource.query(
        `SELECT column_name FROM information_schema.columns WHERE table_name = 'rotation_requirement' AND column_name = 'duration_blocks'`,
      );
    // Newest first: the department page's index (1767884200000), the block board's scope indexes (1767881000000), one-part rotations (1767820000000), the placements' rotation link (1767725000000), the requirements' rotation length (1767720000000), the shared network projections'
    // columns (1765700000003), then the placement-block index (1765600000000), allocation progress and
    // requirement groups (176530000000x), then older ones.
    const rotationColumn = () =>
      h.dataSource.query(
        `SELECT column_name FROM information_schema.columns WHERE table_name = 'placement' AND column_name = 'rotation_id'`,
      );
    // A rotation of one part left (1767820000000, ADR 0035): its down restores "at least two parts".
    const partsCheck = async () =>
      (
        (await h.dataSource.query(
          `SELECT pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE conname = 'placement_rotation_parts'`,
        )) as { def: string }[]
      )[0]?.def;
    // The block board's scope indexes (1767881000000, ADR 0051).
    const scopeIndexes = async () =>
      (await h.dataSource.query(
        `SELECT to_regclass('placement_block_school')::text AS s, to_regclass('placement_block_hospital')::text AS h`,
      )) as { s: string | null; h: string | null }[];
    // The department page's index (1767884200000, ADR 0072).
    const departmentIndex = async () =>
      (await h.dataSource.query(`SELECT to_regclass('placement_department')::text AS i`)) as { i: string | null }[];
    expect(await departmentIndex()).toEqual([{ i: 'placement_department' }]);
    await h.dataSource.undoLastMigration();
    expect(await departmentIndex()).toEqual([{ i: null }]);
    expect(await scopeIndexes()).toEqual([{ s: 'placement_block_school', h: 'placement_block_hospital' }]);
    await h.dataSource.undoLastMigration();
    expect(await scopeIndexes()).toEqual([{ s: null, h: null }]);
    expect(await partsCheck()).toMatch(/rotation_parts >= 1/);
    await h.dataSource.undoLastMigration();
    expect(await partsCheck()).toMatch(/rotation_parts >= 2/);
    expect(await rotationColumn()).toHaveLength(1);
    await h.dataSource.undoLastMigration();
    expect(await rotationColumn()).toEqual([]);
    expect(await durationColumn()).toHaveLength(1);
    await h.dataSource.undoLastMigration();
    expect(await durationColumn()).toEqual([]);
    await h.dataSource.undoLastMigration();
    expect(
      await h.dataSource.query(
        `SELECT column_name FROM information_schema.columns WHERE table_name = 'known_staff' AND column_name IN ('given_name', 'active')`,
      ),
    ).toEqual([]);
    expect(await blockIndex()).toEqual([{ i: 'placement_block' }]);
    await h.dataSource.undoLastMigration();
    expect(await blockIndex()).toEqual([{ i: null }]);
    await h.dataSource.undoLastMigration();
    expect(
      await h.dataSource.query(
        `SELECT column_name FROM information_schema.columns WHERE table_name = 'allocation_run' AND column_name = 'progress_phase'`,
      ),
    ).toEqual([]);
    await h.dataSource.undoLastMigration();
    expect(
      await h.dataSource.query(`SELECT to_regclass('rotation_requirement_group') AS g, to_regclass('rotation_precedence') AS p`),
    ).toEqual([{ g: null, p: null }]);
    await h.dataSource.undoLastMigration();
    expect(
      await h.dataSource.query(
        `SELECT column_name FROM information_schema.columns WHERE table_name = 'known_student' AND column_name = 'given_name'`,
      ),
    ).toEqual([]);
    await h.dataSource.undoLastMigration();
    expect(
      await h.dataSource.query(
        `SELECT column_name FROM information_schema.columns WHERE table_name = 'placement' AND column_name = 'allocation_run_id'`,
      ),
    ).toEqual([]);
    await h.dataSource.undoLastMigration();
    expect(await h.dataSource.query(`SELECT to_regclass('allocation_run') AS t`)).toEqual([{ t: null }]);
    await h.dataSource.runMigrations();
    expect(await durationColumn()).toHaveLength(1);
    expect(await rotationColumn()).toHaveLength(1);
    expect(await h.dataSource.query(`SELECT to_regclass('allocation_run')::text AS t`)).toEqual([{ t: 'allocation_run' }]);
    expect(await h.dataSource.query(`SELECT to_regclass('rotation_precedence')::text AS t`)).toEqual([{ t: 'rotation_precedence' }]);
    expect(await blockIndex()).toEqual([{ i: 'placement_block' }]);
    expect(await departmentIndex()).toEqual([{ i: 'placement_department' }]);
    expect(await scopeIndexes()).toEqual([{ s: 'placement_block_school', h: 'placement_block_hospital' }]);
    expect(
      await h.dataSource.query(
        `SELECT column_name FROM information_schema.columns WHERE table_name = 'placement' AND column_name = 'allocation_run_id'`,
      ),
    ).toHaveLength(1);
  });
});
