import { claimAllocationRun, executeAllocationRun, processNextAllocationRun } from '../src/allocation/processor';
import { asStudent } from './support/actors';
import { randomUUID } from 'node:crypto';
import {
  activateAgreement,
  buildWorld,
  completeModule,
  createBlock,
  enrol,
  registerStudent,
  setSeats,
  type StudentRef,
  type World,
  YEAR,
} from './support/fixtures';
import { codes, ok, refusalOf, type RotationsHarness, startRotations } from './support/harness';

const START = `mutation($input: StartAllocationRunInput!) { startAllocationRun(input: $input) { id status mechanism seed inputHash progress blocks { id } } }`;
const CANCEL = `mutation($id: ID!) { cancelAllocationRun(id: $id) { id status } }`;
const PUBLISH = `mutation($id: ID!, $v: AllocationMechanism!) { publishAllocationRun(runId: $id, variation: $v) { id publishedVariation } }`;
const RUN = `query($id: ID!) { allocationRun(id: $id) { id status progress inputHash error infeasibility { reasons { kind message } }
  metrics { students assignments firstChoiceShare worstRank unfilledSeats optimalityGap timeLimitReached rankDistribution { rank count } bySchool { school { id } unplaced } byHospital { hospital { id } seats filled } }
  variations { mechanism status seed metrics { assignments worstRank optimalityGap } reasons { kind }
    assignments(first: 100) { totalCount edges { node { student { id } department { id } block { id } rank explanation } } } } } }`;
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
  students = [await registerStudent(h, w.schoolA), await registerStudent(h, w.schoolA), await registerStudent(h, w.schoolA)];
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
      unfilledSeats: 2,
      bySchool: [{ school: { id: w.schoolA }, unplaced: 0 }],
    });
    expect(run.variations.map((v: VariationOut) => v.mechanism)).toEqual(['OPTIMAL', 'LOTTERY']);
    for (const v of run.variations as VariationOut[]) {
      expect(v.assignments.totalCount).toBe(6);
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
    for (const block of blocks) {
      expect(at(barred, block)).toBe(w.d2);
      expect(at(pinned, block)).toBe(at(partner, block));
    }
    expect(at(pinned, blocks[0]!)).toBe(w.d1);

    const pinWithoutBlock = await h.call(w.coordinatorA, START, { input: { ...input, exemptions: [{ ...exemptions[1], blockId: null }] } });
    expect(codes(pinWithoutBlock)).toEqual(['BAD_USER_INPUT']);
    const stranger = await h.call(w.coordinatorA, START, {
      input: { ...input, exemptions: [{ ...exemptions[0], studentId: randomUUID() }] },
    });
    expect(stranger.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'exemptions.0.studentId' });
  });

  it('publishes a variation as proposals all or nothing, once', async () => {
    // A conflicting state: the first block's seats at d1 are withdrawn after the run.
    await setSeats(h, w.coordinatorH, { departmentId: w.d1, blockId: blocks[0]!, schoolId: w.schoolA, seats: 0 });
    const refused = await h.call(w.coordinatorA, PUBLISH, { id: second.id, v: 'OPTIMAL' });
    expect(refusalOf(refused)).toBe('CONFLICT/OVER_CAPACITY');
    expect(refused.errors?.[0]?.extensions?.studentId).toEqual(expect.any(String));
    expect(await placementCount()).toBe(0);
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

    expect(refusalOf(await h.call(w.coordinatorA, PUBLISH, { id: first.id, v: 'LOTTERY' }))).toBe('CONFLICT/ALREADY_PUBLISHED');
    expect(await placementCount()).toBe(6);
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

  it('has a reversible migration', async () => {
    await h.dataSource.undoLastMigration();
    expect(await h.dataSource.query(`SELECT to_regclass('allocation_run') AS t`)).toEqual([{ t: null }]);
    await h.dataSource.runMigrations();
    expect(await h.dataSource.query(`SELECT to_regclass('allocation_run')::text AS t`)).toEqual([{ t: 'allocation_run' }]);
  });
});
