import { networkAdmin, staffOf } from './support/actors';
import { buildWorld, createBlock, M, propose, type Ref, registerStudent, setSeats, step, type World } from './support/fixtures';
import { codes, ok, refusalOf, type RotationsHarness, startRotations } from './support/harness';

let h: RotationsHarness;
let w: World;
let block: Ref;
let earlyBlock: Ref;
beforeAll(async () => {
  h = await startRotations();
  w = await buildWorld(h);
  block = await createBlock(h, w.coordinatorA, { schoolId: w.schoolA, name: 'Autumn', startsOn: '2026-09-07', endsOn: '2026-10-30' });
  earlyBlock = await createBlock(h, w.coordinatorA, {
    schoolId: w.schoolA,
    academicYear: '2025-2026',
    name: 'Spring',
    startsOn: '2026-05-04',
    endsOn: '2026-06-26',
  });
});
afterAll(() => h.stop());

const seats = (departmentId: string, seatCount: number, blockId = block.id, schoolId = w.schoolA) => ({
  input: { departmentId, blockId, schoolId, seats: seatCount },
});

describe('site capacity', () => {
  it("lets the hospital's coordinator offer seats under an active agreement, and change them", async () => {
    const first = await setSeats(h, w.coordinatorH, { departmentId: w.d1, blockId: block.id, schoolId: w.schoolA, seats: 3 });
    expect(first).toMatchObject({ seats: 3, heldSeats: 0, committedSeats: 0, availableSeats: 3 });
    const again = await setSeats(h, w.coordinatorH, { departmentId: w.d1, blockId: block.id, schoolId: w.schoolA, seats: 2 });
    expect(again.id).toBe(first.id);
    expect(again.seats).toBe(2);
  });

  it('refuses NO_AGREEMENT for a department no active agreement of the school covers', async () => {
    expect(refusalOf(await h.call(w.coordinatorH, M.setSiteCapacity, seats(w.d3, 2)))).toBe('CONFLICT/NO_AGREEMENT');
    // School B's agreement with H names d1 only; and a block is always one of the named school's.
    const blockB = await createBlock(h, w.coordinatorB, {
      schoolId: w.schoolB,
      name: 'B autumn',
      startsOn: '2026-09-07',
      endsOn: '2026-10-30',
    });
    expect(refusalOf(await h.call(w.coordinatorH, M.setSiteCapacity, seats(w.d2, 2, blockB.id, w.schoolB)))).toBe('CONFLICT/NO_AGREEMENT');
    expect(refusalOf(await h.call(w.coordinatorH, M.setSiteCapacity, seats(w.d1, 2, block.id, w.schoolB)))).toBe(
      'BAD_USER_INPUT/BLOCK_NOT_IN_CALENDAR',
    );
    expect(refusalOf(await h.call(networkAdmin(), M.setSiteCapacity, seats('00000000-0000-4000-8000-000000000001', 2)))).toBe(
      'CONFLICT/NO_AGREEMENT',
    );
  });

  it("refuses AGREEMENT_DOES_NOT_COVER_DATES when the agreement ends before the block's last day", async () => {
    const kCoordinator = staffOf(w.hospitalK, 'COORDINATOR');
    const response = await h.call(kCoordinator, M.setSiteCapacity, seats(w.k1, 2));
    expect(refusalOf(response)).toBe('CONFLICT/AGREEMENT_DOES_NOT_COVER_DATES');
    expect(response.errors?.[0]?.extensions?.agreementRanges).toEqual([{ startsOn: '2026-01-01', endsOn: '2026-06-30' }]);
    expect(ok(await h.call(kCoordinator, M.setSiteCapacity, seats(w.k1, 2, earlyBlock.id))).setSiteCapacity.seats).toBe(2);
  });

  it("lets only the department's hospital planners set seats", async () => {
    expect(codes(await h.call(w.coordinatorA, M.setSiteCapacity, seats(w.d1, 9)))).toEqual(['FORBIDDEN']);
    expect(codes(await h.call(w.ciD1.actor, M.setSiteCapacity, seats(w.d1, 9)))).toEqual(['FORBIDDEN']);
    expect(codes(await h.call(staffOf(w.hospitalK, 'COORDINATOR'), M.setSiteCapacity, seats(w.d1, 9)))).toEqual(['FORBIDDEN']);
    expect(codes(await h.call(w.coordinatorH, M.setSiteCapacity, seats(w.d1, -1)))).toEqual(['BAD_USER_INPUT']);
  });

  it('refuses to lower seats below the confirmed placements (WOULD_STRAND_PLACEMENTS), but not below proposals', async () => {
    await setSeats(h, w.coordinatorH, { departmentId: w.d2, blockId: block.id, schoolId: w.schoolA, seats: 3 });
    const [s1, s2, s3] = await Promise.all([1, 2, 3].map(() => registerStudent(h, w.schoolA)));
    const placements = [];
    for (const s of [s1, s2, s3])
      placements.push(await propose(h, w.coordinatorA, { studentId: s!.id, departmentId: w.d2, blockId: block.id }));
    await step(h, w.coordinatorA, 'confirmPlacement', placements[0]!.id);
    await step(h, w.coordinatorA, 'confirmPlacement', placements[1]!.id);

    const response = await h.call(w.coordinatorH, M.setSiteCapacity, seats(w.d2, 1));
    expect(refusalOf(response)).toBe('CONFLICT/WOULD_STRAND_PLACEMENTS');
    expect(response.errors?.[0]?.extensions).toMatchObject({ seats: 1, committed: 2 });
    // Down to the committed two: the third (a proposal) can no longer be confirmed.
    expect(await setSeats(h, w.coordinatorH, { departmentId: w.d2, blockId: block.id, schoolId: w.schoolA, seats: 2 })).toMatchObject({
      seats: 2,
      heldSeats: 3,
      committedSeats: 2,
      availableSeats: 0,
    });
    expect(refusalOf(await h.call(w.coordinatorA, M.confirmPlacement, { input: { id: placements[2]!.id } }))).toBe(
      'CONFLICT/OVER_CAPACITY',
    );
  });

  it('shows a department’s seats to the hospital (every school) and to each school (its own row only)', async () => {
    await setSeats(h, w.coordinatorH, { departmentId: w.d1, blockId: block.id, schoolId: w.schoolA, seats: 2 });
    const query = `query($reps: [_Any!]!, $block: ID!) { _entities(representations: $reps) { ... on Department { capacity(blockId: $block) { seats school { id } } } } }`;
    const vars = { reps: [{ __typename: 'Department', id: w.d1 }], block: block.id };
    expect(ok(await h.call(w.coordinatorH, query, vars))._entities[0].capacity).toEqual([{ seats: 2, school: { id: w.schoolA } }]);
    expect(ok(await h.call(w.coordinatorA, query, vars))._entities[0].capacity).toEqual([{ seats: 2, school: { id: w.schoolA } }]);
    expect(ok(await h.call(w.coordinatorB, query, vars))._entities[0].capacity).toEqual([]);
  });
});
