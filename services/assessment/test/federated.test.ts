import { PlacementCompleted } from '@medcollab/events';
import { libraryInstrumentId } from '../src/seed/instrument-library';
import { networkAdmin, staffOf } from './support/actors';
import {
  buildWorld,
  emit,
  type PlacementFacts,
  placementAt,
  registerStaff,
  registerStudent,
  runPlacement,
  type StudentRef,
  type World,
} from './support/fixtures';
import { type AssessmentHarness, ok, startAssessment } from './support/harness';

/** Who sees which tasks through the fields assessment adds to Student, StaffMember and Placement. */
let h: AssessmentHarness;
let w: World;
let student: StudentRef;
let placement: PlacementFacts;

const roles = (tasks: { role: string }[]) => tasks.map((t) => t.role).sort();

beforeAll(async () => {
  h = await startAssessment();
  w = await buildWorld(h);
  student = await registerStudent(h, w.schoolA);
  placement = placementAt(w, student);
  await runPlacement(h, placement, 'COMPLETED');
  // A task assigned by the school, with no placement: never the hospital's to see.
  const assign = `mutation($input: AssignAssessmentInput!) { assignAssessment(input: $input) { id } }`;
  ok(
    await h.call(w.coordinatorA.actor, assign, {
      input: {
        instrumentId: libraryInstrumentId('case-analysis'),
        studentId: student.id,
        assessorId: w.teacherA.id,
        dueAt: new Date(Date.now() + 86_400_000).toISOString(),
      },
    }),
  );
});
afterAll(() => h.stop());

const STUDENT_TASKS = `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Student { assessmentTasks { role } } } }`;
const STAFF_TASKS = `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on StaffMember { assessmentTasks { role subjectStudent { id } } } } }`;
const PLACEMENT_TASKS = `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Placement { assessmentTasks { role } } } }`;
const studentTasks = async (actor: Parameters<typeof h.call>[0]) =>
  roles(ok(await h.call(actor, STUDENT_TASKS, { reps: [{ __typename: 'Student', id: student.id }] }))._entities[0].assessmentTasks);

describe('Student.assessmentTasks', () => {
  it('shows the student and their school every task; the hospital only the assessment tied to its placement; others nothing', async () => {
    const all = ['ASSIGNED', 'SITE_EVALUATION', 'SUPERVISOR_ASSESSMENT', 'TEACHER_EVALUATION'];
    expect(await studentTasks(student.actor)).toEqual(all);
    expect(await studentTasks(w.coordinatorA.actor)).toEqual(all);
    expect(await studentTasks(networkAdmin())).toEqual(all);
    expect(await studentTasks(w.coordinatorH.actor)).toEqual(['SUPERVISOR_ASSESSMENT']);
    // Least privilege at the hospital (hole 6): a role that runs no placements sees none of their assessments.
    expect(await studentTasks(w.qualityH.actor)).toEqual([]);
    expect(await studentTasks(w.coordinatorB)).toEqual([]);
    expect(await studentTasks(staffOf(w.schoolA, 'STUDENT'))).toEqual([]);
  });

  it('closes to the hospital when its grant ends', async () => {
    const other = await registerStudent(h, w.schoolA);
    const p = placementAt(w, other);
    await runPlacement(h, p, 'IN_PROGRESS');
    // Completed long ago: the grace period is over.
    await emit(h, PlacementCompleted, p.placementId, {
      ...p,
      at: new Date(Date.now() - 60 * 86_400_000).toISOString(),
      accessUntil: new Date(Date.now() - 86_400_000).toISOString(),
    });
    const tasksOf = async (actor: Parameters<typeof h.call>[0]) =>
      ok(await h.call(actor, STUDENT_TASKS, { reps: [{ __typename: 'Student', id: other.id }] }))._entities[0].assessmentTasks;
    expect(await tasksOf(w.coordinatorH.actor)).toEqual([]);
    expect(await tasksOf(w.coordinatorA.actor)).toHaveLength(3);
    // The supervisor still works on their own task.
    expect(
      roles(
        ok(await h.call(w.ciD1.actor, STAFF_TASKS, { reps: [{ __typename: 'StaffMember', id: w.ciD1.id }] }))._entities[0].assessmentTasks,
      ),
    ).toContain('SUPERVISOR_ASSESSMENT');
  });
});

describe('StaffMember.assessmentTasks and Placement.assessmentTasks', () => {
  it("list an assessor's tasks as far as the caller may see them", async () => {
    const teacherTasks = async (actor: Parameters<typeof h.call>[0]) =>
      ok(await h.call(actor, STAFF_TASKS, { reps: [{ __typename: 'StaffMember', id: w.teacherA.id }] }))._entities[0].assessmentTasks;
    expect(roles(await teacherTasks(w.teacherA.actor))).toEqual(['ASSIGNED']);
    expect(roles(await teacherTasks(student.actor))).toEqual(['ASSIGNED']);
    expect(await teacherTasks(w.coordinatorH.actor)).toEqual([]);
    const newcomer = await registerStaff(h, w.hospitalH, ['CLINICAL_INSTRUCTOR'], w.d1);
    expect(
      ok(await h.call(newcomer.actor, STAFF_TASKS, { reps: [{ __typename: 'StaffMember', id: newcomer.id }] }))._entities[0]
        .assessmentTasks,
    ).toEqual([]);
  });

  it("shows a placement's three tasks to the student and the school, the assessment alone to the hospital", async () => {
    const reps = { reps: [{ __typename: 'Placement', id: placement.placementId }] };
    const three = ['SITE_EVALUATION', 'SUPERVISOR_ASSESSMENT', 'TEACHER_EVALUATION'];
    expect(roles(ok(await h.call(student.actor, PLACEMENT_TASKS, reps))._entities[0].assessmentTasks)).toEqual(three);
    expect(roles(ok(await h.call(w.coordinatorA.actor, PLACEMENT_TASKS, reps))._entities[0].assessmentTasks)).toEqual(three);
    expect(roles(ok(await h.call(w.ciD1.actor, PLACEMENT_TASKS, reps))._entities[0].assessmentTasks)).toEqual(['SUPERVISOR_ASSESSMENT']);
    expect(ok(await h.call(w.coordinatorB, PLACEMENT_TASKS, reps))._entities[0].assessmentTasks).toEqual([]);
  });
});
