import { randomUUID } from 'node:crypto';
import { StaffRegistered, StaffStatusChanged } from '@medcollab/events';
import { type Actor } from '@medcollab/kit';
import { asStudent, staffOf } from './support/actors';
import {
  activateAgreement,
  createBlock,
  emit,
  propose,
  registerStudent,
  setSeats,
  step,
  type StaffRef,
  type StudentRef,
} from './support/fixtures';
import { codes, ok, refusalOf, type RotationsHarness, startRotations } from './support/harness';

/**
 * Supervisors of placements (issue 14): the department's coordinator asks for a balanced
 * proposal, applies it in one bulk mutation, all or nothing; every refusal names the student,
 * department and block; the school reads the supervisor but never names one.
 */
let h: RotationsHarness;
const schoolId = randomUUID();
const hospitalId = randomUUID();
const otherHospitalId = randomUUID();
const [cardiology, surgery] = [randomUUID(), randomUUID()];
let block: string;
let nextBlock: string;
let [ana, ben, cleo, dan]: StudentRef[] = [];
let [cardioA, cardioB, surgeon, retired]: StaffRef[] = [];
let placements: Record<string, string>;
let proposedOnly: string;
let completed: string;
const coordinatorS = staffOf(schoolId, 'COORDINATOR');
let coordinatorH: Actor;
let cardioCoordinator: Actor;
let surgeryCoordinator: Actor;
const hospitalAdmin = staffOf(hospitalId, 'INSTITUTION_ADMIN');
const otherHospitalCoordinator = staffOf(otherHospitalId, 'COORDINATOR');

async function staff(institutionId: string, roles: string[], departmentId: string | null, givenName: string, familyName: string) {
  const id = randomUUID();
  await emit(h, StaffRegistered, id, { staffId: id, institutionId, departmentId, roles, givenName, familyName });
  return { id, actor: { personId: id, institutionId, roles } as Actor };
}

const ASSIGN = `mutation($input: AssignPlacementSupervisorsInput!) {
  assignPlacementSupervisors(input: $input) { id status supervisor { id } } }`;
const PROPOSE = `query($d: ID!, $b: ID, $r: ID, $cap: Int!) { proposeSupervisors(departmentId: $d, blockId: $b, runId: $r, maxStudentsPerInstructor: $cap) {
  department { id } maxStudentsPerInstructor awaitingConfirmation
  assignments { placement { id } supervisor { id } studentsInBlock }
  unassigned { placement { id } reason explanation } } }`;
const SUPERVISOR = `query($id: ID!) { placement(id: $id) { id supervisor { id } } }`;
const supervisorOf = async (id: string): Promise<string | null> =>
  ((await h.dataSource.query(`SELECT supervisor_id FROM placement WHERE id = $1`, [id])) as { supervisor_id: string | null }[])[0]!
    .supervisor_id;

beforeAll(async () => {
  h = await startRotations();
  await activateAgreement(h, {
    schoolId,
    hospitalId,
    departmentIds: [cardiology, surgery],
    startsOn: '2026-01-01',
    endsOn: '2027-12-31',
    departmentNames: [
      { departmentId: cardiology, name: 'Cardiology' },
      { departmentId: surgery, name: 'Surgery' },
    ],
    hospitalName: 'St Mary',
  });
  cardioA = await staff(hospitalId, ['CLINICAL_INSTRUCTOR'], cardiology, 'Alma', 'Reyes');
  cardioB = await staff(hospitalId, ['CLINICAL_INSTRUCTOR'], cardiology, 'Bruno', 'Costa');
  surgeon = await staff(hospitalId, ['CLINICAL_INSTRUCTOR'], surgery, 'Sara', 'Lind');
  retired = await staff(hospitalId, ['CLINICAL_INSTRUCTOR'], cardiology, 'Rita', 'Old');
  await emit(h, StaffStatusChanged, retired.id, { staffId: retired.id, institutionId: hospitalId, active: false, reason: 'retired' });
  coordinatorH = (await staff(hospitalId, ['COORDINATOR'], null, 'Hana', 'Wide')).actor;
  cardioCoordinator = (await staff(hospitalId, ['COORDINATOR'], cardiology, 'Carl', 'Heart')).actor;
  surgeryCoordinator = (await staff(hospitalId, ['COORDINATOR'], surgery, 'Sven', 'Cut')).actor;
  await staff(otherHospitalId, ['COORDINATOR'], null, 'Olga', 'Elsewhere').then((s) => Object.assign(otherHospitalCoordinator, s.actor));

  [ana, ben, cleo, dan] = await Promise.all(
    ['Ana', 'Ben', 'Cleo', 'Dan'].map((givenName) => registerStudent(h, schoolId, { givenName, familyName: 'Student' })),
  );
  block = (await createBlock(h, coordinatorS, { schoolId, name: 'Block 1', startsOn: '2026-09-07', endsOn: '2026-10-30' })).id;
  nextBlock = (await createBlock(h, coordinatorS, { schoolId, name: 'Block 2', startsOn: '2026-11-02', endsOn: '2026-12-18' })).id;
  await setSeats(h, coordinatorH, { departmentId: cardiology, blockId: block, schoolId, seats: 10 });
  await setSeats(h, coordinatorH, { departmentId: cardiology, blockId: nextBlock, schoolId, seats: 10 });
  placements = {};
  for (const s of [ana, ben, cleo]) {
    placements[s!.id] = (await propose(h, coordinatorS, { studentId: s!.id, departmentId: cardiology, blockId: block })).id;
    await step(h, coordinatorS, 'confirmPlacement', placements[s!.id]!);
  }
  proposedOnly = (await propose(h, coordinatorS, { studentId: dan!.id, departmentId: cardiology, blockId: block })).id;
  completed = (
    await propose(h, coordinatorS, { studentId: dan!.id, departmentId: cardiology, blockId: nextBlock, supervisorId: cardioA!.id })
  ).id;
  await step(h, coordinatorS, 'confirmPlacement', completed);
  await step(h, coordinatorH, 'startPlacement', completed);
  await step(h, coordinatorH, 'completePlacement', completed);
}, 240_000);
afterAll(() => h?.stop());

describe('proposing supervisors', () => {
  it("balances the block's confirmed placements over the active instructors under the cap, and names who is left out", async () => {
    const { proposeSupervisors } = ok(await h.call(cardioCoordinator, PROPOSE, { d: cardiology, b: block, cap: 1 }));
    expect(proposeSupervisors.department).toEqual({ id: cardiology });
    expect(proposeSupervisors.awaitingConfirmation).toBe(1);
    // Alphabetical among equals: Alma Reyes, then Bruno Costa; the retired instructor is never proposed.
    expect(proposeSupervisors.assignments).toEqual([
      { placement: { id: placements[ana!.id] }, supervisor: { id: cardioA!.id }, studentsInBlock: 1 },
      { placement: { id: placements[ben!.id] }, supervisor: { id: cardioB!.id }, studentsInBlock: 1 },
    ]);
    expect(proposeSupervisors.unassigned).toEqual([
      {
        placement: { id: placements[cleo!.id] },
        reason: 'INSTRUCTORS_AT_CAP',
        explanation:
          'Cleo Student (Cardiology, Block 1) has no supervisor: each of the 2 clinical instructors of Cardiology already supervises 1 student in Block 1, the cap',
      },
    ]);
    // Nothing was applied.
    expect(await supervisorOf(placements[ana!.id]!)).toBeNull();
    // The same question gives the same answer.
    expect(ok(await h.call(coordinatorH, PROPOSE, { d: cardiology, b: block, cap: 1 })).proposeSupervisors).toEqual(proposeSupervisors);
  });

  it('refuses a question naming both or neither of block and run, or a cap out of range', async () => {
    for (const v of [
      { d: cardiology, cap: 2 },
      { d: cardiology, b: block, r: randomUUID(), cap: 2 },
      { d: cardiology, b: block, cap: 0 },
      { d: cardiology, b: block, cap: 51 },
    ])
      expect(codes(await h.call(coordinatorH, PROPOSE, v))).toEqual(['BAD_USER_INPUT']);
  });

  it("is the department's: refused to the school, another department's coordinator, instructors, students and other hospitals", async () => {
    for (const who of [coordinatorS, surgeryCoordinator, cardioA!.actor, asStudent(ana!), otherHospitalCoordinator])
      expect(codes(await h.call(who, PROPOSE, { d: cardiology, b: block, cap: 2 }))).toEqual(['FORBIDDEN']);
    expect(ok(await h.call(hospitalAdmin, PROPOSE, { d: cardiology, b: block, cap: 2 })).proposeSupervisors.assignments).toHaveLength(3);
  });
});

describe('assigning supervisors in bulk', () => {
  it('refuses the whole batch when one entry is wrong, naming each refused student, department and block', async () => {
    const response = await h.call(cardioCoordinator, ASSIGN, {
      input: {
        assignments: [
          { placementId: placements[ana!.id], supervisorId: cardioA!.id },
          { placementId: placements[ben!.id], supervisorId: surgeon!.id },
          { placementId: placements[cleo!.id], supervisorId: retired!.id },
          { placementId: completed, supervisorId: cardioB!.id },
        ],
      },
    });
    expect(refusalOf(response)).toBe('BAD_USER_INPUT/SUPERVISOR_NOT_IN_DEPARTMENT');
    const refusals = response.errors![0]!.extensions!.refusals as { reason: string; message: string; studentName: string }[];
    expect(refusals.map((r) => [r.reason, r.message])).toEqual([
      ['SUPERVISOR_NOT_IN_DEPARTMENT', 'Ben Student at Cardiology in Block 1: Sara Lind is not a clinical instructor of the department'],
      ['SUPERVISOR_INACTIVE', 'Cleo Student at Cardiology in Block 1: Rita Old is no longer active'],
      [
        'INVALID_TRANSITION',
        'Dan Student at Cardiology in Block 2: a supervisor is named while the placement is confirmed or running, and it is COMPLETED',
      ],
    ]);
    expect(response.errors![0]!.message).toContain('Ben Student at Cardiology in Block 1');
    // All or nothing: Ana's valid entry was not applied either.
    expect(await supervisorOf(placements[ana!.id]!)).toBeNull();
    expect(await h.dataSource.query(`SELECT 1 FROM outbox WHERE event_type = 'PlacementSupervisorAssigned'`)).toEqual([]);
  });

  it('refuses bad input: no entry, a placement twice, a malformed id, an unknown placement', async () => {
    const entry = { placementId: placements[ana!.id], supervisorId: cardioA!.id };
    for (const assignments of [[], [entry, entry], [{ ...entry, supervisorId: 'nope' }]])
      expect(codes(await h.call(coordinatorH, ASSIGN, { input: { assignments } }))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await h.call(coordinatorH, ASSIGN, { input: { assignments: [{ ...entry, placementId: randomUUID() }] } }))).toEqual([
      'NOT_FOUND',
    ]);
  });

  it("refuses the school's coordinator, another department's, instructors, students, another hospital, and a proposal the hospital cannot see", async () => {
    const input = { assignments: [{ placementId: placements[ana!.id], supervisorId: cardioA!.id }] };
    for (const who of [
      coordinatorS,
      staffOf(schoolId, 'INSTITUTION_ADMIN'),
      surgeryCoordinator,
      cardioA!.actor,
      asStudent(ana!),
      otherHospitalCoordinator,
    ])
      expect(codes(await h.call(who, ASSIGN, { input }))).toEqual(['FORBIDDEN']);
    // A proposal is the school's until confirmed: refused without naming the student.
    const response = await h.call(coordinatorH, ASSIGN, {
      input: { assignments: [{ placementId: proposedOnly, supervisorId: cardioA!.id }] },
    });
    expect(codes(response)).toEqual(['FORBIDDEN']);
    expect(response.errors![0]!.message).not.toContain('Dan');
    expect(await supervisorOf(placements[ana!.id]!)).toBeNull();
  });

  it('applies a proposal in one transaction: supervisors, audit steps, one event per placement; the school reads them', async () => {
    const { proposeSupervisors } = ok(await h.call(cardioCoordinator, PROPOSE, { d: cardiology, b: block, cap: 2 }));
    const assignments = (proposeSupervisors.assignments as { placement: { id: string }; supervisor: { id: string } }[]).map((a) => ({
      placementId: a.placement.id,
      supervisorId: a.supervisor.id,
    }));
    expect(assignments).toHaveLength(3);
    const { assignPlacementSupervisors } = ok(await h.call(cardioCoordinator, ASSIGN, { input: { assignments } }));
    expect(assignPlacementSupervisors).toEqual(
      assignments.map((a) => ({ id: a.placementId, status: 'CONFIRMED', supervisor: { id: a.supervisorId } })),
    );
    for (const a of assignments) expect(await supervisorOf(a.placementId)).toBe(a.supervisorId);

    const events = (await h.dataSource.query(
      `SELECT aggregate_id, payload FROM outbox WHERE event_type = 'PlacementSupervisorAssigned' ORDER BY aggregate_id`,
    )) as { aggregate_id: string; payload: Record<string, unknown> }[];
    expect(events.map((e) => [e.aggregate_id, e.payload.supervisorId, e.payload.status, e.payload.previousSupervisorId])).toEqual(
      [...assignments]
        .sort((a, b) => a.placementId.localeCompare(b.placementId))
        .map((a) => [a.placementId, a.supervisorId, 'CONFIRMED', null]),
    );
    const steps = (await h.dataSource.query(
      `SELECT placement_id, details->>'supervisorId' AS s FROM placement_event WHERE kind = 'SUPERVISOR_ASSIGNED' ORDER BY placement_id`,
    )) as { placement_id: string; s: string }[];
    expect(steps).toHaveLength(3);
    // The request's audit record names each changed placement (ADR 0008).
    const [audit] = (await h.dataSource.query(
      `SELECT payload FROM outbox WHERE event_type = 'AuditRecorded' AND payload::text LIKE '%assignPlacementSupervisor%'`,
    )) as { payload: { entries: { recordType: string; recordId: string; change: string; fields: string[] }[] } }[];
    expect(
      audit!.payload.entries
        .filter((e) => e.change === 'assignPlacementSupervisor')
        .map((e) => e.recordId)
        .sort(),
    ).toEqual(assignments.map((a) => a.placementId).sort());

    // The student's school reads the supervisor.
    expect(ok(await h.call(coordinatorS, SUPERVISOR, { id: assignments[0]!.placementId })).placement.supervisor).toEqual({
      id: assignments[0]!.supervisorId,
    });

    // Applying it again changes nothing: no new step, no new event.
    ok(await h.call(cardioCoordinator, ASSIGN, { input: { assignments } }));
    expect(await h.dataSource.query(`SELECT 1 FROM outbox WHERE event_type = 'PlacementSupervisorAssigned'`)).toHaveLength(3);
    // With everyone supervised, a new proposal has nothing to add.
    expect(ok(await h.call(cardioCoordinator, PROPOSE, { d: cardiology, b: block, cap: 2 })).proposeSupervisors.assignments).toEqual([]);
  });

  it("changes a running placement's supervisor, with the previous one in the event", async () => {
    const id = placements[ana!.id]!;
    const before = await supervisorOf(id);
    await step(h, coordinatorH, 'startPlacement', id);
    const other = before === cardioA!.id ? cardioB! : cardioA!;
    const { assignPlacementSupervisors } = ok(
      await h.call(hospitalAdmin, ASSIGN, { input: { assignments: [{ placementId: id, supervisorId: other.id }] } }),
    );
    expect(assignPlacementSupervisors).toEqual([{ id, status: 'IN_PROGRESS', supervisor: { id: other.id } }]);
    const [event] = (await h.dataSource.query(
      `SELECT payload FROM outbox WHERE event_type = 'PlacementSupervisorAssigned' AND aggregate_id = $1 ORDER BY sequence DESC LIMIT 1`,
      [id],
    )) as { payload: Record<string, unknown> }[];
    expect(event!.payload).toMatchObject({ status: 'IN_PROGRESS', supervisorId: other.id, previousSupervisorId: before });
  });

  it('takes the same number of SQL statements for one placement as for several (proposal and assignment)', async () => {
    const statements = async (actor: Actor, query: string, variables: Record<string, unknown>) => {
      h.counter.reset();
      ok(await h.call(actor, query, variables));
      return h.counter.count;
    };
    // Three confirmed or running placements in Block 1, none in scope in Block 2.
    expect(await statements(cardioCoordinator, PROPOSE, { d: cardiology, b: block, cap: 2 })).toBe(
      await statements(cardioCoordinator, PROPOSE, { d: cardiology, b: nextBlock, cap: 2 }),
    );
    const swap = async (studentIds: string[]) => {
      const assignments = [];
      for (const id of studentIds) {
        const placementId = placements[id]!;
        assignments.push({ placementId, supervisorId: (await supervisorOf(placementId)) === cardioA!.id ? cardioB!.id : cardioA!.id });
      }
      return statements(cardioCoordinator, ASSIGN, { input: { assignments } });
    };
    expect(await swap([ben!.id])).toBe(await swap([ben!.id, cleo!.id]));
  });
});
