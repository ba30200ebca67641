import { randomUUID } from 'node:crypto';
import { StudentStatusChanged } from '@medcollab/events';
import { asStudent, staffOf } from './support/actors';
import {
  buildWorld,
  createBlock,
  emit,
  endAgreement,
  M,
  propose,
  type Ref,
  registerStudent,
  setSeats,
  step,
  type StudentRef,
  type World,
} from './support/fixtures';
import { codes, ok, refusalOf, type RotationsHarness, startRotations } from './support/harness';
import { activateAgreement, nameSpecialty } from './support/fixtures';

let h: RotationsHarness;
let w: World;
let autumn: Ref;
let winter: Ref;
beforeAll(async () => {
  h = await startRotations();
  w = await buildWorld(h);
  autumn = await createBlock(h, w.coordinatorA, { schoolId: w.schoolA, name: 'Autumn', startsOn: '2026-09-07', endsOn: '2026-10-30' });
  winter = await createBlock(h, w.coordinatorA, { schoolId: w.schoolA, name: 'Winter', startsOn: '2027-01-04', endsOn: '2027-02-26' });
  for (const departmentId of [w.d1, w.d2]) {
    for (const blockId of [autumn.id, winter.id])
      await setSeats(h, w.coordinatorH, { departmentId, blockId, schoolId: w.schoolA, seats: 3 });
  }
});
afterAll(() => h.stop());

const outbox = (placementId: string) =>
  h.dataSource.query(`SELECT event_type, payload FROM outbox WHERE aggregate_id = $1 ORDER BY sequence`, [placementId]) as Promise<
    { event_type: string; payload: Record<string, unknown> }[]
  >;

describe('placement lifecycle', () => {
  let student: StudentRef;
  let placement: Ref;

  it('proposes a placement with a supervisor of the department; it holds a seat and emits nothing', async () => {
    student = await registerStudent(h, w.schoolA);
    const { createPlacement } = ok(
      await h.call(w.coordinatorA, M.createPlacement, {
        input: { studentId: student.id, departmentId: w.d1, blockId: autumn.id, supervisorId: w.ciD1.id },
      }),
    );
    placement = createPlacement;
    expect(createPlacement).toMatchObject({
      status: 'PROPOSED',
      startsOn: '2026-09-07',
      endsOn: '2026-10-30',
      student: { id: student.id },
      department: { id: w.d1 },
      hospital: { id: w.hospitalH },
      supervisor: { id: w.ciD1.id },
    });
    expect(await outbox(placement.id)).toEqual([]);
  });

  it('goes PROPOSED -> CONFIRMED -> IN_PROGRESS -> COMPLETED, each step by its party, each with its event', async () => {
    expect(await step(h, w.coordinatorA, 'confirmPlacement', placement.id)).toBe('CONFIRMED');
    expect(await step(h, w.ciD1.actor, 'startPlacement', placement.id)).toBe('IN_PROGRESS');
    const before = Date.now();
    const { completePlacement } = ok(await h.call(w.coordinatorH, M.completePlacement, { input: { id: placement.id } }));
    expect(completePlacement.status).toBe('COMPLETED');
    // The hospital keeps access for GRANT_DAYS_AFTER_COMPLETION (default 30) days.
    const days = (Date.parse(completePlacement.hospitalAccessUntil) - before) / 86_400_000;
    expect(days).toBeGreaterThan(29.9);
    expect(days).toBeLessThan(30.1);

    const events = await outbox(placement.id);
    expect(events.map((e) => e.event_type)).toEqual(['PlacementConfirmed', 'PlacementStarted', 'PlacementCompleted']);
    expect(events[0]!.payload).toMatchObject({
      placementId: placement.id,
      studentId: student.id,
      schoolId: w.schoolA,
      hospitalId: w.hospitalH,
      departmentId: w.d1,
      blockId: autumn.id,
      blockName: 'Autumn',
      supervisorId: w.ciD1.id,
      startsOn: '2026-09-07',
      endsOn: '2026-10-30',
      accessUntil: null,
    });
    expect(events[2]!.payload.accessUntil).toBe(completePlacement.hospitalAccessUntil);
    const audit = await h.dataSource.query(
      `SELECT kind, from_status, to_status, actor_id FROM placement_event WHERE placement_id = $1 ORDER BY id`,
      [placement.id],
    );
    expect(audit.map((a: { kind: string }) => a.kind)).toEqual(['CREATED', 'CONFIRMED', 'STARTED', 'COMPLETED']);
    expect(audit[2]).toMatchObject({ from_status: 'CONFIRMED', to_status: 'IN_PROGRESS', actor_id: w.ciD1.id });
  });

  it('refuses INVALID_TRANSITION from a final state or out of order', async () => {
    expect(refusalOf(await h.call(w.coordinatorA, M.cancelPlacement, { input: { id: placement.id, reason: 'too late' } }))).toBe(
      'CONFLICT/INVALID_TRANSITION',
    );
    expect(refusalOf(await h.call(w.coordinatorA, M.confirmPlacement, { input: { id: placement.id } }))).toBe(
      'CONFLICT/INVALID_TRANSITION',
    );
    const other = await propose(h, w.coordinatorA, {
      studentId: (await registerStudent(h, w.schoolA)).id,
      departmentId: w.d1,
      blockId: winter.id,
    });
    const early = await h.call(w.coordinatorH, M.completePlacement, { input: { id: other.id } });
    expect(refusalOf(early)).toBe('CONFLICT/INVALID_TRANSITION');
    expect(early.errors?.[0]?.extensions).toMatchObject({ status: 'PROPOSED', action: 'complete' });
  });

  it('cancels from any live state with a reason, freeing the seat and emitting PlacementCancelled', async () => {
    const s = await registerStudent(h, w.schoolA);
    const p = await propose(h, w.coordinatorA, { studentId: s.id, departmentId: w.d2, blockId: winter.id });
    await step(h, w.coordinatorA, 'confirmPlacement', p.id);
    const { cancelPlacement } = ok(await h.call(w.coordinatorA, M.cancelPlacement, { input: { id: p.id, reason: 'Student on leave' } }));
    expect(cancelPlacement).toMatchObject({ status: 'CANCELLED', cancelReason: 'Student on leave' });
    const events = await outbox(p.id);
    expect(events.map((e) => e.event_type)).toEqual(['PlacementConfirmed', 'PlacementCancelled']);
    expect(events[1]!.payload).toMatchObject({ reason: 'Student on leave', accessUntil: expect.any(String) });
    // The student can be placed in that block again.
    await propose(h, w.coordinatorA, { studentId: s.id, departmentId: w.d1, blockId: winter.id });
    expect(codes(await h.call(w.coordinatorA, M.cancelPlacement, { input: { id: p.id, reason: ' ' } }))).toEqual(['BAD_USER_INPUT']);
  });
});

describe('placement refusals', () => {
  it('ALREADY_PLACED_IN_BLOCK: one live placement per student and block', async () => {
    const s = await registerStudent(h, w.schoolA);
    const first = await propose(h, w.coordinatorA, { studentId: s.id, departmentId: w.d1, blockId: autumn.id });
    const again = await h.call(w.coordinatorA, M.createPlacement, { input: { studentId: s.id, departmentId: w.d2, blockId: autumn.id } });
    expect(refusalOf(again)).toBe('CONFLICT/ALREADY_PLACED_IN_BLOCK');
    expect(again.errors?.[0]?.extensions?.existingPlacementId).toBe(first.id);
  });

  it('ALREADY_PLACED_IN_BLOCK also when two requests race for the same student (unique index backstop)', async () => {
    const s = await registerStudent(h, w.schoolA);
    const results = await Promise.all(
      [w.d1, w.d2].map((departmentId) =>
        h.call(w.coordinatorA, M.createPlacement, { input: { studentId: s.id, departmentId, blockId: winter.id } }),
      ),
    );
    expect(results.map(refusalOf).sort()).toEqual(['CONFLICT/ALREADY_PLACED_IN_BLOCK', 'none']);
  });

  it('OVER_CAPACITY counts every placement that is not cancelled, and is race-safe on the last seat', async () => {
    const blockX = await createBlock(h, w.coordinatorA, {
      schoolId: w.schoolA,
      name: 'Summer',
      startsOn: '2027-05-03',
      endsOn: '2027-06-25',
    });
    await setSeats(h, w.coordinatorH, { departmentId: w.d1, blockId: blockX.id, schoolId: w.schoolA, seats: 2 });
    const students = await Promise.all(Array.from({ length: 6 }, () => registerStudent(h, w.schoolA)));
    const results = await Promise.all(
      students.map((s) =>
        h.call(w.coordinatorA, M.createPlacement, { input: { studentId: s.id, departmentId: w.d1, blockId: blockX.id } }),
      ),
    );
    expect(results.filter((r) => refusalOf(r) === 'none')).toHaveLength(2);
    expect(results.filter((r) => refusalOf(r) === 'CONFLICT/OVER_CAPACITY')).toHaveLength(4);
    // No seat row at all is no seat (asked for a student the race left unplaced: a placed one is ALREADY_PLACED_IN_BLOCK).
    const unplaced = students[results.findIndex((r) => refusalOf(r) === 'CONFLICT/OVER_CAPACITY')]!;
    expect(
      refusalOf(
        await h.call(w.coordinatorA, M.createPlacement, { input: { studentId: unplaced.id, departmentId: w.d2, blockId: blockX.id } }),
      ),
    ).toBe('CONFLICT/OVER_CAPACITY');
  });

  it('NO_AGREEMENT and AGREEMENT_DOES_NOT_COVER_DATES', async () => {
    const s = await registerStudent(h, w.schoolA);
    expect(
      refusalOf(await h.call(w.coordinatorA, M.createPlacement, { input: { studentId: s.id, departmentId: w.d3, blockId: autumn.id } })),
    ).toBe('CONFLICT/NO_AGREEMENT');
    expect(
      refusalOf(await h.call(w.coordinatorA, M.createPlacement, { input: { studentId: s.id, departmentId: w.k1, blockId: autumn.id } })),
    ).toBe('CONFLICT/AGREEMENT_DOES_NOT_COVER_DATES');
  });

  it('NO_AGREEMENT on confirmation when the agreement ended after the proposal', async () => {
    const [hospital, department] = [randomUUID(), randomUUID()];
    const terms = { schoolId: w.schoolA, hospitalId: hospital, departmentIds: [department], startsOn: '2026-01-01', endsOn: '2027-12-31' };
    const agreementId = await activateAgreement(h, terms);
    await setSeats(h, staffOf(hospital, 'COORDINATOR'), { departmentId: department, blockId: autumn.id, schoolId: w.schoolA, seats: 1 });
    const p = await propose(h, w.coordinatorA, {
      studentId: (await registerStudent(h, w.schoolA)).id,
      departmentId: department,
      blockId: autumn.id,
    });
    await endAgreement(h, agreementId, terms, '2026-08-01');
    expect(refusalOf(await h.call(w.coordinatorA, M.confirmPlacement, { input: { id: p.id } }))).toBe('CONFLICT/NO_AGREEMENT');
  });

  it('SUPERVISOR_NOT_IN_DEPARTMENT: a supervisor must be a clinical instructor of that department', async () => {
    const s = await registerStudent(h, w.schoolA);
    const input = { studentId: s.id, departmentId: w.d1, blockId: winter.id };
    expect(refusalOf(await h.call(w.coordinatorA, M.createPlacement, { input: { ...input, supervisorId: w.ciD2.id } }))).toBe(
      'BAD_USER_INPUT/SUPERVISOR_NOT_IN_DEPARTMENT',
    );
    expect(refusalOf(await h.call(w.coordinatorA, M.createPlacement, { input: { ...input, supervisorId: w.coordinatorH.personId } }))).toBe(
      'BAD_USER_INPUT/SUPERVISOR_NOT_IN_DEPARTMENT',
    );
  });

  it('BLOCK_NOT_IN_CALENDAR and NOT_FOUND for a student rotations does not know', async () => {
    const b = await registerStudent(h, w.schoolB);
    expect(
      refusalOf(await h.call(w.coordinatorB, M.createPlacement, { input: { studentId: b.id, departmentId: w.d1, blockId: autumn.id } })),
    ).toBe('BAD_USER_INPUT/BLOCK_NOT_IN_CALENDAR');
    expect(
      codes(
        await h.call(w.coordinatorA, M.createPlacement, { input: { studentId: randomUUID(), departmentId: w.d1, blockId: autumn.id } }),
      ),
    ).toEqual(['NOT_FOUND']);
  });
});

describe('who may do what with placements', () => {
  let p: Ref;
  let s: StudentRef;
  beforeAll(async () => {
    s = await registerStudent(h, w.schoolA);
    p = await propose(h, w.coordinatorA, { studentId: s.id, departmentId: w.d2, blockId: autumn.id });
  });

  it("lets only the student's school create, confirm and cancel", async () => {
    const other = await registerStudent(h, w.schoolA);
    expect(
      codes(await h.call(w.coordinatorB, M.createPlacement, { input: { studentId: other.id, departmentId: w.d1, blockId: autumn.id } })),
    ).toEqual(['FORBIDDEN']);
    expect(codes(await h.call(w.coordinatorH, M.confirmPlacement, { input: { id: p.id } }))).toEqual(['FORBIDDEN']);
    expect(codes(await h.call(asStudent(s), M.confirmPlacement, { input: { id: p.id } }))).toEqual(['FORBIDDEN']);
    expect(codes(await h.call(w.coordinatorB, M.cancelPlacement, { input: { id: p.id, reason: 'x' } }))).toEqual(['FORBIDDEN']);
  });

  it("lets only the hospital's coordinators and the department's instructors start and complete", async () => {
    await step(h, w.coordinatorA, 'confirmPlacement', p.id);
    expect(codes(await h.call(w.coordinatorA, M.startPlacement, { input: { id: p.id } }))).toEqual(['FORBIDDEN']);
    expect(codes(await h.call(w.ciD1.actor, M.startPlacement, { input: { id: p.id } }))).toEqual(['FORBIDDEN']);
    expect(codes(await h.call(staffOf(w.hospitalK, 'COORDINATOR'), M.startPlacement, { input: { id: p.id } }))).toEqual(['FORBIDDEN']);
    expect(await step(h, w.ciD2.actor, 'startPlacement', p.id)).toBe('IN_PROGRESS');
  });

  it('shows proposals to the school only; the hospital sees placements once confirmed', async () => {
    const query = `query($id: ID!) { placement(id: $id) { id status } }`;
    const proposal = await propose(h, w.coordinatorA, {
      studentId: (await registerStudent(h, w.schoolA)).id,
      departmentId: w.d2,
      blockId: winter.id,
    });
    expect(codes(await h.call(w.coordinatorH, query, { id: proposal.id }))).toEqual(['FORBIDDEN']);
    expect(ok(await h.call(w.coordinatorA, query, { id: proposal.id })).placement.status).toBe('PROPOSED');
    expect(ok(await h.call(w.coordinatorH, query, { id: p.id })).placement.status).toBe('IN_PROGRESS');
    expect(ok(await h.call(asStudent(s), query, { id: p.id })).placement.id).toBe(p.id);
    expect(codes(await h.call(w.coordinatorB, query, { id: p.id }))).toEqual(['FORBIDDEN']);
    expect(ok(await h.call(w.coordinatorA, query, { id: randomUUID() })).placement).toBeNull();
  });

  it('hides a completed placement from the hospital once its access period is over', async () => {
    const late = await createBlock(h, w.coordinatorA, { schoolId: w.schoolA, name: 'Late', startsOn: '2027-07-05', endsOn: '2027-08-27' });
    await setSeats(h, w.coordinatorH, { departmentId: w.d1, blockId: late.id, schoolId: w.schoolA, seats: 1 });
    const student = await registerStudent(h, w.schoolA);
    const done = await propose(h, w.coordinatorA, { studentId: student.id, departmentId: w.d1, blockId: late.id });
    await step(h, w.coordinatorA, 'confirmPlacement', done.id);
    await step(h, w.coordinatorH, 'startPlacement', done.id);
    await step(h, w.coordinatorH, 'completePlacement', done.id);
    const list = `query($s: ID!) { placements(filter: { studentId: $s }) { totalCount edges { node { id } } } }`;
    const student_ = `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Student { placements { id } } } }`;
    expect(ok(await h.call(w.coordinatorH, list, { s: student.id })).placements.totalCount).toBe(1);
    await h.dataSource.query(`UPDATE placement SET access_until = now() - interval '1 second' WHERE id = $1`, [done.id]);
    expect(ok(await h.call(w.coordinatorH, list, { s: student.id })).placements.totalCount).toBe(0);
    expect(codes(await h.call(w.coordinatorH, `query($id: ID!) { placement(id: $id) { id } }`, { id: done.id }))).toEqual(['FORBIDDEN']);
    expect(codes(await h.call(w.coordinatorH, student_, { reps: [{ __typename: 'Student', id: student.id }] }))).toEqual(['FORBIDDEN']);
    expect(ok(await h.call(w.coordinatorA, list, { s: student.id })).placements.totalCount).toBe(1);
  });

  it('answers an empty list for a student whose registration has not reached rotations yet', async () => {
    const query = `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Student { placements { id } preferences { id } } } }`;
    expect(ok(await h.call(w.coordinatorA, query, { reps: [{ __typename: 'Student', id: randomUUID() }] }))._entities).toEqual([
      { placements: [], preferences: [] },
    ]);
  });
});

describe('students see their own placements only', () => {
  let mine: StudentRef;
  let classmate: StudentRef;
  let minePlacement: Ref;
  let classmatePlacement: Ref;
  const one = `query($id: ID!) { placement(id: $id) { id } }`;
  const list = `query($f: PlacementFilter) { placements(filter: $f, first: 100) { totalCount edges { node { id student { id } } } } }`;

  beforeAll(async () => {
    const spring = await createBlock(h, w.coordinatorA, {
      schoolId: w.schoolA,
      name: 'Spring',
      startsOn: '2027-03-01',
      endsOn: '2027-04-23',
    });
    await setSeats(h, w.coordinatorH, { departmentId: w.d1, blockId: spring.id, schoolId: w.schoolA, seats: 3 });
    [mine, classmate] = [await registerStudent(h, w.schoolA), await registerStudent(h, w.schoolA)];
    minePlacement = await propose(h, w.coordinatorA, { studentId: mine.id, departmentId: w.d1, blockId: spring.id });
    classmatePlacement = await propose(h, w.coordinatorA, { studentId: classmate.id, departmentId: w.d1, blockId: spring.id });
    await step(h, w.coordinatorA, 'confirmPlacement', minePlacement.id);
    await step(h, w.coordinatorA, 'confirmPlacement', classmatePlacement.id);
  });

  it("refuses a classmate's placement, and another school's student, by id", async () => {
    expect(ok(await h.call(asStudent(mine), one, { id: minePlacement.id })).placement.id).toBe(minePlacement.id);
    expect(codes(await h.call(asStudent(mine), one, { id: classmatePlacement.id }))).toEqual(['FORBIDDEN']);
    const elsewhere = await registerStudent(h, w.schoolB);
    expect(codes(await h.call(asStudent(elsewhere), one, { id: minePlacement.id }))).toEqual(['FORBIDDEN']);
  });

  it('lists only their own, however the filter is left open, while the school sees both', async () => {
    for (const f of [null, { schoolId: w.schoolA }, { hospitalId: w.hospitalH }, { departmentId: w.d1 }]) {
      const { placements } = ok(await h.call(asStudent(mine), list, { f }));
      expect(placements.edges.map((e: { node: { student: { id: string } } }) => e.node.student.id)).toEqual([mine.id]);
      expect(placements.totalCount).toBe(1);
    }
    const school = ok(await h.call(w.coordinatorA, list, { f: { departmentId: w.d1, status: 'CONFIRMED' } })).placements;
    const ids = school.edges.map((e: { node: { id: string } }) => e.node.id);
    expect(ids).toEqual(expect.arrayContaining([minePlacement.id, classmatePlacement.id]));
  });
});

describe('asking for placements one may not see is FORBIDDEN, not an empty list', () => {
  const list = `query($f: PlacementFilter) { placements(filter: $f) { totalCount } }`;

  it("refuses another school's coordinator a school filter, as blocks and preference status do", async () => {
    expect(codes(await h.call(w.coordinatorB, list, { f: { schoolId: w.schoolA } }))).toEqual(['FORBIDDEN']);
    expect(
      codes(
        await h.call(w.coordinatorB, `query($s: ID!) { rotationBlocks(schoolId: $s, academicYear: "2026-2027") { id } }`, { s: w.schoolA }),
      ),
    ).toEqual(['FORBIDDEN']);
    expect(ok(await h.call(w.coordinatorB, list, { f: { schoolId: w.schoolB } })).placements.totalCount).toBe(0);
  });

  it('lets a partner hospital ask for a school, and a school for a partner hospital', async () => {
    expect(ok(await h.call(w.coordinatorH, list, { f: { schoolId: w.schoolA } })).placements.totalCount).toBeGreaterThan(0);
    expect(ok(await h.call(w.coordinatorA, list, { f: { hospitalId: w.hospitalH } })).placements.totalCount).toBeGreaterThan(0);
    expect(ok(await h.call(w.coordinatorB, list, { f: { hospitalId: w.hospitalH } })).placements.totalCount).toBe(0);
  });

  it('refuses a hospital that is not a partner, and a student asking for another student', async () => {
    expect(codes(await h.call(w.coordinatorB, list, { f: { hospitalId: w.hospitalK } }))).toEqual(['FORBIDDEN']);
    expect(codes(await h.call(staffOf(w.hospitalK, 'COORDINATOR'), list, { f: { schoolId: w.schoolB } }))).toEqual(['FORBIDDEN']);
    const [a, b] = [await registerStudent(h, w.schoolA), await registerStudent(h, w.schoolA)];
    expect(codes(await h.call(asStudent(a), list, { f: { studentId: b.id } }))).toEqual(['FORBIDDEN']);
    expect(ok(await h.call(asStudent(a), list, { f: { studentId: a.id } })).placements.totalCount).toBe(0);
  });
});

describe("a student's deactivation (network StudentStatusChanged)", () => {
  it('cancels the placements that have not begun, with the reason, and leaves a running one to the school', async () => {
    // Seats of their own, whatever earlier tests took.
    await setSeats(h, w.coordinatorH, { departmentId: w.d2, blockId: autumn.id, schoolId: w.schoolA, seats: 20 });
    await setSeats(h, w.coordinatorH, { departmentId: w.d1, blockId: winter.id, schoolId: w.schoolA, seats: 20 });
    const student = await registerStudent(h, w.schoolA, { givenName: 'Rosa', familyName: 'Research' });
    const running = await propose(h, w.coordinatorA, { studentId: student.id, departmentId: w.d2, blockId: autumn.id });
    expect(await step(h, w.coordinatorA, 'confirmPlacement', running.id)).toBe('CONFIRMED');
    expect(await step(h, w.coordinatorH, 'startPlacement', running.id)).toBe('IN_PROGRESS');
    const planned = await propose(h, w.coordinatorA, { studentId: student.id, departmentId: w.d1, blockId: winter.id });
    const classmate = await registerStudent(h, w.schoolA);
    const theirs = await propose(h, w.coordinatorA, { studentId: classmate.id, departmentId: w.d1, blockId: winter.id });

    await emit(h, StudentStatusChanged, student.id, { studentId: student.id, schoolId: w.schoolA, active: false, reason: 'Research year' });

    const statusOf = async (id: string) =>
      (
        (await h.dataSource.query(`SELECT status, cancel_reason FROM placement WHERE id = $1`, [id])) as {
          status: string;
          cancel_reason: string | null;
        }[]
      )[0];
    expect(await statusOf(planned.id)).toEqual({
      status: 'CANCELLED',
      cancel_reason:
        'Rosa Research was deactivated by their school (Research year); the placement in Winter had not begun and was cancelled.',
    });
    expect((await outbox(planned.id)).map((e) => e.event_type)).toEqual(['PlacementCancelled']);
    expect(await statusOf(running.id)).toMatchObject({ status: 'IN_PROGRESS' });
    expect(await statusOf(theirs.id)).toMatchObject({ status: 'PROPOSED' });

    // Reactivation restores nothing (the seat may be gone): the coordinator places the student again.
    await emit(h, StudentStatusChanged, student.id, { studentId: student.id, schoolId: w.schoolA, active: true, reason: 'Back' });
    expect(await statusOf(planned.id)).toMatchObject({ status: 'CANCELLED' });
  });
});

describe('placement events name the specialty', () => {
  it("carries the department's specialty once the network has named it, for quality's figures per specialty (ADR 0047)", async () => {
    const s = await registerStudent(h, w.schoolA);
    const p = await propose(h, w.coordinatorA, { studentId: s.id, departmentId: w.d2, blockId: autumn.id });
    await step(h, w.coordinatorA, 'confirmPlacement', p.id);
    // The network names d2's specialty with an agreement's activation.
    await nameSpecialty(h, w, w.d2, 'SURGERY');
    ok(await h.call(w.coordinatorA, M.cancelPlacement, { input: { id: p.id, reason: 'Plans changed' } }));
    expect((await outbox(p.id)).map((e) => [e.event_type, e.payload.specialty])).toEqual([
      ['PlacementConfirmed', undefined],
      ['PlacementCancelled', 'SURGERY'],
    ]);
  });
});
