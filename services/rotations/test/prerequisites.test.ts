import { randomUUID } from 'node:crypto';
import { type Actor } from '@medcollab/kit';
import { asStudent } from './support/actors';
import {
  activateAgreement,
  changeEnrolment,
  completeModule,
  createBlock,
  enrol,
  M,
  propose,
  type Ref,
  registerStaff,
  registerStudent,
  setSeats,
  step,
  type StudentRef,
} from './support/fixtures';
import { ok, refusalOf, type RotationsHarness, startRotations } from './support/harness';

/**
 * The prerequisite rule through the API: the department's specialty comes from the network's
 * AgreementActivated, the student's program, track and completed modules from the curriculum's
 * EnrollmentChanged and ModuleCompleted, fed through the rotations consumer as the worker would.
 */
const SET_REQUIREMENT = `mutation($input: SetRotationRequirementInput!) { setRotationRequirement(input: $input) { id } }`;
const REQUEST = `mutation($input: RequestSwapInput!) { requestSwap(input: $input) { id status } }`;
const DECIDE = `mutation($id: ID!) { decideSwap(input: { id: $id, approve: true }) { id status } }`;
const PLACEMENT = `query($id: ID!) { placement(id: $id) { status department { id } } }`;

let h: RotationsHarness;
const school = randomUUID();
const hospital = randomUUID();
const [surgery, medicine, noSpecialty, unannounced] = [randomUUID(), randomUUID(), randomUUID(), randomUUID()] as [
  string,
  string,
  string,
  string,
];
const program = randomUUID();
const researchTrack = randomUUID();
const [anatomy, asepsis] = [randomUUID(), randomUUID()].sort() as [string, string];
let coordinator: Actor;
let autumn: Ref;
let winter: Ref;

const requirement = async (input: { programId: string; specialty: string; trackId?: string; prerequisiteModuleIds: string[] }) =>
  ok(await h.call(coordinator, SET_REQUIREMENT, { input: { schoolId: school, blocks: 1, ...input } }));
const tryPropose = (student: StudentRef, departmentId: string, blockId = autumn.id) =>
  h.call(coordinator, M.createPlacement, { input: { studentId: student.id, departmentId, blockId } });
const placementCount = async (): Promise<number> =>
  ((await h.dataSource.query('SELECT count(*)::int AS n FROM placement')) as { n: number }[])[0]!.n;

beforeAll(async () => {
  h = await startRotations();
  await activateAgreement(h, {
    schoolId: school,
    hospitalId: hospital,
    departmentIds: [surgery, medicine, noSpecialty],
    startsOn: '2026-01-01',
    endsOn: '2027-12-31',
    departmentSpecialties: [
      { departmentId: surgery, specialty: 'SURGERY' },
      { departmentId: medicine, specialty: 'INTERNAL_MEDICINE' },
      { departmentId: noSpecialty, specialty: null },
    ],
  });
  // An agreement event from before specialties were announced: the department's stays unknown.
  await activateAgreement(h, {
    schoolId: school,
    hospitalId: hospital,
    departmentIds: [unannounced],
    startsOn: '2026-01-01',
    endsOn: '2027-12-31',
  });
  coordinator = (await registerStaff(h, school, ['COORDINATOR'])).actor;
  const hospitalCoordinator = (await registerStaff(h, hospital, ['COORDINATOR'])).actor;
  autumn = await createBlock(h, coordinator, { schoolId: school, name: 'Autumn', startsOn: '2026-09-07', endsOn: '2026-10-30' });
  winter = await createBlock(h, coordinator, { schoolId: school, name: 'Winter', startsOn: '2027-01-04', endsOn: '2027-02-26' });
  for (const blockId of [autumn.id, winter.id]) {
    for (const departmentId of [surgery, medicine, noSpecialty, unannounced])
      await setSeats(h, hospitalCoordinator, { departmentId, blockId, schoolId: school, seats: 20 });
  }
  // Surgery needs anatomy and asepsis first, except on the research track; internal medicine needs nothing.
  await requirement({ programId: program, specialty: 'SURGERY', prerequisiteModuleIds: [asepsis, anatomy] });
  await requirement({ programId: program, specialty: 'SURGERY', trackId: researchTrack, prerequisiteModuleIds: [] });
  await requirement({ programId: program, specialty: 'INTERNAL_MEDICINE', prerequisiteModuleIds: [] });
});
afterAll(() => h.stop());

describe('prerequisites of rotation requirements', () => {
  it('refuses a placement CONFLICT/PREREQUISITE_NOT_MET naming the missing modules until every completion has arrived', async () => {
    const student = await registerStudent(h, school);
    const enrolment = await enrol(h, student, program);
    const before = await placementCount();

    const refused = await tryPropose(student, surgery);
    expect(refusalOf(refused)).toBe('CONFLICT/PREREQUISITE_NOT_MET');
    expect(refused.errors?.[0]?.extensions).toMatchObject({
      departmentId: surgery,
      specialty: 'SURGERY',
      missingModuleIds: [anatomy, asepsis],
      requirementIds: [expect.any(String)],
    });
    expect(await placementCount()).toBe(before);

    await completeModule(h, enrolment, anatomy);
    const still = await tryPropose(student, surgery);
    expect(refusalOf(still)).toBe('CONFLICT/PREREQUISITE_NOT_MET');
    expect(still.errors?.[0]?.extensions?.missingModuleIds).toEqual([asepsis]);

    await completeModule(h, enrolment, asepsis);
    expect(ok(await tryPropose(student, surgery)).createPlacement.status).toBe('PROPOSED');
  });

  it("applies the track's own requirement instead of the program's, and follows track changes", async () => {
    const researcher = await registerStudent(h, school);
    await enrol(h, researcher, program, researchTrack);
    expect(refusalOf(await tryPropose(researcher, surgery))).toBe('none');

    const mover = await registerStudent(h, school);
    const moving = await enrol(h, mover, program, researchTrack);
    await changeEnrolment(h, moving, 'TRACK_CHANGED', randomUUID());
    expect(refusalOf(await tryPropose(mover, surgery))).toBe('CONFLICT/PREREQUISITE_NOT_MET');
    await changeEnrolment(h, moving, 'TRACK_CHANGED', researchTrack);
    expect(refusalOf(await tryPropose(mover, surgery))).toBe('none');
  });

  it('asks nothing of a student with no known or no active enrolment, nor for other specialties or departments of unknown specialty', async () => {
    expect(refusalOf(await tryPropose(await registerStudent(h, school), surgery))).toBe('none');
    const leaver = await registerStudent(h, school);
    await changeEnrolment(h, await enrol(h, leaver, program), 'WITHDRAWN');
    expect(refusalOf(await tryPropose(leaver, surgery))).toBe('none');

    const enrolled = await registerStudent(h, school);
    await enrol(h, enrolled, program);
    expect(refusalOf(await tryPropose(enrolled, medicine, autumn.id))).toBe('none');
    expect(refusalOf(await tryPropose(enrolled, noSpecialty, winter.id))).toBe('none');
    const another = await registerStudent(h, school);
    await enrol(h, another, program);
    expect(refusalOf(await tryPropose(another, unannounced))).toBe('none');
  });

  it('re-checks on confirmation: a requirement tightened after the proposal refuses it until the module is completed', async () => {
    const otherProgram = randomUUID();
    const module = randomUUID();
    const student = await registerStudent(h, school);
    const enrolment = await enrol(h, student, otherProgram);
    const placement = await propose(h, coordinator, { studentId: student.id, departmentId: medicine, blockId: autumn.id });

    await requirement({ programId: otherProgram, specialty: 'INTERNAL_MEDICINE', prerequisiteModuleIds: [module] });
    const refused = await h.call(coordinator, M.confirmPlacement, { input: { id: placement.id } });
    expect(refusalOf(refused)).toBe('CONFLICT/PREREQUISITE_NOT_MET');
    expect(refused.errors?.[0]?.extensions?.missingModuleIds).toEqual([module]);
    expect(ok(await h.call(coordinator, PLACEMENT, { id: placement.id })).placement.status).toBe('PROPOSED');

    await completeModule(h, enrolment, module);
    expect(await step(h, coordinator, 'confirmPlacement', placement.id)).toBe('CONFIRMED');
  });

  it('checks a swap for the student who changes department, when asked and again when approved', async () => {
    const ready = await registerStudent(h, school);
    const readyEnrolment = await enrol(h, ready, program);
    for (const m of [anatomy, asepsis]) await completeModule(h, readyEnrolment, m);
    const notReady = await registerStudent(h, school);
    await enrol(h, notReady, program);
    const atSurgery = await propose(h, coordinator, { studentId: ready.id, departmentId: surgery, blockId: winter.id });
    const atMedicine = await propose(h, coordinator, { studentId: notReady.id, departmentId: medicine, blockId: autumn.id });
    // An exchange would send the student who lacks the modules to surgery; so would a move.
    expect(
      refusalOf(await h.call(asStudent(ready), REQUEST, { input: { placementId: atSurgery.id, withPlacementId: atMedicine.id } })),
    ).toBe('CONFLICT/PREREQUISITE_NOT_MET');
    expect(refusalOf(await h.call(asStudent(notReady), REQUEST, { input: { placementId: atMedicine.id, toDepartmentId: surgery } }))).toBe(
      'CONFLICT/PREREQUISITE_NOT_MET',
    );

    // Asked while no requirement applied; refused at approval once one does.
    const otherProgram = randomUUID();
    const module = randomUUID();
    const late = await registerStudent(h, school);
    const lateEnrolment = await enrol(h, late, otherProgram);
    const placement = await propose(h, coordinator, { studentId: late.id, departmentId: medicine, blockId: winter.id });
    const { requestSwap } = ok(await h.call(asStudent(late), REQUEST, { input: { placementId: placement.id, toDepartmentId: surgery } }));
    await requirement({ programId: otherProgram, specialty: 'SURGERY', prerequisiteModuleIds: [module] });
    expect(refusalOf(await h.call(coordinator, DECIDE, { id: requestSwap.id }))).toBe('CONFLICT/PREREQUISITE_NOT_MET');
    expect(ok(await h.call(coordinator, PLACEMENT, { id: placement.id })).placement.department.id).toBe(medicine);

    await completeModule(h, lateEnrolment, module);
    expect(ok(await h.call(coordinator, DECIDE, { id: requestSwap.id })).decideSwap.status).toBe('APPROVED');
    expect(ok(await h.call(coordinator, PLACEMENT, { id: placement.id })).placement.department.id).toBe(surgery);
  });
});
