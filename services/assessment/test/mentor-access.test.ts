import { randomUUID } from 'node:crypto';
import { type Actor } from '@medcollab/kit';
import { MentorshipChanged, type PayloadOf } from '@medcollab/events';
import { asStudent, staffOf } from './support/actors';
import {
  buildWorld,
  emit,
  placementAt,
  publishLibrary,
  publishPostProfile,
  registerStudent,
  runPlacement,
  type StudentRef,
  type World,
} from './support/fixtures';
import { type AssessmentHarness, codes, ok, startAssessment } from './support/harness';

/** Mentors read their mentees' records (docs/architecture.md §4), from the mentorship service's MentorshipChanged events. */
let h: AssessmentHarness;
let w: World;
let mentee: StudentRef;
let other: StudentRef;
let mentor: Actor;
let profileId: string;
let evaluationTaskIds: string[];
let evaluationSubmissionIds: string[];
let supervisorTaskId: string;
const mentorshipId = randomUUID();

const SUBMIT = `mutation($input: SubmitAssessmentInput!) { submitAssessment(input: $input) { id } }`;
const TEACHER_ITEMS = ['explains', 'feedback', 'observes', 'role-model', 'respect', 'overall'];
const SITE_ITEMS = ['orientation', 'supervision', 'opportunities', 'climate', 'overall'];
const SUPERVISOR_ITEMS = ['history', 'examination', 'professionalism', 'judgement', 'communication', 'organisation', 'overall'];

/** A student with a completed placement at H: the supervisor's assessment submitted, and the student's site and teacher evaluations. */
async function placedAndAssessed(): Promise<StudentRef> {
  const student = await registerStudent(h, w.schoolA);
  const placement = placementAt(w, student);
  await runPlacement(h, placement, 'COMPLETED');
  const tasks: { id: string; role: string; assessor_id: string }[] = await h.dataSource.query(
    `SELECT id, role, assessor_id FROM assessment_task WHERE placement_id = $1`,
    [placement.placementId],
  );
  for (const t of tasks) {
    if (t.assessor_id === student.id) {
      const items = t.role === 'TEACHER_EVALUATION' ? TEACHER_ITEMS : SITE_ITEMS;
      ok(
        await h.call(student.actor, SUBMIT, {
          input: {
            taskId: t.id,
            responses: [
              ...items.map((itemKey) => ({ itemKey, rating: 2 })),
              { itemKey: 'comments', text: `Private words of ${student.id}` },
            ],
          },
        }),
      );
    } else {
      ok(
        await h.call(w.ciD1.actor, SUBMIT, {
          input: { taskId: t.id, responses: SUPERVISOR_ITEMS.map((itemKey) => ({ itemKey, rating: 6 })) },
        }),
      );
    }
  }
  return student;
}

let sequence = 0;
/** Delivers the mentorship's current state through assessment's consumer, as its worker would. */
async function deliver(menteeIds: string[], status: PayloadOf<typeof MentorshipChanged>['status']) {
  expect(
    await emit(
      h,
      MentorshipChanged,
      mentorshipId,
      { mentorshipId, mentorId: mentor.personId, menteeIds, status },
      { source: 'mentorship', id: randomUUID() },
    ),
  ).toBe('applied');
  sequence += 1;
}

const RECORD = `query($reps: [_Any!]!, $profile: ID!) { _entities(representations: $reps) { ... on Student {
  competencyProgress { id evidenceCount } readiness(postProfileId: $profile) { score student { id } }
  assessmentTasks { id role submission { id responses { itemKey rating text } } } } } }`;
const PROGRESS = `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Student { competencyProgress { id } } } }`;
const TASKS = `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Student { assessmentTasks { id } } } }`;
const AS_ASSESSOR = `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on StaffMember { assessmentTasks { id } } } }`;
const TASK = `query($id: ID!) { assessmentTask(id: $id) { id submission { id responses { itemKey } } } }`;
const SUBMISSION = `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Submission { id responses { itemKey rating text } } } }`;
const student = (s: StudentRef) => ({ __typename: 'Student', id: s.id });
const record = (actor: Actor, s: StudentRef) => h.call(actor, RECORD, { reps: [student(s)], profile: profileId });

beforeAll(async () => {
  h = await startAssessment();
  w = await buildWorld(h);
  const c = await publishLibrary(h);
  profileId = await publishPostProfile(h, [{ competencyId: c['aamc-core-epas/EPA 1']!, level: 4 }]);
  mentee = await placedAndAssessed();
  other = await placedAndAssessed();
  // A mentor at another hospital: neither staff of the students' school nor of the placing hospital.
  mentor = staffOf(randomUUID(), 'CLINICAL_INSTRUCTOR', 'MENTOR');
  const tasks: { id: string; role: string }[] = await h.dataSource.query(`SELECT id, role FROM assessment_task WHERE student_id = $1`, [
    mentee.id,
  ]);
  evaluationTaskIds = tasks.filter((t) => t.role.endsWith('_EVALUATION')).map((t) => t.id);
  supervisorTaskId = tasks.find((t) => !t.role.endsWith('_EVALUATION'))!.id;
  evaluationSubmissionIds = (
    await h.dataSource.query(`SELECT id FROM submission WHERE task_id = ANY($1::uuid[])`, [evaluationTaskIds])
  ).map((r: { id: string }) => r.id);
  expect(evaluationTaskIds).toHaveLength(2);
  expect(evaluationSubmissionIds).toHaveLength(2);
}, 240_000);
afterAll(() => h.stop());

describe('mentor grants from MentorshipChanged', () => {
  it('refuses the mentor before the mentorship exists', async () => {
    expect(codes(await h.call(mentor, PROGRESS, { reps: [student(mentee)] }))).toEqual(['FORBIDDEN']);
    expect(ok(await h.call(mentor, TASKS, { reps: [student(mentee)] }))._entities[0].assessmentTasks).toEqual([]);
  });

  it("lets the mentor read their mentee's progress, readiness and assessment tasks, and no one else's", async () => {
    await deliver([mentee.id], 'ACTIVE');
    const { competencyProgress, readiness, assessmentTasks } = ok(await record(mentor, mentee))._entities[0];
    expect(competencyProgress.length).toBeGreaterThan(0);
    expect(readiness.student.id).toBe(mentee.id);
    expect(assessmentTasks.map((t: { id: string }) => t.id)).toEqual([supervisorTaskId]);
    expect(assessmentTasks[0].submission.responses).toHaveLength(SUPERVISOR_ITEMS.length);
    expect(ok(await h.call(mentor, TASK, { id: supervisorTaskId })).assessmentTask.submission.responses).toHaveLength(
      SUPERVISOR_ITEMS.length,
    );

    // Not another student.
    expect(codes(await record(mentor, other))).toEqual(['FORBIDDEN', 'FORBIDDEN']);
    expect(ok(await h.call(mentor, TASKS, { reps: [student(other)] }))._entities[0].assessmentTasks).toEqual([]);
    // Not another mentor, nor a student holding the mentor's person id.
    expect(codes(await record(staffOf(mentor.institutionId!, 'CLINICAL_INSTRUCTOR', 'MENTOR'), mentee))).toEqual([
      'FORBIDDEN',
      'FORBIDDEN',
    ]);
    expect(codes(await record({ ...mentor, roles: ['STUDENT'] }, mentee))).toEqual(['FORBIDDEN', 'FORBIDDEN']);
  });

  it("never shows the mentor the mentee's site and teacher evaluations, by any path", async () => {
    for (const id of evaluationTaskIds) expect(codes(await h.call(mentor, TASK, { id }))).toEqual(['FORBIDDEN']);
    const submissions = await h.call(mentor, SUBMISSION, { reps: evaluationSubmissionIds.map((id) => ({ __typename: 'Submission', id })) });
    expect(codes(submissions)).toEqual(['FORBIDDEN', 'FORBIDDEN']);
    expect(JSON.stringify(submissions.data)).not.toContain('Private words');
    // The mentee as the evaluations' author (StaffMember reference of their id): nothing.
    expect(
      ok(await h.call(mentor, AS_ASSESSOR, { reps: [{ __typename: 'StaffMember', id: mentee.id }] }))._entities[0].assessmentTasks,
    ).toEqual([]);
    // The author still reads them.
    expect(
      ok(await h.call(asStudent(mentee), TASK, { id: evaluationTaskIds[0] })).assessmentTask.submission.responses.length,
    ).toBeGreaterThan(0);
  });

  it('reads several mentees with one grant statement per request', async () => {
    await deliver([mentee.id, other.id], 'ACTIVE');
    h.counter.reset();
    const entities = ok(await h.call(mentor, RECORD, { reps: [student(mentee), student(other)], profile: profileId }))._entities;
    expect(entities.map((e: { readiness: { student: { id: string } } }) => e.readiness.student.id)).toEqual([mentee.id, other.id]);
    expect(h.counter.statements.filter((s: string) => s.includes('mentor_grant'))).toHaveLength(1);
  });

  it('keeps the grant while paused and removes it when the mentorship ends', async () => {
    await deliver([mentee.id, other.id], 'PAUSED');
    expect(ok(await h.call(mentor, PROGRESS, { reps: [student(mentee)] }))._entities[0].competencyProgress.length).toBeGreaterThan(0);
    await deliver([mentee.id, other.id], 'ENDED');
    expect(codes(await record(mentor, mentee))).toEqual(['FORBIDDEN', 'FORBIDDEN']);
    expect(ok(await h.call(mentor, TASKS, { reps: [student(mentee)] }))._entities[0].assessmentTasks).toEqual([]);
    expect(await h.dataSource.query('SELECT 1 FROM mentor_grant WHERE mentorship_id = $1', [mentorshipId])).toEqual([]);
    expect(sequence).toBe(4);
  });
});
