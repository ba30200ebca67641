import { randomUUID } from 'node:crypto';
import { AgreementActivated, StudentRegistered } from '@medcollab/events';
import {
  activateAgreement,
  changeEnrolment,
  completeModule,
  emit,
  endAgreement,
  enrol,
  registerStaff,
  registerStudent,
} from './support/fixtures';
import { networkAdmin, staffOf } from './support/actors';
import { codes, ok, type RotationsHarness, startRotations } from './support/harness';

let h: RotationsHarness;
beforeAll(async () => {
  h = await startRotations();
});
afterAll(() => h.stop());

const one = async (sql: string, params: unknown[]) => ((await h.dataSource.query(sql, params)) as Record<string, unknown>[])[0];

describe('projections of the network events', () => {
  it('records students with their school, and staff with institution, department and roles', async () => {
    const school = randomUUID();
    const hospital = randomUUID();
    const department = randomUUID();
    const student = await registerStudent(h, school);
    const staff = await registerStaff(h, hospital, ['CLINICAL_INSTRUCTOR', 'MENTOR'], department);
    expect(await one('SELECT school_id FROM known_student WHERE id = $1', [student.id])).toEqual({ school_id: school });
    expect(await one('SELECT institution_id, department_id, roles FROM known_staff WHERE id = $1', [staff.id])).toEqual({
      institution_id: hospital,
      department_id: department,
      roles: ['CLINICAL_INSTRUCTOR', 'MENTOR'],
    });
    // A staff member's department tells rotations which institution the department belongs to.
    expect(await one('SELECT institution_id FROM known_department WHERE id = $1', [department])).toEqual({ institution_id: hospital });
  });

  it('records agreements with their departments, which become known as the hospital’s, then ends them', async () => {
    const terms = {
      schoolId: randomUUID(),
      hospitalId: randomUUID(),
      departmentIds: [randomUUID(), randomUUID()],
      startsOn: '2026-01-01',
      endsOn: '2027-06-30',
    };
    const id = await activateAgreement(h, terms);
    expect(await one('SELECT status, starts_on::text, ends_on::text, department_ids FROM known_agreement WHERE id = $1', [id])).toEqual({
      status: 'ACTIVE',
      starts_on: '2026-01-01',
      ends_on: '2027-06-30',
      department_ids: terms.departmentIds,
    });
    const departments = await h.dataSource.query('SELECT institution_id FROM known_department WHERE id = ANY($1)', [terms.departmentIds]);
    expect(departments).toEqual([{ institution_id: terms.hospitalId }, { institution_id: terms.hospitalId }]);

    await endAgreement(h, id, terms, '2026-08-31');
    expect(await one('SELECT status, ended_on::text FROM known_agreement WHERE id = $1', [id])).toEqual({
      status: 'ENDED',
      ended_on: '2026-08-31',
    });
    // An old activation delivered again (a replay) does not bring the ended agreement back.
    await emit(h, AgreementActivated, id, { agreementId: id, ...terms });
    expect(await one('SELECT status FROM known_agreement WHERE id = $1', [id])).toEqual({ status: 'ENDED' });
  });

  it('applies a redelivered event once (inbox) and the same facts twice without change (idempotent handlers)', async () => {
    const studentId = randomUUID();
    const envelope = {
      id: randomUUID(),
      type: 'StudentRegistered',
      version: 1,
      source: 'network',
      aggregateType: 'Student',
      aggregateId: studentId,
      sequence: 1,
      occurredAt: new Date().toISOString(),
      payload: { studentId, schoolId: randomUUID(), email: 'x@example.edu', cohortYear: 2024, priorClinicalYears: 0 },
      metadata: {},
    };
    expect(await h.consumer.apply({ envelope, previousEventId: null })).toBe('applied');
    expect(await h.consumer.apply({ envelope, previousEventId: null })).toBe('duplicate');
    await emit(h, StudentRegistered, studentId, envelope.payload);
    expect(await one('SELECT count(*)::int AS n FROM known_student WHERE id = $1', [studentId])).toEqual({ n: 1 });
  });

  it("learns each department's specialty from agreements; events that do not tell keep it", async () => {
    const hospitalId = randomUUID();
    const [surgery, plain] = [randomUUID(), randomUUID()];
    const terms = { schoolId: randomUUID(), hospitalId, departmentIds: [surgery, plain], startsOn: '2026-01-01', endsOn: '2027-06-30' };
    await activateAgreement(h, {
      ...terms,
      departmentSpecialties: [
        { departmentId: surgery, specialty: 'SURGERY' },
        { departmentId: plain, specialty: null },
      ],
    });
    const specialties = () =>
      h.dataSource.query('SELECT id, specialty FROM known_department WHERE id = ANY($1) ORDER BY id', [[surgery, plain]]);
    const expected = [
      { id: surgery, specialty: 'SURGERY' },
      { id: plain, specialty: null },
    ].sort((a, b) => a.id.localeCompare(b.id));
    expect(await specialties()).toEqual(expected);
    // A staff registration and an agreement event from before specialties were announced say nothing of it.
    await registerStaff(h, hospitalId, ['CLINICAL_INSTRUCTOR'], surgery);
    await activateAgreement(h, terms);
    expect(await specialties()).toEqual(expected);
  });

  it("shows network admins the consumer's event log (and nobody else)", async () => {
    const { rotationsEvents } = ok(await h.call(networkAdmin(), `{ rotationsEvents { service parkedCount unpublishedCount } }`));
    expect(rotationsEvents).toEqual({ service: 'rotations', parkedCount: 0, unpublishedCount: 0 });
    expect(codes(await h.call(staffOf(randomUUID(), 'COORDINATOR'), `{ rotationsEvents { parkedCount } }`))).toEqual(['FORBIDDEN']);
  });
});

describe('projections of the curriculum events', () => {
  const enrolment = (id: string) => one('SELECT student_id, program_id, track_id, status FROM known_enrollment WHERE id = $1', [id]);

  it("keeps each enrolment's program, current track and status; a withdrawal is final", async () => {
    const student = await registerStudent(h, randomUUID());
    const programId = randomUUID();
    const [first, second] = [randomUUID(), randomUUID()];
    const e = await enrol(h, student, programId, first);
    expect(await enrolment(e.enrollmentId)).toEqual({ student_id: student.id, program_id: programId, track_id: first, status: 'ACTIVE' });
    await changeEnrolment(h, e, 'TRACK_CHANGED', second);
    expect(await enrolment(e.enrollmentId)).toMatchObject({ track_id: second, status: 'ACTIVE' });
    await changeEnrolment(h, e, 'WITHDRAWN', second);
    expect(await enrolment(e.enrollmentId)).toMatchObject({ status: 'WITHDRAWN' });
    // The enrolling event delivered again (a replay) does not make the enrolment active again.
    await changeEnrolment(h, e, 'ENROLLED', first);
    expect(await enrolment(e.enrollmentId)).toMatchObject({ track_id: second, status: 'WITHDRAWN' });
  });

  it('keeps one completion per student and module, with its latest date', async () => {
    const student = await registerStudent(h, randomUUID());
    const e = await enrol(h, student, randomUUID());
    const moduleId = randomUUID();
    await completeModule(h, e, moduleId, '2026-01-15');
    await completeModule(h, e, moduleId, '2026-02-01');
    expect(
      await h.dataSource.query('SELECT module_id, enrollment_id, completed_on::text FROM known_module_completion WHERE student_id = $1', [
        student.id,
      ]),
    ).toEqual([{ module_id: moduleId, enrollment_id: e.enrollmentId, completed_on: '2026-02-01' }]);
  });
});
