import { asStudent, networkAdmin, staffOf } from './support/actors';
import { buildWorld, createBlock, M, registerStudent, type World, YEAR } from './support/fixtures';
import { codes, ok, refusalOf, type RotationsHarness, startRotations } from './support/harness';

let h: RotationsHarness;
let w: World;
beforeAll(async () => {
  h = await startRotations();
  w = await buildWorld(h);
});
afterAll(() => h.stop());

const BLOCKS = `query($schoolId: ID!, $year: String!) { rotationBlocks(schoolId: $schoolId, academicYear: $year) { id name startsOn endsOn academicYear school { id } } }`;

describe('rotation blocks', () => {
  it('lets the school coordinator build a calendar, listed in date order', async () => {
    const later = await createBlock(h, w.coordinatorA, {
      schoolId: w.schoolA,
      name: 'Block 2',
      startsOn: '2026-11-02',
      endsOn: '2026-12-18',
    });
    const first = await createBlock(h, w.coordinatorA, {
      schoolId: w.schoolA,
      name: 'Block 1',
      startsOn: '2026-09-07',
      endsOn: '2026-10-30',
    });
    const { rotationBlocks } = ok(await h.call(w.coordinatorA, BLOCKS, { schoolId: w.schoolA, year: YEAR }));
    expect(rotationBlocks.map((b: { id: string }) => b.id)).toEqual([first.id, later.id]);
    expect(rotationBlocks[0]).toMatchObject({
      name: 'Block 1',
      startsOn: '2026-09-07',
      endsOn: '2026-10-30',
      academicYear: YEAR,
      school: { id: w.schoolA },
    });
  });

  it('refuses a block that overlaps another of the school (even by one day), naming it', async () => {
    const response = await h.call(w.coordinatorA, M.createRotationBlock, {
      input: { schoolId: w.schoolA, academicYear: YEAR, name: 'Clash', startsOn: '2026-10-30', endsOn: '2026-11-01' },
    });
    expect(refusalOf(response)).toBe('CONFLICT/BLOCK_OVERLAP');
    expect(response.errors?.[0]?.extensions?.overlappingBlockName).toBe('Block 1');
    expect(response.errors?.[0]?.message).toContain('"Block 1"');
    // Another school's calendar is its own.
    await createBlock(h, w.coordinatorB, { schoolId: w.schoolB, name: 'Block 1', startsOn: '2026-10-01', endsOn: '2026-10-31' });
  });

  it('refuses two overlapping blocks created at the same moment (one wins)', async () => {
    const input = (name: string) => ({
      input: { schoolId: w.schoolA, academicYear: YEAR, name, startsOn: '2027-01-04', endsOn: '2027-02-26' },
    });
    const results = await Promise.all([
      h.call(w.coordinatorA, M.createRotationBlock, input('Race 1')),
      h.call(w.coordinatorA, M.createRotationBlock, input('Race 2')),
    ]);
    expect(results.map(refusalOf).sort()).toEqual(['CONFLICT/BLOCK_OVERLAP', 'none']);
  });

  it('validates input: academic year, dates, name', async () => {
    const bad = await h.call(w.coordinatorA, M.createRotationBlock, {
      input: { schoolId: w.schoolA, academicYear: '2026-2028', name: ' ', startsOn: '2027-05-10', endsOn: '2027-05-01' },
    });
    expect(codes(bad)).toEqual(['BAD_USER_INPUT']);
    const fields = (bad.errors?.[0]?.extensions?.fields as { path: string }[]).map((f) => f.path).sort();
    expect(fields).toEqual(['academicYear', 'endsOn', 'name']);
  });

  it("lets only the school's planners change its calendar", async () => {
    const input = { schoolId: w.schoolA, academicYear: YEAR, name: 'Nope', startsOn: '2027-06-01', endsOn: '2027-06-30' };
    expect(codes(await h.call(w.coordinatorB, M.createRotationBlock, { input }))).toEqual(['FORBIDDEN']);
    expect(codes(await h.call(staffOf(w.schoolA, 'TEACHER'), M.createRotationBlock, { input }))).toEqual(['FORBIDDEN']);
    expect(codes(await h.call(w.coordinatorH, M.createRotationBlock, { input }))).toEqual(['FORBIDDEN']);
  });

  it("shows the calendar to the school's people and partner hospitals' staff, not to others", async () => {
    const student = await registerStudent(h, w.schoolA);
    expect(ok(await h.call(asStudent(student), BLOCKS, { schoolId: w.schoolA, year: YEAR })).rotationBlocks.length).toBeGreaterThan(1);
    expect(ok(await h.call(w.ciD1.actor, BLOCKS, { schoolId: w.schoolA, year: YEAR })).rotationBlocks.length).toBeGreaterThan(1);
    expect(ok(await h.call(networkAdmin(), BLOCKS, { schoolId: w.schoolA, year: YEAR })).rotationBlocks.length).toBeGreaterThan(1);
    expect(codes(await h.call(w.coordinatorB, BLOCKS, { schoolId: w.schoolA, year: YEAR }))).toEqual(['FORBIDDEN']);
    expect(codes(await h.call(staffOf(w.hospitalK, 'COORDINATOR'), BLOCKS, { schoolId: w.schoolB, year: YEAR }))).toEqual(['FORBIDDEN']);
  });
});
