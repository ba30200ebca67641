import { INSTRUMENT_LIBRARY } from '../src/seed/instrument-library';
import { staffOf } from './support/actors';
import {
  buildWorld,
  placementAt,
  registerStaff,
  registerStudent,
  runPlacement,
  type StaffRef,
  type StudentRef,
  type World,
} from './support/fixtures';
import { type AssessmentHarness, codes, ok, startAssessment } from './support/harness';

/**
 * Least privilege at hospitals (issue 15, hole 6): of a placement's assessment and its answers,
 * a hospital's clinical instructor reads only those of their own department's placements or of
 * placements they supervise; the hospital's coordinators and admins read those of every
 * placement there. Progress and readiness stay closed to hospitals altogether.
 */
let h: AssessmentHarness;
let w: World;
let student: StudentRef;
let task: string;
let submission: string;
let colleagueD1: StaffRef;

const TASK = `query($id: ID!) { assessmentTask(id: $id) { id submission { id } } }`;
const STUDENT = `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Student { assessmentTasks { id } } } }`;
const PLACEMENT = `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Placement { assessmentTasks { id } } } }`;
const SUBMISSION = `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Submission { id responses { rating } } } }`;
const PROGRESS = `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Student { competencyProgress { id } } } }`;

const miniCex = INSTRUMENT_LIBRARY.find((i) => i.kind === 'MINI_CEX')!
  .items.filter((i) => i.scale.type !== 'NARRATIVE')
  .map((i) => ({ itemKey: i.key, rating: 5 }));

let placementId: string;
beforeAll(async () => {
  h = await startAssessment();
  w = await buildWorld(h);
  colleagueD1 = await registerStaff(h, w.hospitalH, ['CLINICAL_INSTRUCTOR'], w.d1);
  student = await registerStudent(h, w.schoolA);
  // At d1, supervised by ciD1: ciD2 (d2) is of the same hospital, another department.
  const p = placementAt(w, student);
  placementId = p.placementId;
  await runPlacement(h, p, 'COMPLETED');
  const [row] = await h.dataSource.query(`SELECT id FROM assessment_task WHERE placement_id = $1 AND role = 'SUPERVISOR_ASSESSMENT'`, [
    p.placementId,
  ]);
  task = row.id;
  submission = ok(
    await h.call(w.ciD1.actor, `mutation($input: SubmitAssessmentInput!) { submitAssessment(input: $input) { id } }`, {
      input: { taskId: task, responses: miniCex },
    }),
  ).submitAssessment.id;
});
afterAll(() => h.stop());

const studentTasks = async (actor: Parameters<AssessmentHarness['call']>[0]) =>
  ok(await h.call(actor, STUDENT, { reps: [{ __typename: 'Student', id: student.id }] }))._entities[0].assessmentTasks;
const placementTasks = async (actor: Parameters<AssessmentHarness['call']>[0]) =>
  ok(await h.call(actor, PLACEMENT, { reps: [{ __typename: 'Placement', id: placementId }] }))._entities[0].assessmentTasks;

describe("an instructor of another department of the placement's hospital", () => {
  it('reads neither the task nor its answers, by any path', async () => {
    const other = w.ciD2.actor;
    expect(codes(await h.call(other, TASK, { id: task }))).toEqual(['FORBIDDEN']);
    expect(await studentTasks(other)).toEqual([]);
    expect(await placementTasks(other)).toEqual([]);
    expect(codes(await h.call(other, SUBMISSION, { reps: [{ __typename: 'Submission', id: submission }] }))).toEqual(['FORBIDDEN']);
  });

  it('nor does any hospital staff member read progress', async () => {
    for (const actor of [w.ciD2.actor, w.ciD1.actor, w.coordinatorH.actor])
      expect(codes(await h.call(actor, PROGRESS, { reps: [{ __typename: 'Student', id: student.id }] }))).toEqual(['FORBIDDEN']);
  });
});

describe('who at the hospital reads them', () => {
  it("an instructor of the placement's department, the supervisor, the hospital's coordinators and admins", async () => {
    for (const actor of [colleagueD1.actor, w.ciD1.actor, w.coordinatorH.actor, staffOf(w.hospitalH, 'INSTITUTION_ADMIN')]) {
      expect(ok(await h.call(actor, TASK, { id: task })).assessmentTask).toEqual({ id: task, submission: { id: submission } });
      expect(await studentTasks(actor)).toEqual([{ id: task }]);
      expect(await placementTasks(actor)).toEqual([{ id: task }]);
    }
  });

  it('not a hospital role that runs no placements', async () => {
    expect(codes(await h.call(w.qualityH.actor, TASK, { id: task }))).toEqual(['FORBIDDEN']);
    expect(await studentTasks(w.qualityH.actor)).toEqual([]);
  });
});
