import { type DemoNetworkSummary } from '@medcollab/demo-world';
import { seedDemoNetwork } from '@medcollab/network';
import { e2eClient, countRows, tokenFor } from '@medcollab/testing';
import { processNextAllocationRun } from '../../src/allocation/processor';
import { type Pipeline, startPipeline, waitFor } from '../support/pipeline';

/**
 * The demo network behind the real gateway, with both workers running: network events build
 * rotations' projections, placement events build the network's hospital access grants. Then an
 * allocation run as a coordinator lives it, in a later academic year of the same system (one
 * start-up of network, rotations, their workers and the gateway serves both).
 */
let p: Pipeline;
let demo: DemoNetworkSummary;
const tokens: Record<string, string> = {};
const { gql, data } = e2eClient(() => p.supergraph, tokens);
const count = (sql: string, params: unknown[] = []): Promise<number> => countRows(p.rotations.dataSource, sql, params);

const YEAR = '2027-2028';
let schoolId: string;
let hospitalId: string;
let imDepartment: string;
let edDepartment: string;
let students: { id: string; familyName: string }[];

beforeAll(async () => {
  p = await startPipeline();
  demo = await seedDemoNetwork(p.network.dataSource);
  schoolId = demo.coordinator.institutionId;
  hospitalId = demo.hospitalCoordinator.institutionId;
  imDepartment = demo.clinicalInstructor.departmentId;
  const person = (
    x: { id: string; institutionId: string },
    roles: ('COORDINATOR' | 'CLINICAL_INSTRUCTOR' | 'STUDENT' | 'NETWORK_ADMIN')[],
  ) => tokenFor({ personId: x.id, institutionId: x.institutionId, roles });
  tokens.coordinator = await person(demo.coordinator, ['COORDINATOR']);
  tokens.hospital = await person(demo.hospitalCoordinator, ['COORDINATOR']);
  tokens.instructor = await person(demo.clinicalInstructor, ['CLINICAL_INSTRUCTOR']);
  tokens.admin = await person(demo.networkAdmin, ['NETWORK_ADMIN']);
  // The network's demo events reach rotations through the relay and the rotations worker.
  await waitFor(
    'rotations to learn the demo network',
    async () =>
      (await count('SELECT count(*)::int AS n FROM known_student')) === demo.counts.students &&
      (await count(`SELECT count(*)::int AS n FROM known_agreement WHERE status = 'ACTIVE'`)) >= 5,
    120_000,
  );
  const { institution } = await data('admin', `query($id: ID!) { institution(id: $id) { departments { id specialty } } }`, {
    id: hospitalId,
  });
  edDepartment = institution.departments.find((d: { specialty: string }) => d.specialty === 'EMERGENCY_MEDICINE').id;
  const list = await data(
    'coordinator',
    `query($school: ID!) { students(filter: { institutionId: $school }, first: 6) { edges { node { id familyName } } } }`,
    { school: schoolId },
  );
  students = list.students.edges.map((e: { node: { id: string; familyName: string } }) => e.node);
}, 240_000);
afterAll(() => p?.stop());

describe('rotations in the demo network, through the gateway', () => {
  let blockA: string;
  let placementId: string;

  it('lets the coordinator set up blocks and the hospital its seats', async () => {
    const create = `mutation($input: CreateRotationBlockInput!) { createRotationBlock(input: $input) { id name } }`;
    blockA = (
      await data('coordinator', create, {
        input: { schoolId, academicYear: YEAR, name: 'Block A', startsOn: '2027-09-06', endsOn: '2027-10-29' },
      })
    ).createRotationBlock.id;
    const overlap = await gql('coordinator', create, {
      input: { schoolId, academicYear: YEAR, name: 'Clash', startsOn: '2027-10-01', endsOn: '2027-11-30' },
    });
    expect(overlap.errors[0].extensions).toMatchObject({ code: 'CONFLICT', reason: 'BLOCK_OVERLAP', overlappingBlockName: 'Block A' });

    const seats = `mutation($input: SetSiteCapacityInput!) { setSiteCapacity(input: $input) { seats availableSeats department { name } school { name } block { name } } }`;
    for (const departmentId of [imDepartment, edDepartment]) {
      const { setSiteCapacity } = await data('hospital', seats, { input: { departmentId, blockId: blockA, schoolId, seats: 2 } });
      expect(setSiteCapacity).toMatchObject({
        seats: 2,
        availableSeats: 2,
        school: { name: 'Northbridge University School of Medicine' },
        block: { name: 'Block A' },
      });
    }
  });

  it('takes a placement through its lifecycle; the hospital reads the placed student and is refused the others', async () => {
    const placed = students[0]!;
    const notPlaced = students[1]!;
    const create = `mutation($input: CreatePlacementInput!) { createPlacement(input: $input) { id status department { name } supervisor { id } } }`;
    const { createPlacement } = await data('coordinator', create, {
      input: { studentId: placed.id, departmentId: imDepartment, blockId: blockA, supervisorId: demo.clinicalInstructor.id },
    });
    placementId = createPlacement.id;
    // The school sees who supervises; the supervisor's name is the network's to show (staff of their own hospital).
    expect(createPlacement).toMatchObject({
      status: 'PROPOSED',
      department: { name: 'Internal Medicine' },
      supervisor: { id: demo.clinicalInstructor.id },
    });

    const STUDENT = `query($id: ID!) { student(id: $id) { id familyName placements { status block { name } department { name } } } }`;
    // Before confirmation the hospital has no grant, in the network or in rotations.
    expect((await gql('instructor', STUDENT, { id: placed.id })).errors[0].extensions.code).toBe('FORBIDDEN');

    await data('coordinator', `mutation($id: ID!) { confirmPlacement(input: { id: $id }) { status } }`, { id: placementId });
    // PlacementConfirmed travels rotations outbox -> relay -> network worker -> hospital_access_grant.
    await waitFor('the network to grant the hospital access', async () => !(await gql('instructor', STUDENT, { id: placed.id })).errors);
    const { student } = await data('instructor', STUDENT, { id: placed.id });
    expect(student.placements).toEqual([{ status: 'CONFIRMED', block: { name: 'Block A' }, department: { name: 'Internal Medicine' } }]);
    const refused = await gql('instructor', STUDENT, { id: notPlaced.id });
    expect(refused.errors[0].extensions.code).toBe('FORBIDDEN');
    expect(JSON.stringify(refused.data ?? null)).not.toContain(notPlaced.id);

    const stepped = async (mutation: string) =>
      (await data('instructor', `mutation($id: ID!) { ${mutation}(input: { id: $id }) { status } }`, { id: placementId }))[mutation].status;
    expect(await stepped('startPlacement')).toBe('IN_PROGRESS');
    expect(await stepped('completePlacement')).toBe('COMPLETED');
    // Completed: the grace period keeps the hospital's access.
    expect((await data('instructor', STUDENT, { id: placed.id })).student.placements[0].status).toBe('COMPLETED');
  });

  it('lists placements across subgraphs: student from network, block and status from rotations', async () => {
    const { placements } = await data(
      'coordinator',
      `query($school: ID!) { placements(filter: { schoolId: $school }) { totalCount edges { node { status student { familyName } department { name institution { name } } block { name } supervisor { id } } } } }`,
      { school: schoolId },
    );
    expect(placements.totalCount).toBe(1);
    expect(placements.edges[0].node).toMatchObject({
      status: 'COMPLETED',
      student: { familyName: students[0]!.familyName },
      department: { name: 'Internal Medicine', institution: { name: 'Northbridge General Hospital' } },
      block: { name: 'Block A' },
      supervisor: { id: demo.clinicalInstructor.id },
    });
    // The supervisor's own hospital sees their name, and their supervised placements.
    const { placements: atHospital } = await data(
      'instructor',
      `{ placements { edges { node { supervisor { familyName supervisedPlacements { status } } } } } }`,
    );
    expect(atHospital.edges[0].node.supervisor).toMatchObject({
      familyName: expect.any(String),
      supervisedPlacements: [{ status: 'COMPLETED' }],
    });
  });

  it("sets requirements, opens preferences, takes a student's ranking and shows who has not ranked", async () => {
    const requirement = await data(
      'coordinator',
      `mutation($input: SetRotationRequirementInput!) { setRotationRequirement(input: $input) { specialty blocks school { id } } }`,
      {
        input: { schoolId, programId: '7b0f9d2e-4c1a-4e8b-9a53-0c2d7e1f6a90', specialty: 'INTERNAL_MEDICINE', blocks: 2 },
      },
    );
    expect(requirement.setRotationRequirement).toEqual({ specialty: 'INTERNAL_MEDICINE', blocks: 2, school: { id: schoolId } });

    const now = Date.now();
    await data('coordinator', `mutation($input: OpenPreferenceWindowInput!) { openPreferenceWindow(input: $input) { isOpen } }`, {
      input: {
        schoolId,
        academicYear: YEAR,
        opensAt: new Date(now - 60_000).toISOString(),
        closesAt: new Date(now + 3_600_000).toISOString(),
      },
    });
    const ranker = students[2]!;
    tokens.ranker = await tokenFor({ personId: ranker.id, institutionId: schoolId, roles: ['STUDENT'] });
    const submit = `mutation($input: SubmitPreferencesInput!) { submitPreferences(input: $input) { rank department { name } specialty } }`;
    const { submitPreferences } = await data('ranker', submit, {
      input: {
        studentId: ranker.id,
        academicYear: YEAR,
        rankings: [
          { rank: 1, departmentId: edDepartment },
          { rank: 2, specialty: 'PEDIATRICS' },
        ],
      },
    });
    expect(submitPreferences).toEqual([
      { rank: 1, department: { name: 'Emergency Department' }, specialty: null },
      { rank: 2, department: null, specialty: 'PEDIATRICS' },
    ]);
    const bad = await gql('ranker', submit, {
      input: { studentId: ranker.id, academicYear: YEAR, rankings: [{ rank: 2, specialty: 'ICU' }] },
    });
    expect(bad.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'INVALID_RANKING' });

    const { preferenceStatus } = await data(
      'coordinator',
      `query($s: ID!, $y: String!) { preferenceStatus(schoolId: $s, academicYear: $y) { submittedCount studentsWithoutPreferences { id familyName } } }`,
      { s: schoolId, y: YEAR },
    );
    expect(preferenceStatus.submittedCount).toBe(1);
    expect(preferenceStatus.studentsWithoutPreferences).toHaveLength(demo.counts.students / 3 - 1);
    expect(preferenceStatus.studentsWithoutPreferences[0].familyName).toEqual(expect.any(String));
  });

  it('completes a swap between two students: request, answer, decision; the hospital view follows', async () => {
    const [a, b] = [students[2]!, students[3]!];
    const create = `mutation($input: CreatePlacementInput!) { createPlacement(input: $input) { id } }`;
    const pa = (await data('coordinator', create, { input: { studentId: a.id, departmentId: imDepartment, blockId: blockA } }))
      .createPlacement.id;
    const pb = (await data('coordinator', create, { input: { studentId: b.id, departmentId: edDepartment, blockId: blockA } }))
      .createPlacement.id;
    await data('coordinator', `mutation($id: ID!) { confirmPlacement(input: { id: $id }) { status } }`, { id: pa });
    await waitFor(
      'the hospital to be granted student a',
      async () => !(await gql('instructor', `query($id: ID!) { student(id: $id) { id } }`, { id: a.id })).errors,
    );

    tokens.b = await tokenFor({ personId: b.id, institutionId: schoolId, roles: ['STUDENT'] });
    const { requestSwap } = await data(
      'ranker',
      `mutation($input: RequestSwapInput!) { requestSwap(input: $input) { id status offeredDepartment { name } } }`,
      { input: { placementId: pa, withPlacementId: pb } },
    );
    expect(requestSwap).toMatchObject({ status: 'AWAITING_PEER', offeredDepartment: { name: 'Internal Medicine' } });
    expect(
      (await data('b', `mutation($id: ID!) { respondToSwap(input: { id: $id, accept: true }) { status } }`, { id: requestSwap.id }))
        .respondToSwap.status,
    ).toBe('AWAITING_COORDINATOR');
    const decided = await data('coordinator', `mutation($id: ID!) { decideSwap(input: { id: $id, approve: true }) { status decidedBy } }`, {
      id: requestSwap.id,
    });
    expect(decided.decideSwap).toEqual({ status: 'APPROVED', decidedBy: demo.coordinator.id });

    const { placements } = await data(
      'coordinator',
      `query($s: ID!) { placements(filter: { schoolId: $s, status: CONFIRMED }) { edges { node { id student { id } department { name } } } } }`,
      { s: schoolId },
    );
    expect(
      placements.edges.map((e: { node: { id: string; department: { name: string } } }) => [e.node.id, e.node.department.name]),
    ).toEqual([[pa, 'Emergency Department']]);
    // The internal medicine instructor's hospital still hosts student a, but in another department
    // now: least privilege, the instructor no longer reads them (the hospital's coordinators do).
    await waitFor(
      'the network to move the grant to the new department',
      async () =>
        (await gql('instructor', `query($id: ID!) { student(id: $id) { id } }`, { id: a.id })).errors?.[0]?.extensions?.code ===
        'FORBIDDEN',
    );
    expect((await data('hospital', `query($id: ID!) { student(id: $id) { id } }`, { id: a.id })).student.id).toBe(a.id);
  });
});

/** The allocation run's year: after the year above, with blocks and preferences of its own. */
const ALLOCATION_YEAR = '2028-2029';
let departments: string[];
let blocks: string[];

const RUN = `query($id: ID!) { allocationRun(id: $id) { id status progress seed
  variations { mechanism status metrics { students assignments firstChoiceShare worstRank unplacedStudents unfilledSeats optimalityGap timeLimitReached }
    assignments(first: 10) { totalCount edges { node { student { id } department { id } block { id } rank explanation } } } } } }`;

describe('allocation runs through the gateway', () => {
  beforeAll(async () => {
    tokens.student = await tokenFor({ personId: demo.student.id, institutionId: demo.student.institutionId, roles: ['STUDENT'] });
    const students = await count('SELECT count(*)::int AS n FROM known_student WHERE school_id = $1', [schoolId]);

    // Two blocks; two departments of the partner hospital share enough seats for every student.
    const create = `mutation($input: CreateRotationBlockInput!) { createRotationBlock(input: $input) { id } }`;
    blocks = [
      (
        await data('coordinator', create, {
          input: { schoolId, academicYear: ALLOCATION_YEAR, name: 'Autumn', startsOn: '2028-09-04', endsOn: '2028-10-27' },
        })
      ).createRotationBlock.id,
      (
        await data('coordinator', create, {
          input: { schoolId, academicYear: ALLOCATION_YEAR, name: 'Winter', startsOn: '2028-11-06', endsOn: '2028-12-22' },
        })
      ).createRotationBlock.id,
    ];
    const { institution } = await data('admin', `query($id: ID!) { institution(id: $id) { departments { id } } }`, {
      id: demo.hospitalCoordinator.institutionId,
    });
    departments = [
      demo.clinicalInstructor.departmentId,
      institution.departments.map((d: { id: string }) => d.id).find((id: string) => id !== demo.clinicalInstructor.departmentId),
    ];
    const seats = `mutation($input: SetSiteCapacityInput!) { setSiteCapacity(input: $input) { seats } }`;
    for (const blockId of blocks) {
      for (const departmentId of departments)
        await data('hospital', seats, { input: { departmentId, blockId, schoolId, seats: Math.ceil(students / 2) + 2 } });
    }
    // The demo student ranks the second department first.
    const now = Date.now();
    await data('coordinator', `mutation($input: OpenPreferenceWindowInput!) { openPreferenceWindow(input: $input) { academicYear } }`, {
      input: {
        schoolId,
        academicYear: ALLOCATION_YEAR,
        opensAt: new Date(now - 60_000).toISOString(),
        closesAt: new Date(now + 86_400_000).toISOString(),
      },
    });
    await data('student', `mutation($input: SubmitPreferencesInput!) { submitPreferences(input: $input) { rank } }`, {
      input: {
        studentId: demo.student.id,
        academicYear: ALLOCATION_YEAR,
        rankings: [
          { rank: 1, departmentId: departments[1] },
          { rank: 2, departmentId: departments[0] },
        ],
      },
    });
  }, 240_000);

  it('starts a run, waits for the worker, reads metrics and explanations, publishes it', async () => {
    const start = `mutation($input: StartAllocationRunInput!) { startAllocationRun(input: $input) { id status seed } }`;
    const input = { schoolId, academicYear: ALLOCATION_YEAR, mechanism: 'OPTIMAL', options: { seed: 'e2e-seed', timeLimitSeconds: 30 } };
    expect((await gql('student', start, { input })).errors[0].extensions.code).toBe('FORBIDDEN');
    const { startAllocationRun } = await data('coordinator', start, { input });
    expect(startAllocationRun).toMatchObject({ status: 'QUEUED', seed: 'e2e-seed' });

    // The worker's loop body: claim the oldest queued run and solve it (never inside a request).
    await processNextAllocationRun(p.rotations.dataSource);
    let run: {
      status: string;
      variations: {
        mechanism: string;
        status: string;
        metrics: Record<string, number | boolean | null>;
        assignments: {
          totalCount: number;
          edges: { node: { student: { id: string }; department: { id: string }; rank: number; explanation: string } }[];
        };
      }[];
    } | null = null;
    await waitFor('the run to finish', async () => {
      run = (await data('coordinator', RUN, { id: startAllocationRun.id })).allocationRun;
      return run!.status === 'SUCCEEDED';
    });
    const optimal = run!.variations.find((v) => v.mechanism === 'OPTIMAL')!;
    const lottery = run!.variations.find((v) => v.mechanism === 'LOTTERY')!;
    expect(optimal.status).toBe('OPTIMAL');
    expect(optimal.metrics).toMatchObject({ unplacedStudents: 0, optimalityGap: 0, timeLimitReached: false });
    expect(optimal.metrics.assignments).toBe((optimal.metrics.students as number) * 2);
    expect(optimal.metrics.firstChoiceShare as number).toBeGreaterThanOrEqual(lottery.metrics.firstChoiceShare as number);
    expect(optimal.metrics.worstRank as number).toBeLessThanOrEqual(lottery.metrics.worstRank as number);
    expect(optimal.assignments.totalCount).toBe(optimal.metrics.assignments);
    for (const e of optimal.assignments.edges) expect(e.node.explanation).toEqual(expect.any(String));

    // The student sees only their own assignments: their first choice, explained in plain words.
    const seen = (await data('student', RUN, { id: startAllocationRun.id })).allocationRun;
    const mine = seen.variations.find((v: { mechanism: string }) => v.mechanism === 'OPTIMAL').assignments.edges as {
      node: { student: { id: string }; department: { id: string }; rank: number; explanation: string };
    }[];
    expect(mine).toHaveLength(2);
    for (const e of mine) expect(e.node.student.id).toBe(demo.student.id);
    expect(mine.some((e) => e.node.department.id === departments[1] && e.node.rank === 1)).toBe(true);
    for (const e of mine) expect(e.node.explanation).toEqual(expect.any(String));

    const publish = `mutation($id: ID!, $v: AllocationMechanism!) { publishAllocationRun(runId: $id, variation: $v) { status } }`;
    expect((await gql('student', publish, { id: startAllocationRun.id, v: 'OPTIMAL' })).errors[0].extensions.code).toBe('FORBIDDEN');
    await data('coordinator', publish, { id: startAllocationRun.id, v: 'OPTIMAL' });
    expect(await count(`SELECT count(*)::int AS n FROM placement WHERE status = 'PROPOSED' AND block_id = ANY($1::uuid[])`, [blocks])).toBe(
      optimal.metrics.assignments,
    );
    expect((await gql('coordinator', publish, { id: startAllocationRun.id, v: 'OPTIMAL' })).errors[0].extensions.code).toBe('CONFLICT');
  });

  it('names a conflicting pin and bar with names from the network, and places everyone else when asked', async () => {
    // A block of its own (the year's two are published): the demo student is pinned to the
    // instructor's department there and barred from its hospital.
    const spring = (
      await data('coordinator', `mutation($input: CreateRotationBlockInput!) { createRotationBlock(input: $input) { id } }`, {
        input: { schoolId, academicYear: ALLOCATION_YEAR, name: 'Spring', startsOn: '2029-01-08', endsOn: '2029-02-23' },
      })
    ).createRotationBlock.id as string;
    const cohort = await count('SELECT count(*)::int AS n FROM known_student WHERE school_id = $1', [schoolId]);
    for (const departmentId of departments)
      await data('hospital', `mutation($input: SetSiteCapacityInput!) { setSiteCapacity(input: $input) { seats } }`, {
        input: { departmentId, blockId: spring, schoolId, seats: cohort },
      });
    const start = `mutation($input: StartAllocationRunInput!) { startAllocationRun(input: $input) { id } }`;
    const input = (placeOthersWhenInfeasible: boolean) => ({
      schoolId,
      blockIds: [spring],
      mechanism: 'OPTIMAL',
      options: { seed: 'e2e-conflict', timeLimitSeconds: 30, placeOthersWhenInfeasible },
      exemptions: [
        { studentId: demo.student.id, kind: 'PIN', departmentId: departments[0], blockId: spring, reason: 'continuity' },
        { studentId: demo.student.id, kind: 'BAR', hospitalId, reason: 'conflict of interest' },
      ],
    });
    const infeasible = (await data('coordinator', start, { input: input(false) })).startAllocationRun.id;
    await processNextAllocationRun(p.rotations.dataSource);
    const PARTS = `query($id: ID!) { allocationRun(id: $id) { status infeasibility { reasons { kind message
      conflictingParts { kind text students { id familyName } department { id name } hospital { id name } block { id name } } } } } }`;
    const run = (await data('coordinator', PARTS, { id: infeasible })).allocationRun;
    expect(run.status).toBe('INFEASIBLE');
    const conflict = run.infeasibility.reasons.find((r: { kind: string }) => r.kind === 'CONFLICTING_SET');
    expect(conflict.message).toMatch(/ cannot both hold\./);
    expect(conflict.message).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-/);
    const [pin, bar] = conflict.conflictingParts;
    const family = students.find((s) => s.id === demo.student.id)?.familyName ?? expect.any(String);
    // Student, department and hospital resolved by the network subgraph, block by rotations.
    expect(pin).toMatchObject({
      kind: 'PIN',
      students: [{ id: demo.student.id, familyName: family }],
      department: { id: departments[0], name: expect.any(String) },
      block: { id: spring, name: 'Spring' },
    });
    expect(pin.text).toContain('in Spring');
    expect(bar).toMatchObject({ kind: 'BAR', hospital: { id: hospitalId, name: expect.any(String) }, department: null });
    expect(bar.text).toContain(bar.hospital.name);
    // A student of the school reads only that theirs is in a set.
    const mine = (await data('student', PARTS, { id: infeasible })).allocationRun.infeasibility.reasons;
    expect(mine.find((r: { kind: string }) => r.kind === 'CONFLICTING_SET').conflictingParts).toBeNull();

    const placed = (await data('coordinator', start, { input: input(true) })).startAllocationRun.id;
    await processNextAllocationRun(p.rotations.dataSource);
    const VARIATION = `query($id: ID!) { allocationRun(id: $id) { status variations { mechanism status
      metrics { students unplacedStudents } reasons { kind studentIds } } } }`;
    const done = (await data('coordinator', VARIATION, { id: placed })).allocationRun;
    expect(done.status).toBe('SUCCEEDED');
    const optimal = done.variations.find((v: { mechanism: string }) => v.mechanism === 'OPTIMAL');
    expect(optimal).toMatchObject({ status: 'PARTIAL', metrics: { unplacedStudents: 1 } });
    expect(optimal.reasons.map((r: { kind: string; studentIds: string[] }) => [r.kind, r.studentIds])).toEqual([
      ['CONFLICTING_SET', [demo.student.id]],
      ['UNPLACED', [demo.student.id]],
    ]);
  });
});

describe("a student's deactivation through the pipeline", () => {
  it('cancels their placement that has not begun, with a reason naming them and the block that the coordinator reads', async () => {
    tokens.schoolAdmin = await tokenFor({
      personId: demo.institutionAdmin.id,
      institutionId: demo.institutionAdmin.institutionId,
      roles: ['INSTITUTION_ADMIN'],
    });
    const { registerStudent } = await data(
      'schoolAdmin',
      `mutation($input: RegisterStudentInput!) { registerStudent(input: $input) { id } }`,
      {
        input: { schoolId, givenName: 'Lena', familyName: 'Leave', email: 'lena.leave@deactivation.example.edu', cohortYear: 2025 },
      },
    );
    const studentId = registerStudent.id as string;
    await waitFor(
      'rotations to learn the student',
      async () => (await count('SELECT count(*)::int AS n FROM known_student WHERE id = $1', [studentId])) === 1,
    );
    const { createRotationBlock } = await data(
      'coordinator',
      `mutation($input: CreateRotationBlockInput!) { createRotationBlock(input: $input) { id } }`,
      {
        input: { schoolId, academicYear: YEAR, name: 'Spring elective', startsOn: '2028-03-06', endsOn: '2028-04-28' },
      },
    );
    await data('hospital', `mutation($input: SetSiteCapacityInput!) { setSiteCapacity(input: $input) { seats } }`, {
      input: { departmentId: edDepartment, blockId: createRotationBlock.id, schoolId, seats: 1 },
    });
    const { createPlacement } = await data(
      'coordinator',
      `mutation($input: CreatePlacementInput!) { createPlacement(input: $input) { id status } }`,
      {
        input: { studentId, departmentId: edDepartment, blockId: createRotationBlock.id },
      },
    );
    expect(createPlacement.status).toBe('PROPOSED');

    // StudentStatusChanged travels network outbox -> relay -> rotations worker, which cancels the placement.
    await data('schoolAdmin', `mutation($input: PersonStatusChangeInput!) { deactivateStudent(input: $input) { status } }`, {
      input: { id: studentId, reason: 'Leave of absence' },
    });
    const LIST = `query($s: ID!) { placements(filter: { studentId: $s }) { edges { node { id status cancelReason block { name } department { name } } } } }`;
    const placementOf = async () => (await data('coordinator', LIST, { s: studentId })).placements.edges[0].node;
    await waitFor('rotations to cancel the placement', async () => (await placementOf()).status === 'CANCELLED', 120_000);
    expect(await placementOf()).toEqual({
      id: createPlacement.id,
      status: 'CANCELLED',
      cancelReason:
        'Lena Leave was deactivated by their school (Leave of absence); the placement in Spring elective had not begun and was cancelled.',
      block: { name: 'Spring elective' },
      department: { name: 'Emergency Department' },
    });
    // The seat is free again for another student.
    expect(
      await count(`SELECT count(*)::int AS n FROM placement WHERE block_id = $1 AND status <> 'CANCELLED'`, [createRotationBlock.id]),
    ).toBe(0);
  }, 240_000);
});
