import { type Actor } from '@medcollab/kit';
import { networkAdmin } from './actors';
import { type NetworkHarness, ok } from './harness';

/** The mutations the tests send, with the fields they read back. */
export const M = {
  createInstitution: `mutation($input: CreateInstitutionInput!) { createInstitution(input: $input) { id name kind timezone } }`,
  createDepartment: `mutation($input: CreateDepartmentInput!) { createDepartment(input: $input) { id name specialty institution { id } } }`,
  registerStudent: `mutation($input: RegisterStudentInput!) { registerStudent(input: $input) { id email cohortYear priorClinicalYears school { id } } }`,
  registerStaffMember: `mutation($input: RegisterStaffMemberInput!) { registerStaffMember(input: $input) { id email roles institution { id } department { id } } }`,
  proposeAgreement: `mutation($input: ProposeAgreementInput!) { proposeAgreement(input: $input) { id status startsOn endsOn departments { id } } }`,
  activateAgreement: `mutation($input: ActivateAgreementInput!) { activateAgreement(input: $input) { id status activatedAt } }`,
  endAgreement: `mutation($input: EndAgreementInput!) { endAgreement(input: $input) { id status endedOn } }`,
};

export interface Ref {
  id: string;
}
export interface StudentRef {
  id: string;
  schoolId: string;
  email: string;
}

let unique = 0;
/** A suffix that keeps names and emails unique within a test database. */
export const uniq = (): string => `${process.pid}-${++unique}`;

export async function createInstitution(h: NetworkHarness, kind: 'SCHOOL' | 'HOSPITAL', name = `${kind} ${uniq()}`): Promise<Ref> {
  const data = ok(
    await h.call<{ createInstitution: Ref }>(networkAdmin(), M.createInstitution, { input: { name, kind, timezone: 'Europe/Berlin' } }),
  );
  return data.createInstitution;
}

export async function createDepartment(h: NetworkHarness, institutionId: string, name = `Department ${uniq()}`): Promise<Ref> {
  const input = { institutionId, name, specialty: 'INTERNAL_MEDICINE' };
  return ok(await h.call<{ createDepartment: Ref }>(networkAdmin(), M.createDepartment, { input })).createDepartment;
}

export async function registerStudent(h: NetworkHarness, schoolId: string, overrides: Record<string, unknown> = {}): Promise<StudentRef> {
  const input = {
    schoolId,
    givenName: 'Ada',
    familyName: `Student ${uniq()}`,
    email: `student-${uniq()}@example.edu`,
    cohortYear: 2023,
    ...overrides,
  };
  const { registerStudent: s } = ok(
    await h.call<{ registerStudent: { id: string; email: string } }>(networkAdmin(), M.registerStudent, { input }),
  );
  return { id: s.id, email: s.email, schoolId };
}

export async function registerStaff(
  h: NetworkHarness,
  institutionId: string,
  roles: string[],
  overrides: Record<string, unknown> = {},
): Promise<Ref & { actor: Actor }> {
  const input = {
    institutionId,
    givenName: 'Grace',
    familyName: `Staff ${uniq()}`,
    email: `staff-${uniq()}@example.org`,
    roles,
    ...overrides,
  };
  const { registerStaffMember: m } = ok(await h.call<{ registerStaffMember: Ref }>(networkAdmin(), M.registerStaffMember, { input }));
  return { id: m.id, actor: { personId: m.id, institutionId, roles: roles as Actor['roles'] } };
}

export async function proposeAgreement(
  h: NetworkHarness,
  input: { schoolId: string; hospitalId: string; departmentIds: string[]; startsOn: string; endsOn: string },
  actor: Actor = networkAdmin(),
): Promise<Ref> {
  return ok(await h.call<{ proposeAgreement: Ref }>(actor, M.proposeAgreement, { input })).proposeAgreement;
}

export async function activate(h: NetworkHarness, id: string, actor: Actor = networkAdmin()) {
  return h.call<{ activateAgreement: { id: string; status: string } }>(actor, M.activateAgreement, { input: { id } });
}

/** Two schools and two hospitals (three departments each), the usual cast of a test file. */
export async function buildWorld(h: NetworkHarness) {
  const [schoolA, schoolB, hospitalH, hospitalK] = await Promise.all([
    createInstitution(h, 'SCHOOL'),
    createInstitution(h, 'SCHOOL'),
    createInstitution(h, 'HOSPITAL'),
    createInstitution(h, 'HOSPITAL'),
  ]);
  const hDepartments = await Promise.all([1, 2, 3].map(() => createDepartment(h, hospitalH.id)));
  const kDepartments = await Promise.all([1, 2, 3].map(() => createDepartment(h, hospitalK.id)));
  return { schoolA, schoolB, hospitalH, hospitalK, hDepartments, kDepartments } as {
    schoolA: Ref;
    schoolB: Ref;
    hospitalH: Ref;
    hospitalK: Ref;
    hDepartments: Ref[];
    kDepartments: Ref[];
  };
}
export type World = Awaited<ReturnType<typeof buildWorld>>;
