import { randomUUID } from 'node:crypto';
import { processNextAllocationRun } from '../src/allocation/processor';
import { asStudent } from './support/actors';
import {
  activateAgreement,
  buildWorld,
  createBlock,
  enrol,
  M,
  propose,
  registerStudent,
  setSeats,
  step,
  type StudentRef,
  type World,
  YEAR,
} from './support/fixtures';
import { codes, ok, refusalOf, type RotationsHarness, startRotations } from './support/harness';

/**
 * ADR 0035: the parts of a rotation longer than one block keep a correct link when one is
 * cancelled, swapped or moved, and when a later run supersedes the one that published them.
 */
let h: RotationsHarness;
beforeAll(async () => {
  h = await startRotations();
}, 240_000);
afterAll(() => h.stop());

const START = `mutation($input: StartAllocationRunInput!) { startAllocationRun(input: $input) { id } }`;
const PUBLISH = `mutation($id: ID!, $s: Boolean) { publishAllocationRun(runId: $id, variation: OPTIMAL, supersede: $s) { id publishedVariation } }`;
const SET = `mutation($input: SetRotationRequirementInput!) { setRotationRequirement(input: $input) { id } }`;
const REQUEST = `mutation($input: RequestSwapInput!) { requestSwap(input: $input) { id status } }`;
const RESPOND = `mutation($id: ID!) { respondToSwap(input: { id: $id, accept: true }) { status } }`;
const DECIDE = `mutation($id: ID!) { decideSwap(input: { id: $id, approve: true, note: "ok" }) { status } }`;
const NAME = "SURGERY at General Surgery (St Mary's)";

interface LinkRow {
  id: string;
  block: string;
  department: string;
  status: string;
  rotationId: string | null;
  part: number | null;
  parts: number | null;
  name: string | null;
  startsOn: string | null;
  endsOn: string | null;
}
const links = async (studentId: string): Promise<LinkRow[]> =>
  (await h.dataSource.query(
    `SELECT p.id, b.name AS block, p.department_id AS department, p.status, p.rotation_id AS "rotationId", p.rotation_part AS part,
            p.rotation_parts AS parts, p.rotation_name AS name, p.rotation_starts_on::text AS "startsOn", p.rotation_ends_on::text AS "endsOn"
       FROM placement p JOIN rotation_block b ON b.id = p.block_id WHERE p.student_id = $1 ORDER BY b.starts_on, p.status`,
    [studentId],
  )) as LinkRow[];
const eventsOf = async (placementId: string, type: string) =>
  (
    (await h.dataSource.query(`SELECT payload FROM outbox WHERE aggregate_id = $1 AND event_type = $2 ORDER BY position`, [
      placementId,
      type,
    ])) as { payload: { rotation?: Record<string, unknown> } }[]
  ).map((e) => e.payload.rotation ?? null);

interface Year {
  w: World;
  ada: StudentRef;
  programId: string;
  surgery: string;
  surgery2: string;
  medicine: string;
  blocks: string[];
}

/**
 * Three consecutive four-week blocks; General Surgery (one seat in blocks 1 and 2), a second
 * surgery department (blocks 1 and 2) that only run B of the supersede test needs, Medicine (every
 * block). Ada's program asks for 2 blocks of surgery in one 2-block rotation.
 */
async function year(): Promise<Year> {
  const w = await buildWorld(h);
  const [surgery, surgery2, medicine] = [randomUUID(), randomUUID(), randomUUID()];
  await activateAgreement(h, {
    schoolId: w.schoolA,
    hospitalId: w.hospitalH,
    departmentIds: [surgery, surgery2, medicine],
    startsOn: '2026-01-01',
    endsOn: '2027-12-31',
    departmentSpecialties: [
      { departmentId: surgery, specialty: 'SURGERY' },
      { departmentId: surgery2, specialty: 'SURGERY' },
      { departmentId: medicine, specialty: 'INTERNAL_MEDICINE' },
    ],
    departmentNames: [
      { departmentId: surgery, name: 'General Surgery' },
      { departmentId: surgery2, name: 'Surgery Two' },
      { departmentId: medicine, name: 'Medicine' },
    ],
    hospitalName: "St Mary's",
  });
  const blocks: string[] = [];
  for (const [name, startsOn, endsOn] of [
    ['Block 1', '2026-09-07', '2026-10-04'],
    ['Block 2', '2026-10-05', '2026-11-01'],
    ['Block 3', '2026-11-02', '2026-11-29'],
  ] as const)
    blocks.push((await createBlock(h, w.coordinatorA, { schoolId: w.schoolA, name, startsOn, endsOn })).id);
  for (const b of blocks.slice(0, 2))
    await setSeats(h, w.coordinatorH, { departmentId: surgery, blockId: b, schoolId: w.schoolA, seats: 1 });
  for (const b of blocks) await setSeats(h, w.coordinatorH, { departmentId: medicine, blockId: b, schoolId: w.schoolA, seats: 2 });
  const programId = randomUUID();
  ok(await h.call(w.coordinatorA, SET, { input: { schoolId: w.schoolA, programId, specialty: 'SURGERY', blocks: 2, durationBlocks: 2 } }));
  const ada = await registerStudent(h, w.schoolA, { givenName: 'Ada', familyName: 'Lovelace' });
  await enrol(h, ada, programId);
  return { w, ada, programId, surgery, surgery2, medicine, blocks };
}

/** Starts an OPTIMAL run over the school's year (its snapshot is taken now) and solves it. */
async function solvedRun(y: Year): Promise<string> {
  const { startAllocationRun } = ok(
    await h.call(y.w.coordinatorA, START, { input: { schoolId: y.w.schoolA, academicYear: YEAR, mechanism: 'OPTIMAL' } }),
  );
  while (await processNextAllocationRun(h.dataSource));
  const [run] = (await h.dataSource.query(`SELECT status FROM allocation_run WHERE id = $1`, [startAllocationRun.id])) as {
    status: string;
  }[];
  expect(run!.status).toBe('SUCCEEDED');
  return startAllocationRun.id as string;
}

/** Ada's published 2-block surgery: its two parts, in calendar order. */
async function publishedRotation(y: Year): Promise<[LinkRow, LinkRow]> {
  const run = await solvedRun(y);
  ok(await h.call(y.w.coordinatorA, PUBLISH, { id: run }));
  const parts = (await links(y.ada.id)).filter((p) => p.department === y.surgery);
  expect(parts.map(({ block, part, parts: n, name }) => ({ block, part, parts: n, name }))).toEqual([
    { block: 'Block 1', part: 1, parts: 2, name: `${NAME}, Block 1 – Block 2` },
    { block: 'Block 2', part: 2, parts: 2, name: `${NAME}, Block 1 – Block 2` },
  ]);
  return parts as [LinkRow, LinkRow];
}

const cancel = (y: Year, id: string, reason = 'student unwell') => h.call(y.w.coordinatorA, M.cancelPlacement, { input: { id, reason } });

describe('cancelling a part of a rotation', () => {
  it('the last part cancelled after the first completed: the first is the whole (shorter) rotation and its completion is announced again', async () => {
    const y = await year();
    const [first, last] = await publishedRotation(y);
    for (const p of [first, last]) expect(await step(h, y.w.coordinatorA, 'confirmPlacement', p.id)).toBe('CONFIRMED');
    await step(h, y.w.coordinatorH, 'startPlacement', first.id);
    await step(h, y.w.coordinatorH, 'completePlacement', first.id);
    await step(h, y.w.coordinatorH, 'startPlacement', last.id);
    // Completed as part 1 of 2: assessment gave it no tasks (ADR 0027 §9).
    expect((await eventsOf(first.id, 'PlacementCompleted')).map((r) => r && r.parts)).toEqual([2]);

    // Another school's coordinator and the hospital's cannot cancel it; nothing is relinked.
    for (const actor of [y.w.coordinatorB, y.w.coordinatorH])
      expect(codes(await h.call(actor, M.cancelPlacement, { input: { id: last.id, reason: 'x' } }))).toEqual(['FORBIDDEN']);
    expect((await links(y.ada.id)).find((p) => p.id === first.id)).toMatchObject({ part: 1, parts: 2 });
    expect(ok(await cancel(y, last.id)).cancelPlacement.status).toBe('CANCELLED');
    const after = (await links(y.ada.id)).filter((p) => p.department === y.surgery);
    // The cancelled part keeps the link it had: what the rotation was when it was cancelled.
    expect(after.find((p) => p.id === last.id)).toMatchObject({
      status: 'CANCELLED',
      rotationId: first.rotationId,
      part: 2,
      parts: 2,
      name: `${NAME}, Block 1 – Block 2`,
    });
    // The part left is the rotation now: part 1 of 1, named and dated for Block 1 only.
    const shorter = { part: 1, parts: 1, name: `${NAME}, Block 1`, startsOn: '2026-09-07', endsOn: '2026-10-04' };
    expect(after.find((p) => p.id === first.id)).toMatchObject({ status: 'COMPLETED', rotationId: first.rotationId, ...shorter });
    expect(await eventsOf(last.id, 'PlacementCancelled')).toEqual([
      expect.objectContaining({ rotationId: first.rotationId, part: 2, parts: 2 }),
    ]);
    // Its completion goes out again as the last part: assessment now assesses what was done.
    expect(await eventsOf(first.id, 'PlacementCompleted')).toEqual([
      expect.objectContaining({ part: 1, parts: 2 }),
      { rotationId: first.rotationId, ...shorter },
    ]);
  });

  it('the first part cancelled before anything started: the second is the rotation, and nothing is announced for it', async () => {
    const y = await year();
    const [first, last] = await publishedRotation(y);
    ok(await cancel(y, first.id));
    const after = await links(y.ada.id);
    expect(after.find((p) => p.id === last.id)).toMatchObject({
      status: 'PROPOSED',
      rotationId: last.rotationId,
      part: 1,
      parts: 1,
      name: `${NAME}, Block 2`,
      startsOn: '2026-10-05',
      endsOn: '2026-11-01',
    });
    expect(await eventsOf(last.id, 'PlacementCompleted')).toEqual([]);
    // A lone part moved to another department is no longer that rotation: an ordinary placement.
    const { requestSwap } = ok(await h.call(y.w.coordinatorA, REQUEST, { input: { placementId: last.id, toDepartmentId: y.medicine } }));
    expect(ok(await h.call(y.w.coordinatorA, DECIDE, { id: requestSwap.id })).decideSwap.status).toBe('APPROVED');
    expect((await links(y.ada.id)).find((p) => p.id === last.id)).toMatchObject({
      department: y.medicine,
      rotationId: null,
      part: null,
      name: null,
    });
  });
});

describe('moving or swapping a part of a rotation', () => {
  it('refuses a move to another department while other parts remain, naming the rotation', async () => {
    const y = await year();
    const [first, last] = await publishedRotation(y);
    const move = { input: { placementId: first.id, toDepartmentId: y.medicine } };
    // Another school's coordinator and the hospital's are refused before any rotation rule is looked at.
    expect(codes(await h.call(y.w.coordinatorB, REQUEST, move))).toEqual(['FORBIDDEN']);
    expect(codes(await h.call(y.w.coordinatorH, REQUEST, move))).toEqual(['FORBIDDEN']);
    const refused = await h.call(y.w.coordinatorA, REQUEST, move);
    expect(refusalOf(refused)).toBe('CONFLICT/ROTATION_WOULD_SPLIT');
    expect(refused.errors?.[0]?.message).toBe(
      `${NAME}, Block 1 – Block 2: its parts would no longer all be at one department; change the rotation's parts together, or cancel the part that cannot be kept`,
    );
    expect(refused.errors?.[0]?.extensions).toMatchObject({ rotationId: first.rotationId, placementId: first.id, problem: 'DEPARTMENTS' });
    // A confirmed part is refused alike.
    await step(h, y.w.coordinatorA, 'confirmPlacement', last.id);
    expect(refusalOf(await h.call(y.w.coordinatorA, REQUEST, { input: { placementId: last.id, toDepartmentId: y.medicine } }))).toBe(
      'CONFLICT/ROTATION_WOULD_SPLIT',
    );
    expect((await links(y.ada.id)).filter((p) => p.rotationId).map((p) => p.part)).toEqual([1, 2]);
  });

  it('lets an exchange keep the rotation consecutive at its department, renumbering it; refuses one that would leave a hole', async () => {
    const y = await year();
    const [first, last] = await publishedRotation(y);
    await setSeats(h, y.w.coordinatorH, { departmentId: y.surgery, blockId: y.blocks[2]!, schoolId: y.w.schoolA, seats: 1 });
    const ben = await registerStudent(h, y.w.schoolA, { givenName: 'Ben', familyName: 'Okri' });
    const bens = await propose(h, y.w.coordinatorA, { studentId: ben.id, departmentId: y.surgery, blockId: y.blocks[2]! });

    // Ada's Block 2 for Ben's Block 3: she would have Block 1 and Block 3, not consecutive.
    const hole = await h.call(y.w.coordinatorA, REQUEST, { input: { placementId: last.id, withPlacementId: bens.id } });
    expect(refusalOf(hole)).toBe('CONFLICT/ROTATION_WOULD_SPLIT');
    expect(hole.errors?.[0]?.message).toMatch(/its parts would no longer be in blocks that follow each other/);

    // Ada's Block 1 for Ben's Block 3: Block 2 and Block 3 still follow each other at General Surgery.
    const { requestSwap } = ok(await h.call(y.w.coordinatorA, REQUEST, { input: { placementId: first.id, withPlacementId: bens.id } }));
    expect(codes(await h.call(y.w.coordinatorB, DECIDE, { id: requestSwap.id }))).toEqual(['FORBIDDEN']);
    ok(await h.call(asStudent(ben), RESPOND, { id: requestSwap.id }));
    expect(ok(await h.call(y.w.coordinatorA, DECIDE, { id: requestSwap.id })).decideSwap.status).toBe('APPROVED');
    const after = (await links(y.ada.id)).filter((p) => p.department === y.surgery);
    const span = {
      rotationId: first.rotationId,
      parts: 2,
      name: `${NAME}, Block 2 – Block 3`,
      startsOn: '2026-10-05',
      endsOn: '2026-11-29',
    };
    expect(
      after.map(({ id, block, part, rotationId, parts, name, startsOn, endsOn }) => ({
        id,
        block,
        part,
        rotationId,
        parts,
        name,
        startsOn,
        endsOn,
      })),
    ).toEqual([
      { id: last.id, block: 'Block 2', part: 1, ...span },
      { id: first.id, block: 'Block 3', part: 2, ...span },
    ]);
    // Ben's placement took Ada's Block 1 and is linked to nothing.
    expect(await links(ben.id)).toEqual([expect.objectContaining({ id: bens.id, block: 'Block 1', rotationId: null })]);
  });
});

describe('a run superseded over a published rotation', () => {
  it("clears the earlier run's link from a placement the new run keeps, and leaves the cancelled part's link as it was", async () => {
    const y = await year();
    // Run A is solved with the 2-block rotation; then the program asks for two 1-block surgeries
    // (no department twice), and run B is solved on that. A is published first, B supersedes it.
    const runA = await solvedRun(y);
    ok(
      await h.call(y.w.coordinatorA, SET, {
        input: { schoolId: y.w.schoolA, programId: y.programId, specialty: 'SURGERY', blocks: 2, durationBlocks: 1 },
      }),
    );
    // Run B sees General Surgery in Block 1 only and Surgery Two in Block 2 only.
    const seats = (departmentId: string, i: number, n: number) =>
      setSeats(h, y.w.coordinatorH, { departmentId, blockId: y.blocks[i]!, schoolId: y.w.schoolA, seats: n });
    await seats(y.surgery, 1, 0);
    await seats(y.surgery2, 1, 1);
    const runB = await solvedRun(y);
    await seats(y.surgery, 1, 1);
    ok(await h.call(y.w.coordinatorA, PUBLISH, { id: runA }));
    const before = (await links(y.ada.id)).filter((p) => p.rotationId);
    expect(before).toHaveLength(2);

    expect(refusalOf(await h.call(y.w.coordinatorA, PUBLISH, { id: runB }))).toBe('CONFLICT/BLOCKS_ALREADY_PUBLISHED');
    expect(ok(await h.call(y.w.coordinatorA, PUBLISH, { id: runB, s: true })).publishAllocationRun.publishedVariation).toBe('OPTIMAL');
    const after = await links(y.ada.id);
    const live = after.filter((p) => p.status !== 'CANCELLED');
    // Run B has Ada at General Surgery in Block 1 and Surgery Two in Block 2; the part of A it keeps is the same row, unlinked.
    expect(live.map((p) => [p.block, p.department])).toEqual([
      ['Block 1', y.surgery],
      ['Block 2', y.surgery2],
    ]);
    const kept = live.filter((p) => before.some((b) => b.id === p.id));
    expect(kept).toHaveLength(1);
    expect(kept[0]).toMatchObject({ rotationId: null, part: null, parts: null, name: null, startsOn: null, endsOn: null });
    expect(live.every((p) => p.rotationId === null)).toBe(true);
    // The part B does not keep is cancelled as superseded and keeps the link it had then.
    const dropped = after.find((p) => p.status === 'CANCELLED')!;
    expect(before.find((b) => b.id === dropped.id)).toMatchObject({ rotationId: dropped.rotationId, part: dropped.part, parts: 2 });
    const [row] = (await h.dataSource.query(`SELECT allocation_run_id AS run FROM placement WHERE id = $1`, [kept[0]!.id])) as {
      run: string;
    }[];
    expect(row!.run).toBe(runB);
  });
});
