import { asStudent, staffOf } from './support/actors';
import {
  buildWorld,
  createBlock,
  propose,
  type Ref,
  registerStudent,
  setSeats,
  step,
  type StudentRef,
  nameSpecialty,
  type World,
} from './support/fixtures';
import { codes, ok, refusalOf, type RotationsHarness, startRotations } from './support/harness';

const REQUEST = `mutation($input: RequestSwapInput!) { requestSwap(input: $input) { id status requestedBy placement { id } withPlacement { id } offeredDepartment { id } offeredBlock { id } toDepartment { id } } }`;
const RESPOND = `mutation($id: ID!, $accept: Boolean!) { respondToSwap(input: { id: $id, accept: $accept }) { id status respondedBy respondedAt } }`;
const DECIDE = `mutation($id: ID!, $approve: Boolean!) { decideSwap(input: { id: $id, approve: $approve, note: "ok" }) { id status decidedBy decidedAt decisionNote } }`;
const PLACEMENT = `query($id: ID!) { placement(id: $id) { status department { id } block { id } startsOn supervisor { id } } }`;

let h: RotationsHarness;
let w: World;
let autumn: Ref;
let winter: Ref;

beforeAll(async () => {
  h = await startRotations();
  w = await buildWorld(h);
  autumn = await createBlock(h, w.coordinatorA, { schoolId: w.schoolA, name: 'Autumn', startsOn: '2026-09-07', endsOn: '2026-10-30' });
  winter = await createBlock(h, w.coordinatorA, { schoolId: w.schoolA, name: 'Winter', startsOn: '2027-01-04', endsOn: '2027-02-26' });
  for (const blockId of [autumn.id, winter.id]) {
    await setSeats(h, w.coordinatorH, { departmentId: w.d1, blockId, schoolId: w.schoolA, seats: 5 });
    await setSeats(h, w.coordinatorH, { departmentId: w.d2, blockId, schoolId: w.schoolA, seats: 5 });
  }
});
afterAll(() => h.stop());

async function placed(
  departmentId: string,
  blockId: string,
  confirm = false,
  supervisorId?: string,
): Promise<{ student: StudentRef; placement: Ref }> {
  const student = await registerStudent(h, w.schoolA);
  const placement = await propose(h, w.coordinatorA, { studentId: student.id, departmentId, blockId, supervisorId });
  if (confirm) await step(h, w.coordinatorA, 'confirmPlacement', placement.id);
  return { student, placement };
}

describe('exchanging two placements', () => {
  it('goes student request -> other student accepts -> coordinator approves; the sites move, with events and an audit trail', async () => {
    const a = await placed(w.d1, autumn.id, true, w.ciD1.id);
    const b = await placed(w.d2, winter.id);
    const { requestSwap } = ok(
      await h.call(asStudent(a.student), REQUEST, {
        input: { placementId: a.placement.id, withPlacementId: b.placement.id, note: 'Closer to home' },
      }),
    );
    // The asking student sees their own placement, not the other student's; the offer is visible.
    expect(requestSwap).toMatchObject({
      status: 'AWAITING_PEER',
      requestedBy: a.student.id,
      placement: { id: a.placement.id },
      withPlacement: null,
      offeredDepartment: { id: w.d1 },
      offeredBlock: { id: autumn.id },
    });

    expect(codes(await h.call(asStudent(a.student), RESPOND, { id: requestSwap.id, accept: true }))).toEqual(['FORBIDDEN']);
    expect(codes(await h.call(w.coordinatorA, DECIDE, { id: requestSwap.id, approve: true }))).toEqual(['CONFLICT']);
    const { respondToSwap } = ok(await h.call(asStudent(b.student), RESPOND, { id: requestSwap.id, accept: true }));
    expect(respondToSwap).toMatchObject({ status: 'AWAITING_COORDINATOR', respondedBy: b.student.id });

    expect(codes(await h.call(w.coordinatorB, DECIDE, { id: requestSwap.id, approve: true }))).toEqual(['FORBIDDEN']);
    const { decideSwap } = ok(await h.call(w.coordinatorA, DECIDE, { id: requestSwap.id, approve: true }));
    expect(decideSwap).toMatchObject({ status: 'APPROVED', decidedBy: w.coordinatorA.personId, decisionNote: 'ok' });

    // Each keeps its student and status and takes the other's site (supervisor included).
    expect(ok(await h.call(w.coordinatorA, PLACEMENT, { id: a.placement.id })).placement).toEqual({
      status: 'CONFIRMED',
      department: { id: w.d2 },
      block: { id: winter.id },
      startsOn: '2027-01-04',
      supervisor: null,
    });
    expect(ok(await h.call(w.coordinatorA, PLACEMENT, { id: b.placement.id })).placement).toMatchObject({
      status: 'PROPOSED',
      department: { id: w.d1 },
      supervisor: { id: w.ciD1.id },
    });
    const events = await h.dataSource.query(`SELECT event_type, payload FROM outbox WHERE aggregate_id = $1 ORDER BY sequence`, [
      a.placement.id,
    ]);
    expect(events.map((e: { event_type: string }) => e.event_type)).toEqual(['PlacementConfirmed', 'PlacementConfirmed']);
    expect(events[1].payload).toMatchObject({ departmentId: w.d2, blockId: winter.id, startsOn: '2027-01-04' });
    // Every step of the request went out for notifications (who the swap waits for is reminded).
    const swapEvents = (await h.dataSource.query(
      `SELECT o.event_type, o.payload, array(SELECT d.consumer FROM outbox_delivery d WHERE d.event_id = o.id) AS consumers
         FROM outbox o WHERE o.aggregate_type = 'SwapRequest' AND o.aggregate_id = $1 ORDER BY o.sequence`,
      [requestSwap.id],
    )) as { event_type: string; payload: Record<string, unknown>; consumers: string[] }[];
    expect(swapEvents.map((e) => e.payload.status)).toEqual(['AWAITING_PEER', 'AWAITING_COORDINATOR', 'APPROVED']);
    expect(swapEvents.every((e) => e.event_type === 'SwapRequestChanged' && e.consumers.includes('notifications'))).toBe(true);
    expect(swapEvents[0]!.payload).toMatchObject({
      studentId: a.student.id,
      withStudentId: b.student.id,
      departmentId: w.d1,
      withDepartmentId: w.d2,
    });
    const audit = await h.dataSource.query(
      `SELECT kind, actor_id, details FROM placement_event WHERE placement_id = $1 AND kind = 'SWAPPED'`,
      [b.placement.id],
    );
    expect(audit).toEqual([
      {
        kind: 'SWAPPED',
        actor_id: w.coordinatorA.personId,
        details: expect.objectContaining({ swapRequestId: requestSwap.id, to: { departmentId: w.d1, blockId: autumn.id } }),
      },
    ]);
  });

  it('ends DECLINED when the other student says no; nothing moves and the decision is refused', async () => {
    const a = await placed(w.d1, autumn.id);
    const b = await placed(w.d2, autumn.id);
    const { requestSwap } = ok(
      await h.call(w.coordinatorA, REQUEST, { input: { placementId: a.placement.id, withPlacementId: b.placement.id } }),
    );
    expect(ok(await h.call(asStudent(b.student), RESPOND, { id: requestSwap.id, accept: false })).respondToSwap.status).toBe('DECLINED');
    expect(refusalOf(await h.call(w.coordinatorA, DECIDE, { id: requestSwap.id, approve: true }))).toBe('CONFLICT/INVALID_TRANSITION');
    expect(ok(await h.call(w.coordinatorA, PLACEMENT, { id: a.placement.id })).placement.department).toEqual({ id: w.d1 });
  });

  it('refuses SWAP_PENDING, SWAP_NOT_ALLOWED, INVALID_TRANSITION and ALREADY_PLACED_IN_BLOCK at request time', async () => {
    const a = await placed(w.d1, autumn.id);
    const b = await placed(w.d2, autumn.id);
    ok(await h.call(asStudent(a.student), REQUEST, { input: { placementId: a.placement.id, withPlacementId: b.placement.id } }));
    expect(refusalOf(await h.call(asStudent(b.student), REQUEST, { input: { placementId: b.placement.id, toDepartmentId: w.d1 } }))).toBe(
      'CONFLICT/SWAP_PENDING',
    );

    const c = await placed(w.d1, winter.id);
    expect(
      refusalOf(await h.call(asStudent(c.student), REQUEST, { input: { placementId: c.placement.id, withPlacementId: c.placement.id } })),
    ).toBe('BAD_USER_INPUT/SWAP_NOT_ALLOWED');
    expect(refusalOf(await h.call(asStudent(c.student), REQUEST, { input: { placementId: c.placement.id, toDepartmentId: w.d1 } }))).toBe(
      'BAD_USER_INPUT/SWAP_NOT_ALLOWED',
    );

    const started = await placed(w.d2, winter.id, true);
    await step(h, w.coordinatorH, 'startPlacement', started.placement.id);
    expect(
      refusalOf(
        await h.call(asStudent(c.student), REQUEST, { input: { placementId: c.placement.id, withPlacementId: started.placement.id } }),
      ),
    ).toBe('CONFLICT/INVALID_TRANSITION');

    // d's student already has a winter placement: taking c's winter site would double-book them.
    const d = await placed(w.d2, autumn.id);
    await propose(h, w.coordinatorA, { studentId: d.student.id, departmentId: w.d2, blockId: winter.id });
    expect(
      refusalOf(await h.call(asStudent(d.student), REQUEST, { input: { placementId: d.placement.id, withPlacementId: c.placement.id } })),
    ).toBe('CONFLICT/ALREADY_PLACED_IN_BLOCK');
    expect(codes(await h.call(asStudent(c.student), REQUEST, { input: { placementId: d.placement.id, toDepartmentId: w.d1 } }))).toEqual([
      'FORBIDDEN',
    ]);
    expect(codes(await h.call(asStudent(c.student), REQUEST, { input: { placementId: c.placement.id } }))).toEqual(['BAD_USER_INPUT']);
  });
});

describe('moving a placement to another department', () => {
  it('goes straight to the coordinator, and re-checks seats when approved (OVER_CAPACITY if they went meanwhile)', async () => {
    const block = await createBlock(h, w.coordinatorA, {
      schoolId: w.schoolA,
      name: 'Spring',
      startsOn: '2027-03-01',
      endsOn: '2027-04-23',
    });
    await setSeats(h, w.coordinatorH, { departmentId: w.d1, blockId: block.id, schoolId: w.schoolA, seats: 2 });
    await setSeats(h, w.coordinatorH, { departmentId: w.d2, blockId: block.id, schoolId: w.schoolA, seats: 1 });
    const a = await placed(w.d1, block.id, true);
    const { requestSwap } = ok(
      await h.call(asStudent(a.student), REQUEST, { input: { placementId: a.placement.id, toDepartmentId: w.d2 } }),
    );
    expect(requestSwap).toMatchObject({ status: 'AWAITING_COORDINATOR', toDepartment: { id: w.d2 } });

    // The only d2 seat is taken before the coordinator decides.
    await placed(w.d2, block.id);
    expect(refusalOf(await h.call(w.coordinatorA, DECIDE, { id: requestSwap.id, approve: true }))).toBe('CONFLICT/OVER_CAPACITY');
    expect(
      ok(await h.call(w.coordinatorA, `query($id: ID!) { swapRequest(id: $id) { status } }`, { id: requestSwap.id })).swapRequest.status,
    ).toBe('AWAITING_COORDINATOR');

    await setSeats(h, w.coordinatorH, { departmentId: w.d2, blockId: block.id, schoolId: w.schoolA, seats: 2 });
    expect(ok(await h.call(w.coordinatorA, DECIDE, { id: requestSwap.id, approve: true })).decideSwap.status).toBe('APPROVED');
    expect(ok(await h.call(w.coordinatorA, PLACEMENT, { id: a.placement.id })).placement).toMatchObject({
      status: 'CONFIRMED',
      department: { id: w.d2 },
    });
  });

  it('refuses a move to a department no agreement covers, and lists swaps for the coordinator only', async () => {
    const a = await placed(w.d1, winter.id);
    expect(refusalOf(await h.call(asStudent(a.student), REQUEST, { input: { placementId: a.placement.id, toDepartmentId: w.d3 } }))).toBe(
      'CONFLICT/NO_AGREEMENT',
    );
    const list = ok(
      await h.call(w.coordinatorA, `query($s: ID!) { swapRequests(schoolId: $s, status: APPROVED) { id status } }`, { s: w.schoolA }),
    );
    expect(list.swapRequests.length).toBe(2);
    expect(
      codes(await h.call(staffOf(w.schoolA, 'TEACHER'), `query($s: ID!) { swapRequests(schoolId: $s) { id } }`, { s: w.schoolA })),
    ).toEqual(['FORBIDDEN']);
  });
});

describe('swap events name the specialty', () => {
  it("carries the specialty of the placement's department, after an approval its new one, for quality's swaps per specialty (ADR 0047)", async () => {
    // The network names d2's specialty (d1 has none).
    await nameSpecialty(h, w, w.d2, 'PEDIATRICS');
    const a = await placed(w.d1, autumn.id, true);
    const b = await placed(w.d2, winter.id);
    const { requestSwap } = ok(
      await h.call(asStudent(a.student), REQUEST, { input: { placementId: a.placement.id, withPlacementId: b.placement.id } }),
    );
    ok(await h.call(asStudent(b.student), RESPOND, { id: requestSwap.id, accept: true }));
    ok(await h.call(w.coordinatorA, DECIDE, { id: requestSwap.id, approve: true }));
    const events = (await h.dataSource.query(
      `SELECT payload FROM outbox WHERE aggregate_type = 'SwapRequest' AND aggregate_id = $1 ORDER BY sequence`,
      [requestSwap.id],
    )) as { payload: Record<string, unknown> }[];
    expect(events.map((e) => [e.payload.status, e.payload.departmentId, e.payload.specialty])).toEqual([
      ['AWAITING_PEER', w.d1, undefined],
      ['AWAITING_COORDINATOR', w.d1, undefined],
      ['APPROVED', w.d2, 'PEDIATRICS'],
    ]);
  });
});
