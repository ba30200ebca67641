import { randomUUID } from 'node:crypto';
import { processNextAllocationRun } from '../src/allocation/processor';
import { asStudent, staffOf } from './support/actors';
import { activateAgreement, buildWorld, createBlock, enrol, registerStudent, setSeats, type World, YEAR } from './support/fixtures';
import { codes, ok, type RotationsHarness, startRotations } from './support/harness';

/**
 * Requirement groups ("2 of {surgery, neurology, paediatrics}") and "A before B" precedences,
 * stored per program and track, carried into a run's snapshot, and enforced by the engine: all
 * through rotations' GraphQL.
 */

const SET_GROUP = `mutation($input: SetRotationRequirementGroupInput!) { setRotationRequirementGroup(input: $input) {
  id label specialties minBlocks maxBlocks programId trackId school { id } } }`;
const REMOVE_GROUP = `mutation($id: ID!) { removeRotationRequirementGroup(id: $id) }`;
const SET_PRECEDENCE = `mutation($input: SetRotationPrecedenceInput!) { setRotationPrecedence(input: $input) { id before after trackId } }`;
const REMOVE_PRECEDENCE = `mutation($id: ID!) { removeRotationPrecedence(id: $id) }`;
const GROUPS = `query($schoolId: ID!, $programId: ID) { rotationRequirementGroups(schoolId: $schoolId, programId: $programId) { id label minBlocks maxBlocks specialties } }`;
const PRECEDENCES = `query($schoolId: ID!) { rotationPrecedences(schoolId: $schoolId) { id before after trackId } }`;
const SET_REQUIREMENT = `mutation($input: SetRotationRequirementInput!) { setRotationRequirement(input: $input) { id } }`;
const START = `mutation($input: StartAllocationRunInput!) { startAllocationRun(input: $input) { id } }`;
const RUN = `query($id: ID!) { allocationRun(id: $id) { status infeasibility { reasons { message } }
  variations { mechanism status assignments(first: 100) { edges { node { student { id } department { id } block { id } } } } } } }`;
const OPEN = `mutation($input: OpenPreferenceWindowInput!) { openPreferenceWindow(input: $input) { id } }`;
const SUBMIT = `mutation($input: SubmitPreferencesInput!) { submitPreferences(input: $input) { rank } }`;

let h: RotationsHarness;
let w: World;
const programId = randomUUID();

beforeAll(async () => {
  h = await startRotations();
  w = await buildWorld(h);
});
afterAll(() => h.stop());

describe('requirement groups and precedences', () => {
  it('are set by the school’s planners only, validated, listed, replaced by label and removed', async () => {
    const input = { schoolId: w.schoolA, programId, label: 'Core electives', specialties: ['SURGERY', 'NEUROLOGY'], minBlocks: 1 };
    expect(codes(await h.call(w.coordinatorB, SET_GROUP, { input }))).toEqual(['FORBIDDEN']);
    expect(codes(await h.call(staffOf(w.schoolA, 'CLINICAL_INSTRUCTOR'), SET_GROUP, { input }))).toEqual(['FORBIDDEN']);
    expect(codes(await h.call(asStudent({ id: randomUUID(), schoolId: w.schoolA }), SET_GROUP, { input }))).toEqual(['FORBIDDEN']);
    for (const bad of [
      { ...input, specialties: ['SURGERY'] },
      { ...input, specialties: ['SURGERY', 'SURGERY'] },
      { ...input, minBlocks: 3 },
      { ...input, minBlocks: 2, maxBlocks: 1 },
      { ...input, label: '  ' },
      { ...input, specialties: ['SURGERY', 'ASTROLOGY'] },
    ])
      expect(codes(await h.call(w.coordinatorA, SET_GROUP, { input: bad }))).toEqual(['BAD_USER_INPUT']);

    const first = ok(await h.call(w.coordinatorA, SET_GROUP, { input })).setRotationRequirementGroup;
    expect(first).toMatchObject({ minBlocks: 1, maxBlocks: 1, trackId: null, school: { id: w.schoolA } });
    // The same label (any case) replaces the group.
    const again = ok(
      await h.call(w.coordinatorA, SET_GROUP, {
        input: { ...input, label: 'core ELECTIVES', specialties: ['SURGERY', 'NEUROLOGY', 'PEDIATRICS'], minBlocks: 2 },
      }),
    ).setRotationRequirementGroup;
    expect(again.id).toBe(first.id);
    const listed = ok(await h.call(w.coordinatorA, GROUPS, { schoolId: w.schoolA, programId })).rotationRequirementGroups;
    expect(listed).toEqual([
      { id: first.id, label: 'core ELECTIVES', minBlocks: 2, maxBlocks: 2, specialties: ['SURGERY', 'NEUROLOGY', 'PEDIATRICS'] },
    ]);
    expect(codes(await h.call(w.coordinatorB, GROUPS, { schoolId: w.schoolA }))).toEqual(['FORBIDDEN']);

    const precedence = { schoolId: w.schoolA, programId, before: 'INTERNAL_MEDICINE', after: 'SURGERY' };
    expect(codes(await h.call(w.coordinatorB, SET_PRECEDENCE, { input: precedence }))).toEqual(['FORBIDDEN']);
    expect(codes(await h.call(w.coordinatorA, SET_PRECEDENCE, { input: { ...precedence, after: 'INTERNAL_MEDICINE' } }))).toEqual([
      'BAD_USER_INPUT',
    ]);
    const p = ok(await h.call(w.coordinatorA, SET_PRECEDENCE, { input: precedence })).setRotationPrecedence;
    expect(ok(await h.call(w.coordinatorA, SET_PRECEDENCE, { input: precedence })).setRotationPrecedence.id).toBe(p.id);
    expect(ok(await h.call(w.coordinatorA, PRECEDENCES, { schoolId: w.schoolA })).rotationPrecedences).toEqual([
      { id: p.id, before: 'INTERNAL_MEDICINE', after: 'SURGERY', trackId: null },
    ]);

    // Another school's coordinator cannot remove them; a removed one is gone (and NOT_FOUND after).
    expect(codes(await h.call(w.coordinatorB, REMOVE_PRECEDENCE, { id: p.id }))).toEqual(['FORBIDDEN']);
    expect(codes(await h.call(w.coordinatorB, REMOVE_GROUP, { id: first.id }))).toEqual(['FORBIDDEN']);
    expect(ok(await h.call(w.coordinatorA, REMOVE_PRECEDENCE, { id: p.id })).removeRotationPrecedence).toBe(p.id);
    expect(ok(await h.call(w.coordinatorA, REMOVE_GROUP, { id: first.id })).removeRotationRequirementGroup).toBe(first.id);
    expect(codes(await h.call(w.coordinatorA, REMOVE_GROUP, { id: first.id }))).toEqual(['NOT_FOUND']);
    expect(ok(await h.call(w.coordinatorA, GROUPS, { schoolId: w.schoolA })).rotationRequirementGroups).toEqual([]);
  });

  it('reach the run’s snapshot, and the engine chooses the group’s members by preference in the order the precedences ask', async () => {
    const other = await buildWorld(h);
    const dept = { im: randomUUID(), surgery: randomUUID(), neurology: randomUUID(), pediatrics: randomUUID() };
    await activateAgreement(h, {
      schoolId: other.schoolA,
      hospitalId: other.hospitalH,
      departmentIds: Object.values(dept),
      startsOn: '2026-01-01',
      endsOn: '2027-12-31',
      departmentSpecialties: [
        { departmentId: dept.im, specialty: 'INTERNAL_MEDICINE' },
        { departmentId: dept.surgery, specialty: 'SURGERY' },
        { departmentId: dept.neurology, specialty: 'NEUROLOGY' },
        { departmentId: dept.pediatrics, specialty: 'PEDIATRICS' },
      ],
    });
    const blocks: string[] = [];
    const dates: [string, string][] = [
      ['2026-09-01', '2026-09-30'],
      ['2026-10-01', '2026-10-31'],
      ['2026-11-01', '2026-11-30'],
    ];
    for (const [i, [startsOn, endsOn]] of dates.entries())
      blocks.push((await createBlock(h, other.coordinatorA, { schoolId: other.schoolA, name: `Block ${i + 1}`, startsOn, endsOn })).id);
    for (const blockId of blocks)
      for (const departmentId of Object.values(dept))
        await setSeats(h, other.coordinatorH, { departmentId, blockId, schoolId: other.schoolA, seats: 2 });

    const program = randomUUID();
    const track = randomUUID();
    const plan = (query: string, input: Record<string, unknown>) =>
      h.call(other.coordinatorA, query, { input: { schoolId: other.schoolA, programId: program, ...input } });
    ok(await plan(SET_REQUIREMENT, { specialty: 'INTERNAL_MEDICINE', blocks: 1 }));
    ok(
      await plan(SET_GROUP, {
        label: '2 of surgery, neurology, paediatrics',
        specialties: ['SURGERY', 'NEUROLOGY', 'PEDIATRICS'],
        minBlocks: 2,
      }),
    );
    // The whole program: neurology before internal medicine; the track adds internal medicine before surgery.
    ok(await plan(SET_PRECEDENCE, { before: 'NEUROLOGY', after: 'INTERNAL_MEDICINE' }));
    ok(await plan(SET_PRECEDENCE, { trackId: track, before: 'INTERNAL_MEDICINE', after: 'SURGERY' }));

    const onTrack = await registerStudent(h, other.schoolA, { givenName: 'Tia', familyName: 'Track' });
    const offTrack = await registerStudent(h, other.schoolA, { givenName: 'Omar', familyName: 'Other' });
    await enrol(h, onTrack, program, track);
    await enrol(h, offTrack, program);
    const now = Date.now();
    ok(
      await h.call(other.coordinatorA, OPEN, {
        input: {
          schoolId: other.schoolA,
          academicYear: YEAR,
          opensAt: new Date(now - 3_600_000).toISOString(),
          closesAt: new Date(now + 3_600_000).toISOString(),
        },
      }),
    );
    // Both want surgery in the first block above all, and rank paediatrics last.
    for (const s of [onTrack, offTrack])
      ok(
        await h.call(asStudent(s), SUBMIT, {
          input: {
            studentId: s.id,
            academicYear: YEAR,
            rankings: [
              { rank: 1, departmentId: dept.surgery, blockId: blocks[0] },
              { rank: 2, departmentId: dept.im },
              { rank: 3, departmentId: dept.surgery },
              { rank: 4, departmentId: dept.neurology },
              { rank: 5, departmentId: dept.pediatrics },
            ],
          },
        }),
      );

    const run = ok(await h.call(other.coordinatorA, START, { input: { schoolId: other.schoolA, blockIds: blocks, mechanism: 'OPTIMAL' } }))
      .startAllocationRun as { id: string };
    const [row] = (await h.dataSource.query(`SELECT input FROM allocation_run WHERE id = $1`, [run.id])) as {
      input: {
        students: { id: string; requirement: { blocksToFill: number; groups?: unknown[]; specialties: unknown[] } }[];
        precedences: unknown[];
      };
    }[];
    const requirementOf = (id: string) => row!.input.students.find((s) => s.id === id)!.requirement;
    expect(requirementOf(onTrack.id)).toEqual({
      blocksToFill: 3,
      electiveMaxBlocks: 0,
      specialties: [
        { specialty: 'INTERNAL_MEDICINE', minBlocks: 1 },
        { specialty: 'NEUROLOGY', minBlocks: 0, maxBlocks: 1 },
        { specialty: 'PEDIATRICS', minBlocks: 0, maxBlocks: 1 },
        { specialty: 'SURGERY', minBlocks: 0, maxBlocks: 1 },
      ],
      groups: [
        { specialties: ['NEUROLOGY', 'PEDIATRICS', 'SURGERY'], minBlocks: 2, maxBlocks: 2, label: '2 of surgery, neurology, paediatrics' },
      ],
    });
    expect(row!.input.precedences).toEqual(
      expect.arrayContaining([
        { studentId: onTrack.id, before: 'INTERNAL_MEDICINE', after: 'SURGERY' },
        { studentId: onTrack.id, before: 'NEUROLOGY', after: 'INTERNAL_MEDICINE' },
        { studentId: offTrack.id, before: 'NEUROLOGY', after: 'INTERNAL_MEDICINE' },
      ]),
    );
    expect(row!.input.precedences).toHaveLength(3);

    expect(await processNextAllocationRun(h.dataSource, { pollMs: 50 })).toBe(true);
    const done = ok(await h.call(other.coordinatorA, RUN, { id: run.id })).allocationRun;
    expect(done.status).toBe('SUCCEEDED');
    const optimal = (
      done.variations as {
        mechanism: string;
        assignments: { edges: { node: { student: { id: string }; department: { id: string }; block: { id: string } } }[] };
      }[]
    ).find((v) => v.mechanism === 'OPTIMAL')!;
    const scheduleOf = (studentId: string) =>
      blocks.map(
        (b) => optimal.assignments.edges.find((e) => e.node.student.id === studentId && e.node.block.id === b)?.node.department.id,
      );
    // The group's members by preference (surgery, neurology; not paediatrics), in the order the precedences force.
    expect(scheduleOf(onTrack.id)).toEqual([dept.neurology, dept.im, dept.surgery]);
    // Off the track only neurology before internal medicine binds: surgery in the first block, as wished.
    expect(scheduleOf(offTrack.id)).toEqual([dept.surgery, dept.neurology, dept.im]);
  });
});
