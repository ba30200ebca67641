import { randomUUID } from 'node:crypto';
import { asStudent, staffOf } from './support/actors';
import { buildWorld, registerStudent, type World } from './support/fixtures';
import { codes, ok, type RotationsHarness, startRotations } from './support/harness';

const SET = `mutation($input: SetRotationRequirementInput!) { setRotationRequirement(input: $input) { id programId trackId specialty blocks prerequisiteModuleIds updatedBy school { id } } }`;
const LIST = `query($school: ID!, $program: ID) { rotationRequirements(schoolId: $school, programId: $program) { id trackId specialty blocks } }`;

let h: RotationsHarness;
let w: World;
beforeAll(async () => {
  h = await startRotations();
  w = await buildWorld(h);
});
afterAll(() => h.stop());

describe('rotation requirements', () => {
  const programId = randomUUID();
  const trackId = randomUUID();
  const moduleId = randomUUID();

  it('sets a requirement per program, track and specialty, replacing it when set again', async () => {
    const input = { schoolId: w.schoolA, programId, specialty: 'SURGERY', blocks: 2, prerequisiteModuleIds: [moduleId, moduleId] };
    const first = ok(await h.call(w.coordinatorA, SET, { input })).setRotationRequirement;
    expect(first).toMatchObject({
      programId,
      trackId: null,
      specialty: 'SURGERY',
      blocks: 2,
      prerequisiteModuleIds: [moduleId],
      updatedBy: w.coordinatorA.personId,
      school: { id: w.schoolA },
    });
    const again = ok(await h.call(w.coordinatorA, SET, { input: { ...input, blocks: 3 } })).setRotationRequirement;
    expect(again).toMatchObject({ id: first.id, blocks: 3 });
    const track = ok(await h.call(w.coordinatorA, SET, { input: { ...input, trackId, blocks: 4 } })).setRotationRequirement;
    expect(track.id).not.toBe(first.id);
    const { rotationRequirements } = ok(
      await h.call(asStudent(await registerStudent(h, w.schoolA)), LIST, { school: w.schoolA, program: programId }),
    );
    expect(rotationRequirements.map((r: { blocks: number }) => r.blocks).sort()).toEqual([3, 4]);
  });

  it('validates input and lets only the school set or read them', async () => {
    const input = { schoolId: w.schoolA, programId, specialty: 'ICU', blocks: 0 };
    expect(codes(await h.call(w.coordinatorA, SET, { input }))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await h.call(w.coordinatorB, SET, { input: { ...input, blocks: 1 } }))).toEqual(['FORBIDDEN']);
    expect(codes(await h.call(staffOf(w.schoolA, 'TEACHER'), SET, { input: { ...input, blocks: 1 } }))).toEqual(['FORBIDDEN']);
    expect(codes(await h.call(w.coordinatorH, LIST, { school: w.schoolA }))).toEqual(['FORBIDDEN']);
  });
});
