import { randomUUID } from 'node:crypto';
import { AgreementActivated, ProgramPublished } from '@medcollab/events';
import { INSTRUMENT_LIBRARY } from '../src/seed/instrument-library';
import { buildWorld, emit, enrol, placementAt, publishLibrary, registerStudent, runPlacement, type World } from './support/fixtures';
import { type AssessmentHarness, ok, startAssessment } from './support/harness';

/**
 * AssessmentSubmitted names the module the task's placement belongs to (quality's learner outcomes
 * per module, ADR 0043), by the rule of evaluations (ADR 0031): the first of the student's
 * program's modules, in the program's order, that integrates the department's specialty.
 */
let h: AssessmentHarness;
let w: World;

beforeAll(async () => {
  h = await startAssessment();
  w = await buildWorld(h);
  await publishLibrary(h);
});
afterAll(() => h.stop());

const SUBMIT = `mutation($input: SubmitAssessmentInput!) { submitAssessment(input: $input) { id } }`;
const miniCex = INSTRUMENT_LIBRARY.find((i) => i.kind === 'MINI_CEX')!
  .items.filter((i) => i.scale.type !== 'NARRATIVE')
  .map((i) => ({ itemKey: i.key, rating: 6 }));

it("names the module of the assessed student's placement, null where none integrates its specialty, and no program without an enrolment", async () => {
  const programId = randomUUID();
  const [basics, surgery, laterSurgery] = [randomUUID(), randomUUID(), randomUUID()];
  const agreementId = randomUUID();
  await emit(h, AgreementActivated, agreementId, {
    agreementId,
    schoolId: w.schoolA,
    hospitalId: w.hospitalH,
    departmentIds: [w.d1, w.d2],
    startsOn: '2026-01-01',
    endsOn: '2028-12-31',
    departmentSpecialties: [
      { departmentId: w.d1, specialty: 'PSYCHIATRY' },
      { departmentId: w.d2, specialty: 'SURGERY' },
    ],
  });
  const module = (moduleId: string, disciplines: string[]) => ({
    moduleId,
    title: 'M',
    competencyIds: [],
    teachingMinutes: [],
    disciplines,
  });
  await emit(h, ProgramPublished, programId, {
    programId,
    schoolId: w.schoolA,
    title: 'Medicine',
    competencyIds: [],
    teachingMinutes: [],
    modules: [module(basics, ['ANATOMY']), module(surgery, ['PATHOLOGY', 'SURGERY']), module(laterSurgery, ['SURGERY'])],
    publishedAt: '2026-09-01T00:00:00.000Z',
  });
  const assess = async (departmentId: string, supervisor: World['ciD1'], enrolled: boolean) => {
    const student = await registerStudent(h, w.schoolA);
    if (enrolled) await enrol(h, student, programId);
    const placement = placementAt(w, student, { departmentId, supervisorId: supervisor.id, hospitalId: w.hospitalH });
    await runPlacement(h, placement, 'COMPLETED');
    const [task] = await h.dataSource.query(`SELECT id FROM assessment_task WHERE placement_id = $1 AND role = 'SUPERVISOR_ASSESSMENT'`, [
      placement.placementId,
    ]);
    const id = ok(await h.call(supervisor.actor, SUBMIT, { input: { taskId: task.id, responses: miniCex } })).submitAssessment.id;
    const [row] = await h.dataSource.query(`SELECT payload FROM outbox WHERE event_type = 'AssessmentSubmitted' AND aggregate_id = $1`, [
      id,
    ]);
    return { programId: row.payload.programId, moduleId: row.payload.moduleId };
  };
  expect(await assess(w.d2, w.ciD2, true)).toEqual({ programId, moduleId: surgery });
  expect(await assess(w.d1, w.ciD1, true)).toEqual({ programId, moduleId: null });
  expect(await assess(w.d2, w.ciD2, false)).toEqual({ programId: null, moduleId: null });
});
