import { type Actor } from '@medcollab/kit';
import { networkAdmin, staffOf } from './support/actors';
import { outboxEvents, rowCounts } from './support/db';
import { buildWorld, createDepartment, M, registerStaff, registerStudent, uniq, type World } from './support/fixtures';
import { codes, type NetworkHarness, ok, startNetwork } from './support/harness';

let h: NetworkHarness;
let w: World;

beforeAll(async () => {
  h = await startNetwork();
  w = await buildWorld(h);
});
afterAll(() => h.stop());

/** Sends a mutation that must be refused with `code`, and checks no table (outbox included) changed. */
async function expectRefused(actor: Actor, mutation: string, input: Record<string, unknown>, code: string) {
  const before = await rowCounts(h.dataSource);
  const response = await h.call(actor, mutation, { input });
  expect(codes(response)).toEqual([code]);
  expect(response.data ?? null).toBeNull();
  expect(await rowCounts(h.dataSource)).toEqual(before);
  return response.errors?.[0];
}

const studentInput = (over: Record<string, unknown> = {}) => ({
  schoolId: w.schoolA.id,
  givenName: 'Ada',
  familyName: 'Lovelace',
  email: `ada-${uniq()}@example.edu`,
  cohortYear: 2024,
  ...over,
});
const staffInput = (over: Record<string, unknown> = {}) => ({
  institutionId: w.hospitalH.id,
  givenName: 'Grace',
  familyName: 'Hopper',
  email: `grace-${uniq()}@example.org`,
  roles: ['CLINICAL_INSTRUCTOR'],
  ...over,
});
const agreementInput = (over: Record<string, unknown> = {}) => ({
  schoolId: w.schoolA.id,
  hospitalId: w.hospitalH.id,
  departmentIds: [w.hDepartments[0]?.id],
  startsOn: '2025-09-01',
  endsOn: '2026-08-31',
  ...over,
});

describe('institutions and departments', () => {
  it('refuses a time zone that is not IANA', async () => {
    const error = await expectRefused(
      networkAdmin(),
      M.createInstitution,
      { name: 'Mars General', kind: 'HOSPITAL', timezone: 'Mars/Olympus' },
      'BAD_USER_INPUT',
    );
    expect(error?.message).toContain('timezone: must be an IANA time zone');
  });

  it('refuses a second institution of the same name, whatever its case (CONFLICT)', async () => {
    const name = `Riverside Clinic ${uniq()}`;
    ok(await h.call(networkAdmin(), M.createInstitution, { input: { name, kind: 'HOSPITAL', timezone: 'Europe/Oslo' } }));
    await expectRefused(
      networkAdmin(),
      M.createInstitution,
      { name: name.toUpperCase(), kind: 'HOSPITAL', timezone: 'Europe/Oslo' },
      'CONFLICT',
    );
  });

  it('refuses a department in an institution that does not exist', async () => {
    await expectRefused(
      networkAdmin(),
      M.createDepartment,
      { institutionId: '00000000-0000-4000-8000-000000000000', name: 'Ghost Ward' },
      'NOT_FOUND',
    );
  });
});

describe('registering students', () => {
  it('stores the email in lower case and writes StudentRegistered in the same transaction', async () => {
    const actor = staffOf(w.schoolA.id, 'INSTITUTION_ADMIN');
    const email = `Mixed.Case-${uniq()}@Example.EDU`;
    const response = await h.call(actor, M.registerStudent, { input: studentInput({ email, priorClinicalYears: 2 }) });
    const student = ok(response).registerStudent;
    expect(student).toMatchObject({ email: email.toLowerCase(), cohortYear: 2024, priorClinicalYears: 2, school: { id: w.schoolA.id } });
    const events = (await outboxEvents(h.dataSource, 'StudentRegistered')).filter((e) => e.aggregate_id === student.id);
    expect(events).toHaveLength(1);
    expect(events[0]?.payload).toEqual({
      studentId: student.id,
      schoolId: w.schoolA.id,
      email: email.toLowerCase(),
      cohortYear: 2024,
      priorClinicalYears: 2,
      givenName: 'Ada',
      familyName: 'Lovelace',
    });
    expect(events[0]?.metadata.actorId).toBe(actor.personId);
    expect(events[0]?.metadata.requestId).toMatch(/^test-/);
  });

  it.each([
    ['a malformed email', { email: 'ada-at-example.edu' }],
    ['an implausible cohort year', { cohortYear: 1900 }],
    ['a cohort year far ahead', { cohortYear: new Date().getUTCFullYear() + 5 }],
    ['negative prior clinical years', { priorClinicalYears: -1 }],
    ['an empty name', { givenName: ' ' }],
  ])('refuses %s (BAD_USER_INPUT)', async (_label, over) => {
    await expectRefused(networkAdmin(), M.registerStudent, studentInput(over), 'BAD_USER_INPUT');
  });

  it('refuses a student at a hospital', async () => {
    await expectRefused(networkAdmin(), M.registerStudent, studentInput({ schoolId: w.hospitalH.id }), 'BAD_USER_INPUT');
  });

  it("refuses another person's email, in any case, across students and staff (CONFLICT)", async () => {
    const student = await registerStudent(h, w.schoolA.id);
    await expectRefused(networkAdmin(), M.registerStudent, studentInput({ email: student.email.toUpperCase() }), 'CONFLICT');
    await expectRefused(networkAdmin(), M.registerStaffMember, staffInput({ email: student.email.toUpperCase() }), 'CONFLICT');

    const email = `shared-${uniq()}@example.org`;
    await registerStaff(h, w.hospitalH.id, ['TEACHER'], { email });
    await expectRefused(networkAdmin(), M.registerStudent, studentInput({ email: ` ${email.toUpperCase()} ` }), 'CONFLICT');
  });

  it('lets only one of two simultaneous registrations of one email through', async () => {
    const email = `race-${uniq()}@example.edu`;
    const before = await rowCounts(h.dataSource);
    const [a, b] = await Promise.all([
      h.call(networkAdmin(), M.registerStudent, { input: studentInput({ email }) }),
      h.call(networkAdmin(), M.registerStaffMember, { input: staffInput({ email }) }),
    ]);
    expect([...codes(a), ...codes(b)]).toEqual(['CONFLICT']);
    const after = await rowCounts(h.dataSource);
    expect(after.student + after.staff_member).toBe(before.student + before.staff_member + 1);
    expect(after.outbox).toBe(before.outbox + 1);
  });

  it('rolls the student back when its event cannot be written', async () => {
    // A trigger that fails the outbox insert for one address proves the row and the event share a transaction.
    await h.dataSource.query(`
      CREATE FUNCTION refuse_event() RETURNS trigger AS $$
      BEGIN RAISE EXCEPTION 'outbox unavailable'; END $$ LANGUAGE plpgsql`);
    await h.dataSource.query(`
      CREATE TRIGGER refuse_event BEFORE INSERT ON outbox FOR EACH ROW
      WHEN (NEW.payload->>'email' = 'no-outbox@example.edu') EXECUTE FUNCTION refuse_event()`);
    try {
      const before = await rowCounts(h.dataSource);
      const response = await h.call(networkAdmin(), M.registerStudent, { input: studentInput({ email: 'no-outbox@example.edu' }) });
      expect(codes(response)).toEqual(['INTERNAL_SERVER_ERROR']);
      expect(await rowCounts(h.dataSource)).toEqual(before);
    } finally {
      await h.dataSource.query('DROP TRIGGER refuse_event ON outbox; DROP FUNCTION refuse_event()');
    }
  });
});

describe('registering staff', () => {
  it('writes StaffRegistered with the department and roles', async () => {
    const department = w.hDepartments[1]?.id;
    const actor = staffOf(w.hospitalH.id, 'INSTITUTION_ADMIN');
    const response = await h.call(actor, M.registerStaffMember, {
      input: staffInput({ departmentId: department, roles: ['CLINICAL_INSTRUCTOR', 'MENTOR'] }),
    });
    const staff = ok(response).registerStaffMember;
    expect(staff).toMatchObject({ roles: ['CLINICAL_INSTRUCTOR', 'MENTOR'], department: { id: department } });
    const [event] = (await outboxEvents(h.dataSource, 'StaffRegistered')).filter((e) => e.aggregate_id === staff.id);
    expect(event?.payload).toEqual({
      staffId: staff.id,
      institutionId: w.hospitalH.id,
      departmentId: department,
      roles: ['CLINICAL_INSTRUCTOR', 'MENTOR'],
      givenName: 'Grace',
      familyName: 'Hopper',
      email: staff.email,
    });
    expect(event?.metadata.actorId).toBe(actor.personId);
  });

  it('refuses a department of another institution', async () => {
    await expectRefused(networkAdmin(), M.registerStaffMember, staffInput({ departmentId: w.kDepartments[0]?.id }), 'BAD_USER_INPUT');
  });

  it('refuses the STUDENT role', async () => {
    const error = await expectRefused(
      networkAdmin(),
      M.registerStaffMember,
      staffInput({ roles: ['TEACHER', 'STUDENT'] }),
      'BAD_USER_INPUT',
    );
    expect(error?.message).toContain('STUDENT');
  });

  it('lets only a network admin grant NETWORK_ADMIN', async () => {
    const error = await expectRefused(
      staffOf(w.hospitalH.id, 'INSTITUTION_ADMIN'),
      M.registerStaffMember,
      staffInput({ roles: ['NETWORK_ADMIN'] }),
      'FORBIDDEN',
    );
    expect(error?.message).toContain('NETWORK_ADMIN');
    const granted = await h.call(networkAdmin(), M.registerStaffMember, { input: staffInput({ roles: ['NETWORK_ADMIN'] }) });
    expect(ok(granted).registerStaffMember.roles).toEqual(['NETWORK_ADMIN']);
  });
});

describe('proposing agreements', () => {
  it.each([
    ['two schools', () => ({ hospitalId: w.schoolB.id })],
    ['two hospitals', () => ({ schoolId: w.hospitalK.id })],
    ['no department', () => ({ departmentIds: [] })],
    ["another hospital's department", () => ({ departmentIds: [w.hDepartments[0]?.id, w.kDepartments[0]?.id] })],
    ['endsOn before startsOn', () => ({ startsOn: '2026-01-01', endsOn: '2025-12-31' })],
    ['endsOn equal to startsOn', () => ({ startsOn: '2026-01-01', endsOn: '2026-01-01' })],
  ])('refuses %s (BAD_USER_INPUT)', async (_label, over) => {
    await expectRefused(networkAdmin(), M.proposeAgreement, agreementInput(over()), 'BAD_USER_INPUT');
  });

  it('refuses a date that is not YYYY-MM-DD', async () => {
    await expectRefused(networkAdmin(), M.proposeAgreement, agreementInput({ endsOn: '31/08/2026' }), 'BAD_USER_INPUT');
  });

  it('records a PROPOSED agreement with its departments and no event', async () => {
    const department = await createDepartment(h, w.hospitalH.id);
    const before = await rowCounts(h.dataSource);
    const response = await h.call(staffOf(w.schoolA.id, 'COORDINATOR'), M.proposeAgreement, {
      input: agreementInput({ departmentIds: [department.id, department.id, w.hDepartments[2]?.id] }),
    });
    expect(ok(response).proposeAgreement).toMatchObject({ status: 'PROPOSED', startsOn: '2025-09-01', endsOn: '2026-08-31' });
    expect(ok(response).proposeAgreement.departments).toHaveLength(2);
    const after = await rowCounts(h.dataSource);
    expect(after.outbox).toBe(before.outbox);
    expect(after.agreement_department).toBe(before.agreement_department + 2);
  });
});
