import { type DemoNetworkSummary } from '@medcollab/demo-world';
import { seedDemoNetwork } from '@medcollab/network';
import { e2eClient, tokenFor } from '@medcollab/testing';
import { type Pipeline, startPipeline, waitFor } from '../support/pipeline';

/**
 * ADR 0035 end to end, through the real gateway with the real workers (network, curriculum,
 * rotations with its allocation task, assessment). Two students' programs ask for an 8-week
 * surgery (one rotation of 2 blocks). Run A is solved on that; then the second program asks for
 * one block of surgery and run B is solved. A is published, then B supersedes it: the second
 * student's placement that B keeps loses A's link, so its completion is assessed on its own; the
 * first student's rotation (B's now) has its last part cancelled after the first completed, so
 * the first part's completion is announced again and assessment assesses the shorter rotation.
 */
let p: Pipeline;
let demo: DemoNetworkSummary;
const tokens: Record<string, string> = {};
const { gql, data } = e2eClient(() => p.supergraph, tokens);
const rows = async <T>(ds: 'rotations' | 'assessment', sql: string, params: unknown[] = []): Promise<T[]> =>
  (await p[ds].dataSource.query(sql, params)) as T[];
const count = async (ds: 'rotations' | 'assessment', sql: string, params: unknown[] = []): Promise<number> =>
  (await rows<{ n: number }>(ds, sql, params))[0]!.n;

const YEAR = '2028-2029';
let schoolId: string;
let surgery: string;
let blocks: string[];
let first: string;
let second: string;
let secondProgram: string;

const START = `mutation($input: StartAllocationRunInput!) { startAllocationRun(input: $input) { id } }`;
const RUN = `query($id: ID!) { allocationRun(id: $id) { status } }`;
const PUBLISH = `mutation($id: ID!, $s: Boolean) { publishAllocationRun(runId: $id, variation: OPTIMAL, supersede: $s) { publishedVariation } }`;
const SET = `mutation($input: SetRotationRequirementInput!) { setRotationRequirement(input: $input) { id } }`;
const step = (who: string, mutation: string, id: string) =>
  data(who, `mutation($id: ID!) { ${mutation}(input: { id: $id }) { status } }`, { id });

async function solvedRun(): Promise<string> {
  const { startAllocationRun } = await data('coordinator', START, {
    input: { schoolId, blockIds: blocks, mechanism: 'OPTIMAL', options: { seed: 'adr-0035', timeLimitSeconds: 60 } },
  });
  await waitFor(
    'the worker to solve the run',
    async () => (await data('coordinator', RUN, { id: startAllocationRun.id })).allocationRun.status === 'SUCCEEDED',
    180_000,
  );
  return startAllocationRun.id as string;
}

interface Part {
  id: string;
  block: string;
  status: string;
  rotation_id: string | null;
  rotation_part: number | null;
  rotation_parts: number | null;
  rotation_name: string | null;
}
const partsOf = (studentId: string) =>
  rows<Part>(
    'rotations',
    `SELECT p.id, b.name AS block, p.status, p.rotation_id, p.rotation_part, p.rotation_parts, p.rotation_name
       FROM placement p JOIN rotation_block b ON b.id = p.block_id WHERE p.student_id = $1 ORDER BY b.starts_on, p.status`,
    [studentId],
  );
interface Task {
  role: string;
  placement_id: string;
  rotation_name: string | null;
  covers_starts_on: string;
  covers_ends_on: string;
}
const tasksOf = (studentId: string) =>
  rows<Task>(
    'assessment',
    `SELECT role, placement_id, rotation_name, covers_starts_on::text, covers_ends_on::text FROM assessment_task WHERE student_id = $1 ORDER BY role`,
    [studentId],
  );

beforeAll(async () => {
  p = await startPipeline({}, { allocation: true, demo: true });
  demo = await seedDemoNetwork(p.network.dataSource);
  schoolId = demo.coordinator.institutionId;
  const hospitalId = demo.hospitalCoordinator.institutionId;
  const person = (x: { id: string; institutionId: string }, role: 'INSTITUTION_ADMIN' | 'COORDINATOR' | 'NETWORK_ADMIN') =>
    tokenFor({ personId: x.id, institutionId: x.institutionId, roles: [role] });
  tokens.schoolAdmin = await person(demo.institutionAdmin, 'INSTITUTION_ADMIN');
  tokens.coordinator = await person(demo.coordinator, 'COORDINATOR');
  tokens.hospital = await person(demo.hospitalCoordinator, 'COORDINATOR');
  tokens.admin = await person(demo.networkAdmin, 'NETWORK_ADMIN');
  const { institution } = await data('admin', `query($id: ID!) { institution(id: $id) { departments { id specialty } } }`, {
    id: hospitalId,
  });
  surgery = institution.departments.find((d: { specialty: string }) => d.specialty === 'SURGERY').id;
  await waitFor(
    'rotations and assessment to learn the demo network',
    async () =>
      (await count('rotations', 'SELECT count(*)::int AS n FROM known_student')) === demo.counts.students &&
      (await count('rotations', `SELECT count(*)::int AS n FROM known_department WHERE id = $1 AND specialty = 'SURGERY'`, [surgery])) ===
        1 &&
      (await count('assessment', 'SELECT count(*)::int AS n FROM known_student')) === demo.counts.students,
    120_000,
  );
  const students = await rows<{ id: string }>('rotations', 'SELECT id FROM known_student WHERE school_id = $1 ORDER BY id', [schoolId]);
  [first, second] = [demo.student.id, students.find((s) => s.id !== demo.student.id)!.id];

  blocks = [];
  for (const [name, startsOn, endsOn] of [
    ['Winter A', '2028-11-06', '2028-12-03'],
    ['Winter B', '2028-12-04', '2028-12-31'],
  ] as const) {
    const { createRotationBlock } = await data(
      'coordinator',
      `mutation($input: CreateRotationBlockInput!) { createRotationBlock(input: $input) { id } }`,
      { input: { schoolId, academicYear: YEAR, name, startsOn, endsOn } },
    );
    blocks.push(createRotationBlock.id);
    // Every student of the school fits in General Surgery in each block.
    await data('hospital', `mutation($input: SetSiteCapacityInput!) { setSiteCapacity(input: $input) { seats } }`, {
      input: { departmentId: surgery, blockId: createRotationBlock.id, schoolId, seats: students.length },
    });
  }
  const programs: string[] = [];
  for (const [studentId, title] of [
    [first, 'Surgical pathway'],
    [second, 'Medical pathway'],
  ] as const) {
    const { createProgram } = await data('schoolAdmin', `mutation($input: CreateProgramInput!) { createProgram(input: $input) { id } }`, {
      input: { schoolId, title },
    });
    programs.push(createProgram.id);
    await data('coordinator', `mutation($input: EnrollStudentInput!) { enrollStudent(input: $input) { id } }`, {
      input: { studentId, programId: createProgram.id },
    });
    await data('coordinator', SET, {
      input: { schoolId, programId: createProgram.id, specialty: 'SURGERY', blocks: 2, durationBlocks: 2 },
    });
  }
  secondProgram = programs[1]!;
  await waitFor(
    'rotations to learn both enrolments',
    async () =>
      (await count('rotations', `SELECT count(*)::int AS n FROM known_enrollment WHERE program_id = ANY($1::uuid[])`, [programs])) === 2,
  );
}, 300_000);
afterAll(() => p?.stop());

describe('rotation links under change, across rotations and assessment (ADR 0035)', () => {
  it('a superseding run clears the earlier link from the placement it keeps; a cancelled last part leaves the first part assessed', async () => {
    const runA = await solvedRun();
    await data('coordinator', SET, { input: { schoolId, programId: secondProgram, specialty: 'SURGERY', blocks: 1, durationBlocks: 1 } });
    const runB = await solvedRun();
    expect((await data('coordinator', PUBLISH, { id: runA })).publishAllocationRun.publishedVariation).toBe('OPTIMAL');
    const secondBefore = await partsOf(second);
    expect(secondBefore.map((x) => [x.block, x.rotation_part, x.rotation_parts])).toEqual([
      ['Winter A', 1, 2],
      ['Winter B', 2, 2],
    ]);

    const refused = await gql('coordinator', PUBLISH, { id: runB });
    expect(refused.errors[0].extensions).toMatchObject({ code: 'CONFLICT', reason: 'BLOCKS_ALREADY_PUBLISHED' });
    expect((await data('coordinator', PUBLISH, { id: runB, s: true })).publishAllocationRun.publishedVariation).toBe('OPTIMAL');

    // The second student: B keeps one of A's two parts (the same row), without A's link.
    const secondAfter = await partsOf(second);
    const kept = secondAfter.filter((x) => x.status === 'PROPOSED');
    expect(kept).toHaveLength(1);
    expect(secondBefore.map((x) => x.id)).toContain(kept[0]!.id);
    expect(kept[0]).toMatchObject({ rotation_id: null, rotation_part: null, rotation_name: null });

    // The first student: B's own 2-block rotation.
    const [one, two] = (await partsOf(first)).filter((x) => x.status === 'PROPOSED') as [Part, Part];
    expect([one, two].map((x) => [x.block, x.rotation_part, x.rotation_parts])).toEqual([
      ['Winter A', 1, 2],
      ['Winter B', 2, 2],
    ]);
    expect(one.rotation_name).toMatch(/^SURGERY at .+, Winter A – Winter B$/);

    for (const id of [kept[0]!.id, one.id, two.id]) await step('coordinator', 'confirmPlacement', id);
    for (const id of [kept[0]!.id, one.id]) {
      await step('hospital', 'startPlacement', id);
      await step('hospital', 'completePlacement', id);
    }
    await step('hospital', 'startPlacement', two.id);
    // The kept placement is assessed on its own, covering its own block.
    await waitFor('the kept placement to be assessed', async () => (await tasksOf(second)).length > 0);
    const [keptBlock] = await rows<{ starts_on: string; ends_on: string }>(
      'rotations',
      `SELECT starts_on::text, ends_on::text FROM placement WHERE id = $1`,
      [kept[0]!.id],
    );
    expect((await tasksOf(second)).find((t) => t.role === 'SITE_EVALUATION')).toEqual({
      role: 'SITE_EVALUATION',
      placement_id: kept[0]!.id,
      rotation_name: null,
      covers_starts_on: keptBlock!.starts_on,
      covers_ends_on: keptBlock!.ends_on,
    });
    // The first student's first part completed as part 1 of 2: no task yet.
    await waitFor(
      'the first part’s completion to reach assessment',
      async () =>
        (await count('assessment', `SELECT count(*)::int AS n FROM known_placement WHERE id = $1 AND status = 'COMPLETED'`, [one.id])) ===
        1,
    );
    expect(await tasksOf(first)).toEqual([]);

    // The last part is cancelled (the student left mid-way): the first part is the rotation now, and is assessed.
    const cancelled = await data('coordinator', `mutation($input: CancelPlacementInput!) { cancelPlacement(input: $input) { status } }`, {
      input: { id: two.id, reason: 'student left the rotation' },
    });
    expect(cancelled.cancelPlacement.status).toBe('CANCELLED');
    await waitFor('the shorter rotation to be assessed', async () => (await tasksOf(first)).length > 0);
    expect((await tasksOf(first)).find((t) => t.role === 'SITE_EVALUATION')).toEqual({
      role: 'SITE_EVALUATION',
      placement_id: one.id,
      rotation_name: one.rotation_name!.replace(/, Winter A – Winter B$/, ', Winter A'),
      covers_starts_on: '2028-11-06',
      covers_ends_on: '2028-12-03',
    });
    // Through the gateway, the coordinator reads the task with the rotation it covers.
    const { placement } = await data(
      'coordinator',
      `query($id: ID!) { placement(id: $id) { assessmentTasks { role rotation coversFrom coversUntil } } }`,
      { id: one.id },
    );
    expect(placement.assessmentTasks).toContainEqual({
      role: 'SITE_EVALUATION',
      rotation: one.rotation_name!.replace(/, Winter A – Winter B$/, ', Winter A'),
      coversFrom: '2028-11-06',
      coversUntil: '2028-12-03',
    });
  });
});
