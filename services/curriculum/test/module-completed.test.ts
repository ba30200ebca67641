import { randomUUID } from 'node:crypto';
import { staffOf } from './support/actors';
import { knownStudent, outboxEvents, rowCounts } from './support/db';
import { addModule, createProgram, M, newInstitutionId } from './support/fixtures';
import { badFields, codes, type CurriculumHarness, ok, startCurriculum } from './support/harness';

let h: CurriculumHarness;
const school = newInstitutionId();
let programId: string;
let moduleId: string;

beforeAll(async () => {
  h = await startCurriculum();
  programId = (await createProgram(h, school)).id;
  moduleId = (await addModule(h, programId)).id;
});
afterAll(() => h.stop());

const teacher = () => staffOf(school, 'TEACHER');
const record = (studentId: string, completedOn?: string, actor = teacher()) =>
  h.call(actor, M.recordCompletion, { input: { studentId, moduleId, completedOn } });

/** The enrolment's events in the order of their per-aggregate sequence. */
const eventsOfEnrollment = async (enrollmentId: string): Promise<{ event_type: string; sequence: number }[]> =>
  h.dataSource.query(
    `SELECT event_type, sequence FROM outbox WHERE aggregate_type = 'Enrollment' AND aggregate_id = $1 ORDER BY sequence`,
    [enrollmentId],
  );

describe('ModuleCompleted', () => {
  it('is appended with the completion, in the enrolment aggregate after its EnrollmentChanged; a re-dating sends it again', async () => {
    const student = await knownStudent(h.dataSource, school);
    const enrollmentId = ok(await h.call(staffOf(school, 'COORDINATOR'), M.enrollStudent, { input: { studentId: student.id, programId } }))
      .enrollStudent.id as string;
    const actor = teacher();
    ok(await record(student.id, '2026-01-15', actor));

    const events = (await outboxEvents(h.dataSource, 'ModuleCompleted')).filter((e) => e.payload.studentId === student.id);
    expect(events).toEqual([
      {
        event_type: 'ModuleCompleted',
        aggregate_id: enrollmentId,
        payload: { enrollmentId, studentId: student.id, moduleId, programId, schoolId: school, completedOn: '2026-01-15' },
        metadata: { requestId: expect.any(String), actorId: actor.personId },
      },
    ]);

    ok(await record(student.id, '2026-02-01'));
    const dates = (await outboxEvents(h.dataSource, 'ModuleCompleted'))
      .filter((e) => e.payload.studentId === student.id)
      .map((e) => e.payload.completedOn);
    expect(dates).toEqual(['2026-01-15', '2026-02-01']);
    expect(await eventsOfEnrollment(enrollmentId)).toEqual([
      { event_type: 'EnrollmentChanged', sequence: 1 },
      { event_type: 'ModuleCompleted', sequence: 2 },
      { event_type: 'ModuleCompleted', sequence: 3 },
    ]);
  });

  it('is not written when the completion is refused', async () => {
    const notEnrolled = await knownStudent(h.dataSource, school);
    const before = await rowCounts(h.dataSource);
    expect(badFields(await record(notEnrolled.id))).toEqual(['studentId']);
    expect(badFields(await record(randomUUID()))).toEqual(['studentId']);
    expect(codes(await record(notEnrolled.id, undefined, staffOf(newInstitutionId(), 'TEACHER')))).toEqual(['FORBIDDEN']);
    expect(await rowCounts(h.dataSource)).toEqual(before);
    expect((await outboxEvents(h.dataSource, 'ModuleCompleted')).filter((e) => e.payload.studentId === notEnrolled.id)).toEqual([]);
  });
});
