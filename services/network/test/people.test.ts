import { type Actor } from '@medcollab/kit';
import { networkAdmin, staffOf } from './support/actors';
import { outboxEvents, rowCounts } from './support/db';
import { buildWorld, M, registerStaff, registerStudent, uniq, type World } from './support/fixtures';
import { codes, type NetworkHarness, ok, startNetwork } from './support/harness';

let h: NetworkHarness;
let w: World;

beforeAll(async () => {
  h = await startNetwork();
  w = await buildWorld(h);
});
afterAll(() => h.stop());

const PERSON = 'id sourcedId status statusReason statusChangedAt';
const Q = {
  updateStudent: `mutation($input: UpdateStudentInput!) { updateStudent(input: $input) { ${PERSON} email cohortYear givenName } }`,
  updateStaffMember: `mutation($input: UpdateStaffMemberInput!) { updateStaffMember(input: $input) { ${PERSON} email department { id } } }`,
  changeStaffRoles: `mutation($input: ChangeStaffRolesInput!) { changeStaffRoles(input: $input) { ${PERSON} roles } }`,
  deactivateStudent: `mutation($input: PersonStatusChangeInput!) { deactivateStudent(input: $input) { ${PERSON} } }`,
  reactivateStudent: `mutation($input: PersonStatusChangeInput!) { reactivateStudent(input: $input) { ${PERSON} } }`,
  deactivateStaffMember: `mutation($input: PersonStatusChangeInput!) { deactivateStaffMember(input: $input) { ${PERSON} } }`,
  studentBySourcedId: `query($i: ID!, $s: String!) { studentBySourcedId(institutionId: $i, sourcedId: $s) { id sourcedId } }`,
  staffBySourcedId: `query($i: ID!, $s: String!) { staffMemberBySourcedId(institutionId: $i, sourcedId: $s) { id sourcedId } }`,
  departmentBySourcedId: `query($i: ID!, $s: String!) { departmentBySourcedId(institutionId: $i, sourcedId: $s) { id name } }`,
};

/** A mutation that must be refused with `code`, changing no table (outbox included). */
async function expectRefused(actor: Actor, mutation: string, input: Record<string, unknown>, code: string) {
  const before = await rowCounts(h.dataSource);
  const response = await h.call(actor, mutation, { input });
  expect(codes(response)).toEqual([code]);
  expect(await rowCounts(h.dataSource)).toEqual(before);
  return response.errors?.[0]?.message ?? '';
}

const eventsOf = async (type: string, id: string) => (await outboxEvents(h.dataSource, type)).filter((e) => e.aggregate_id === id);
const schoolAdmin = () => staffOf(w.schoolA.id, 'INSTITUTION_ADMIN');
const schoolIntegration = () => staffOf(w.schoolA.id, 'INTEGRATION');

describe('external ids (sourcedId)', () => {
  it('are stored at registration, found by the reads, and unique among one institution’s people only', async () => {
    const sid = `S-${uniq()}`;
    const student = await registerStudent(h, w.schoolA.id, { sourcedId: sid });
    expect(ok(await h.call(schoolAdmin(), Q.studentBySourcedId, { i: w.schoolA.id, s: sid })).studentBySourcedId).toEqual({
      id: student.id,
      sourcedId: sid,
    });
    expect(ok(await h.call(schoolAdmin(), Q.studentBySourcedId, { i: w.schoolB.id, s: sid })).studentBySourcedId).toBeNull();
    // A staff member of the same school may not take the student's sourcedId (one id space for people, as in OneRoster)…
    const message = await expectRefused(
      networkAdmin(),
      M.registerStaffMember,
      { institutionId: w.schoolA.id, givenName: 'T', familyName: 'Eacher', email: `t-${uniq()}@x.org`, roles: ['TEACHER'], sourcedId: sid },
      'CONFLICT',
    );
    expect(message).toMatch(new RegExp(`sourcedId "${sid}" already names Ada .* \\(student\\) at this institution`));
    // …but another school's student may.
    await registerStudent(h, w.schoolB.id, { sourcedId: sid });
    const staff = await registerStaff(h, w.hospitalH.id, ['CLINICAL_INSTRUCTOR'], { sourcedId: 'HR-1' });
    expect(
      ok(await h.call(staffOf(w.hospitalH.id, 'INTEGRATION'), Q.staffBySourcedId, { i: w.hospitalH.id, s: 'HR-1' })).staffMemberBySourcedId,
    ).toEqual({ id: staff.id, sourcedId: 'HR-1' });
  });

  it('are read only by those who may read the record, and refuse malformed ids', async () => {
    const sid = `S-${uniq()}`;
    await registerStudent(h, w.schoolA.id, { sourcedId: sid });
    expect(codes(await h.call(staffOf(w.schoolB.id, 'INTEGRATION'), Q.studentBySourcedId, { i: w.schoolA.id, s: sid }))).toEqual([
      'FORBIDDEN',
    ]);
    expect(codes(await h.call(schoolAdmin(), Q.studentBySourcedId, { i: w.schoolA.id, s: '  ' }))).toEqual(['BAD_USER_INPUT']);
    expect(ok(await h.call(schoolAdmin(), Q.studentBySourcedId, { i: 'not-a-uuid', s: sid })).studentBySourcedId).toBeNull();
  });

  it('name an institution once in the network, readable on the institution', async () => {
    const sourcedId = `ORG-${uniq()}`;
    const input = { name: `Northbridge ${uniq()}`, kind: 'SCHOOL', timezone: 'Europe/London', sourcedId };
    const { createInstitution: created } = ok(await h.call(networkAdmin(), M.createInstitution, { input }));
    const READ = `query($id: ID!) { institution(id: $id) { sourcedId } }`;
    expect(ok(await h.call(staffOf(created.id, 'INTEGRATION'), READ, { id: created.id })).institution).toEqual({ sourcedId });
    const message = await expectRefused(networkAdmin(), M.createInstitution, { ...input, name: `Other ${uniq()}` }, 'CONFLICT');
    expect(message).toBe(`sourcedId "${sourcedId}" already names ${input.name}`);
  });

  it('name departments within their institution', async () => {
    const input = { institutionId: w.hospitalK.id, name: `Cardiology ${uniq()}`, sourcedId: 'ORG-CARD' };
    const { createDepartment: d } = ok(await h.call(networkAdmin(), M.createDepartment, { input }));
    expect(ok(await h.call(staffOf(w.schoolA.id, 'TEACHER'), Q.departmentBySourcedId, { i: w.hospitalK.id, s: 'ORG-CARD' }))).toEqual({
      departmentBySourcedId: { id: d.id, name: input.name },
    });
    await expectRefused(networkAdmin(), M.createDepartment, { ...input, name: `Other ${uniq()}` }, 'CONFLICT');
  });
});

describe('updating people', () => {
  it('emits StudentUpdated once per real change and nothing when the values are the same', async () => {
    const student = await registerStudent(h, w.schoolA.id);
    const email = `new-${uniq()}@example.edu`;
    const first = ok(await h.call(schoolIntegration(), Q.updateStudent, { input: { id: student.id, email, cohortYear: 2025 } }));
    expect(first.updateStudent).toMatchObject({ email, cohortYear: 2025, status: 'ACTIVE' });
    ok(await h.call(schoolIntegration(), Q.updateStudent, { input: { id: student.id, email: email.toUpperCase(), cohortYear: 2025 } }));
    const events = await eventsOf('StudentUpdated', student.id);
    expect(events.map((e) => e.payload)).toEqual([expect.objectContaining({ email, cohortYear: 2025, changed: ['email', 'cohortYear'] })]);
  });

  it('refuses other institutions, other roles, taken emails and bad input, writing nothing', async () => {
    const student = await registerStudent(h, w.schoolA.id);
    const other = await registerStudent(h, w.schoolA.id);
    await expectRefused(staffOf(w.schoolB.id, 'INSTITUTION_ADMIN'), Q.updateStudent, { id: student.id, givenName: 'X' }, 'FORBIDDEN');
    await expectRefused(staffOf(w.schoolA.id, 'COORDINATOR'), Q.updateStudent, { id: student.id, givenName: 'X' }, 'FORBIDDEN');
    await expectRefused(schoolAdmin(), Q.updateStudent, { id: student.id, email: other.email }, 'CONFLICT');
    expect(await expectRefused(schoolAdmin(), Q.updateStudent, { id: student.id }, 'BAD_USER_INPUT')).toMatch(/at least one field/);
    await expectRefused(schoolAdmin(), Q.updateStudent, { id: student.id, cohortYear: 1800 }, 'BAD_USER_INPUT');
    await expectRefused(schoolAdmin(), Q.updateStudent, { id: w.schoolA.id, givenName: 'Nobody' }, 'NOT_FOUND');
  });

  it('moves a staff member between departments of their own institution only', async () => {
    const staff = await registerStaff(h, w.hospitalH.id, ['CLINICAL_INSTRUCTOR']);
    const integration = staffOf(w.hospitalH.id, 'INTEGRATION');
    const moved = ok(await h.call(integration, Q.updateStaffMember, { input: { id: staff.id, departmentId: w.hDepartments[1]?.id } }));
    expect(moved.updateStaffMember.department).toEqual({ id: w.hDepartments[1]?.id });
    await expectRefused(integration, Q.updateStaffMember, { id: staff.id, departmentId: w.kDepartments[0]?.id }, 'BAD_USER_INPUT');
    ok(await h.call(integration, Q.updateStaffMember, { input: { id: staff.id, departmentId: null } }));
    expect((await eventsOf('StaffUpdated', staff.id)).map((e) => e.payload.departmentId)).toEqual([w.hDepartments[1]?.id, null]);
  });
});

describe('changing roles', () => {
  it('replaces the set, emitting StaffUpdated only when the set changes', async () => {
    const staff = await registerStaff(h, w.schoolA.id, ['TEACHER']);
    const changed = ok(await h.call(schoolIntegration(), Q.changeStaffRoles, { input: { id: staff.id, roles: ['MENTOR', 'TEACHER'] } }));
    expect(changed.changeStaffRoles.roles).toEqual(['MENTOR', 'TEACHER']);
    ok(await h.call(schoolAdmin(), Q.changeStaffRoles, { input: { id: staff.id, roles: ['TEACHER', 'MENTOR'] } }));
    expect((await eventsOf('StaffUpdated', staff.id)).map((e) => e.payload)).toEqual([
      expect.objectContaining({ roles: ['MENTOR', 'TEACHER'], changed: ['roles'] }),
    ]);
  });

  it('keeps admin roles out of integration accounts’ reach and NETWORK_ADMIN for network admins', async () => {
    const teacher = await registerStaff(h, w.schoolA.id, ['TEACHER']);
    const admin = await registerStaff(h, w.schoolA.id, ['INSTITUTION_ADMIN']);
    const m1 = await expectRefused(schoolIntegration(), Q.changeStaffRoles, { id: teacher.id, roles: ['INSTITUTION_ADMIN'] }, 'FORBIDDEN');
    expect(m1).toMatch(/integration account may only grant or remove COORDINATOR/);
    await expectRefused(schoolIntegration(), Q.changeStaffRoles, { id: admin.id, roles: ['TEACHER'] }, 'FORBIDDEN');
    await expectRefused(schoolIntegration(), Q.deactivateStaffMember, { id: admin.id, reason: 'Contract ended' }, 'FORBIDDEN');
    await expectRefused(schoolAdmin(), Q.changeStaffRoles, { id: teacher.id, roles: ['NETWORK_ADMIN'] }, 'FORBIDDEN');
    await expectRefused(staffOf(w.schoolB.id, 'INSTITUTION_ADMIN'), Q.changeStaffRoles, { id: teacher.id, roles: ['MENTOR'] }, 'FORBIDDEN');
    await expectRefused(schoolAdmin(), Q.changeStaffRoles, { id: teacher.id, roles: ['STUDENT'] }, 'BAD_USER_INPUT');
    await expectRefused(schoolAdmin(), Q.changeStaffRoles, { id: teacher.id, roles: [] }, 'BAD_USER_INPUT');
    await expectRefused(
      schoolIntegration(),
      M.registerStaffMember,
      { institutionId: w.schoolA.id, givenName: 'A', familyName: 'B', email: `ab-${uniq()}@x.org`, roles: ['INTEGRATION'] },
      'FORBIDDEN',
    );
  });
});

describe('deactivating and reactivating', () => {
  it('keeps the record with its reason and emits one event per real change', async () => {
    const student = await registerStudent(h, w.schoolA.id);
    const off = ok(await h.call(schoolIntegration(), Q.deactivateStudent, { input: { id: student.id, reason: 'Graduated June 2026' } }));
    expect(off.deactivateStudent).toMatchObject({ status: 'INACTIVE', statusReason: 'Graduated June 2026' });
    expect(off.deactivateStudent.statusChangedAt).toEqual(expect.any(String));
    const again = ok(await h.call(schoolAdmin(), Q.deactivateStudent, { input: { id: student.id, reason: 'Duplicate request' } }));
    expect(again.deactivateStudent.statusReason).toBe('Graduated June 2026');
    const on = ok(await h.call(schoolAdmin(), Q.reactivateStudent, { input: { id: student.id, reason: 'Back from leave' } }));
    expect(on.reactivateStudent.status).toBe('ACTIVE');
    expect((await eventsOf('StudentStatusChanged', student.id)).map((e) => [e.payload.active, e.payload.reason])).toEqual([
      [false, 'Graduated June 2026'],
      [true, 'Back from leave'],
    ]);
  });

  it('refuses another institution, other roles and a missing reason', async () => {
    const student = await registerStudent(h, w.schoolA.id);
    const staff = await registerStaff(h, w.hospitalH.id, ['CLINICAL_INSTRUCTOR']);
    await expectRefused(staffOf(w.schoolB.id, 'INTEGRATION'), Q.deactivateStudent, { id: student.id, reason: 'Left' }, 'FORBIDDEN');
    await expectRefused(staffOf(w.schoolA.id, 'TEACHER'), Q.deactivateStudent, { id: student.id, reason: 'Left' }, 'FORBIDDEN');
    await expectRefused(staffOf(w.schoolA.id, 'INSTITUTION_ADMIN'), Q.deactivateStaffMember, { id: staff.id, reason: 'Left' }, 'FORBIDDEN');
    await expectRefused(schoolAdmin(), Q.deactivateStudent, { id: student.id, reason: ' ' }, 'BAD_USER_INPUT');
    const off = ok(
      await h.call(staffOf(w.hospitalH.id, 'INSTITUTION_ADMIN'), Q.deactivateStaffMember, {
        input: { id: staff.id, reason: 'Contract ended' },
      }),
    );
    expect(off.deactivateStaffMember.status).toBe('INACTIVE');
    expect(await eventsOf('StaffStatusChanged', staff.id)).toHaveLength(1);
  });
});
