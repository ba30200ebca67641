import { type Actor } from '@medcollab/kit';
import {
  agreementListScope,
  canGrantRoles,
  canCreateInstitution,
  canManageAgreement,
  canManageInstitutionRecords,
  canReadAgreement,
  canReadStaffMember,
  canReadStudent,
  departmentDecides,
  staffListScope,
  studentListScope,
} from '../../src/domain/access-policy';

const admin: Actor = { personId: 'admin', institutionId: null, roles: ['NETWORK_ADMIN'] };
const schoolAdmin: Actor = { personId: 'sa', institutionId: 'S', roles: ['INSTITUTION_ADMIN'] };
const teacher: Actor = { personId: 't', institutionId: 'S', roles: ['TEACHER'] };
const coordinatorH: Actor = { personId: 'ch', institutionId: 'H', roles: ['COORDINATOR'] };
const instructorH: Actor = { personId: 'ih', institutionId: 'H', roles: ['CLINICAL_INSTRUCTOR'] };
const student: Actor = { personId: 'st1', institutionId: 'S', roles: ['STUDENT'] };
const otherSchoolTeacher: Actor = { personId: 'o', institutionId: 'T', roles: ['TEACHER'] };

/** A live placement grant at a hospital, in a department, with a supervisor. */
const grant = (hospitalId: string, departmentId: string | null = 'dep', supervisorId: string | null = null) => ({
  hospitalId,
  departmentId,
  supervisorId,
});

const codeOf = (fn: () => unknown): string | undefined => {
  try {
    fn();
  } catch (error) {
    return (error as { code?: string }).code;
  }
  return undefined;
};

describe('reading students', () => {
  const st1 = { id: 'st1', schoolId: 'S' };
  const st2 = { id: 'st2', schoolId: 'S' };
  it('lets network admins, the school staff and the student themself read', () => {
    expect(canReadStudent(admin, st1)).toBe(true);
    expect(canReadStudent(teacher, st1)).toBe(true);
    expect(canReadStudent(student, st1)).toBe(true);
  });
  it('keeps classmates, other schools and hospitals without a placement grant out', () => {
    expect(canReadStudent(student, st2)).toBe(false);
    expect(canReadStudent(otherSchoolTeacher, st1)).toBe(false);
    expect(canReadStudent(instructorH, st1)).toBe(false);
    expect(canReadStudent(instructorH, st1, [grant('K', 'neuro')], [], 'neuro')).toBe(false);
  });
  it("lets a hospital's coordinators and admins read any student placed there (staff only)", () => {
    expect(canReadStudent(coordinatorH, st1, [grant('K'), grant('H', 'cardio')])).toBe(true);
    expect(canReadStudent({ ...coordinatorH, roles: ['INSTITUTION_ADMIN'] }, st1, [grant('H', 'cardio')])).toBe(true);
    expect(canReadStudent({ ...coordinatorH, roles: ['STUDENT'] }, st1, [grant('H')])).toBe(false);
    expect(canReadStudent({ ...coordinatorH, institutionId: null }, st1, [grant('H')])).toBe(false);
  });
  it('lets a clinical instructor read only students placed in their department or supervised by them', () => {
    expect(canReadStudent(instructorH, st1, [grant('H', 'neuro')], [], 'neuro')).toBe(true);
    expect(canReadStudent(instructorH, st1, [grant('H', 'cardio')], [], 'neuro')).toBe(false);
    expect(canReadStudent(instructorH, st1, [grant('H', 'cardio')], [], null)).toBe(false);
    expect(canReadStudent(instructorH, st1, [grant('H', 'cardio', instructorH.personId)], [], 'neuro')).toBe(true);
    // A grant written before departments were recorded opens nothing to instructors.
    expect(canReadStudent(instructorH, st1, [grant('H', null)], [], null)).toBe(false);
    expect(canReadStudent({ ...instructorH, roles: ['QUALITY_OFFICER'] }, st1, [grant('H', 'neuro')], [], 'neuro')).toBe(false);
  });
  it("lets a hospital's teacher read, like an instructor, only students placed in their department", () => {
    const teacherH: Actor = { personId: 'th', institutionId: 'H', roles: ['TEACHER'] };
    expect(canReadStudent(teacherH, st1, [grant('H', 'neuro')], [], 'neuro')).toBe(true);
    expect(canReadStudent(teacherH, st1, [grant('H', 'cardio')], [], 'neuro')).toBe(false);
  });
  it("lets an instructor read a student when any one of the student's grants there is in their department", () => {
    expect(canReadStudent(instructorH, st1, [grant('H', 'cardio'), grant('H', 'neuro')], [], 'neuro')).toBe(true);
    expect(canReadStudent(instructorH, st1, [grant('H', 'neuro'), grant('H', 'cardio')], [], 'neuro')).toBe(true);
  });
  it("needs the instructor's department only for instructors and teachers who are not also hospital-wide staff", () => {
    expect(departmentDecides(instructorH)).toBe(true);
    expect(departmentDecides({ ...instructorH, roles: ['TEACHER'] })).toBe(true);
    expect(departmentDecides(coordinatorH)).toBe(false);
    expect(departmentDecides({ ...instructorH, roles: ['CLINICAL_INSTRUCTOR', 'COORDINATOR'] })).toBe(false);
    expect(departmentDecides({ ...instructorH, roles: ['QUALITY_OFFICER'] })).toBe(false);
  });
  it('lets a mentor holding a live mentor grant for the student read them (staff only, that mentor only)', () => {
    expect(canReadStudent(instructorH, st1, [], [instructorH.personId])).toBe(true);
    expect(canReadStudent(coordinatorH, st1, [], [instructorH.personId])).toBe(false);
    expect(canReadStudent({ ...instructorH, roles: ['STUDENT'] }, st1, [], [instructorH.personId])).toBe(false);
    expect(canReadStudent({ ...instructorH, institutionId: null }, st1, [], [instructorH.personId])).toBe(false);
  });
});

describe('reading staff and agreements', () => {
  it('shows staff to their institution (students included) and to no one else', () => {
    const m = { id: 'm', institutionId: 'S' };
    expect(canReadStaffMember(teacher, m)).toBe(true);
    expect(canReadStaffMember(student, m)).toBe(true);
    expect(canReadStaffMember(coordinatorH, m)).toBe(false);
    expect(canReadStaffMember({ ...coordinatorH, personId: 'm' }, m)).toBe(true);
    expect(canReadStaffMember(admin, m)).toBe(true);
    expect(canReadStaffMember({ ...teacher, institutionId: null }, m)).toBe(false);
  });
  it('shows agreements to staff of either party only', () => {
    const a = { schoolId: 'S', hospitalId: 'H' };
    expect(canReadAgreement(teacher, a)).toBe(true);
    expect(canReadAgreement(instructorH, a)).toBe(true);
    expect(canReadAgreement(admin, a)).toBe(true);
    expect(canReadAgreement(student, a)).toBe(false);
    expect(canReadAgreement(otherSchoolTeacher, a)).toBe(false);
  });
});

describe('changing agreements and granting roles', () => {
  const a = { schoolId: 'S', hospitalId: 'H' };
  it('lets admins and coordinators of either party manage, not teachers or outsiders', () => {
    expect(canManageAgreement(schoolAdmin, a)).toBe(true);
    expect(canManageAgreement(coordinatorH, a)).toBe(true);
    expect(canManageAgreement(admin, a)).toBe(true);
    expect(canManageAgreement(teacher, a)).toBe(false);
    expect(canManageAgreement({ ...coordinatorH, institutionId: 'K' }, a)).toBe(false);
  });
  it('lets only network admins create institutions', () => {
    expect(canCreateInstitution(admin)).toBe(true);
    expect(canCreateInstitution(schoolAdmin)).toBe(false);
  });
  it("lets an institution's admins (and network admins) manage its departments and people, no one else", () => {
    expect(canManageInstitutionRecords(schoolAdmin, 'S')).toBe(true);
    expect(canManageInstitutionRecords(admin, 'S')).toBe(true);
    expect(canManageInstitutionRecords(schoolAdmin, 'H')).toBe(false);
    expect(canManageInstitutionRecords(teacher, 'S')).toBe(false);
  });
  it('lets only network admins grant NETWORK_ADMIN', () => {
    expect(canGrantRoles(schoolAdmin, ['TEACHER', 'INSTITUTION_ADMIN'])).toBe(true);
    expect(canGrantRoles(schoolAdmin, ['NETWORK_ADMIN'])).toBe(false);
    expect(canGrantRoles(admin, ['NETWORK_ADMIN'])).toBe(true);
  });
});

describe('list scopes', () => {
  it('scopes students to everything, the institution, or the student themself', () => {
    expect(studentListScope(admin, 'T')).toEqual({ kind: 'all' });
    expect(studentListScope(teacher)).toEqual({ kind: 'institution', institutionId: 'S' });
    expect(studentListScope(teacher, 'S')).toEqual({ kind: 'institution', institutionId: 'S' });
    expect(studentListScope(student)).toEqual({ kind: 'self', personId: 'st1' });
    expect(studentListScope({ personId: 'x', institutionId: null, roles: [] })).toEqual({ kind: 'nothing' });
  });
  it("forbids naming another institution's students or staff", () => {
    expect(codeOf(() => studentListScope(teacher, 'T'))).toBe('FORBIDDEN');
    expect(codeOf(() => studentListScope(student, 'T'))).toBe('FORBIDDEN');
    expect(codeOf(() => staffListScope(coordinatorH, 'S'))).toBe('FORBIDDEN');
    expect(staffListScope(student)).toEqual({ kind: 'institution', institutionId: 'S' });
    // Found by mutation testing: each line below failed to notice one broken rule.
    expect(staffListScope(admin, 'T')).toEqual({ kind: 'all' });
    expect(staffListScope({ personId: 'x', institutionId: null, roles: ['TEACHER'] })).toEqual({ kind: 'nothing' });
    const tokenWithoutInstitution: Actor = { personId: 'x', institutionId: null, roles: ['TEACHER'] };
    expect(studentListScope(tokenWithoutInstitution)).toEqual({ kind: 'nothing' });
    expect(() => studentListScope(teacher, 'T')).toThrow('You may not list the records of another institution');
  });
  it('scopes agreements to the parties, forbidding a filter on another institution of the same kind', () => {
    const school = { id: 'S', kind: 'SCHOOL' as const };
    const hospital = { id: 'H', kind: 'HOSPITAL' as const };
    expect(agreementListScope(teacher, school, { hospitalId: 'K' })).toEqual({ kind: 'party', institutionId: 'S' });
    expect(agreementListScope(coordinatorH, hospital, { schoolId: 'T' })).toEqual({ kind: 'party', institutionId: 'H' });
    expect(codeOf(() => agreementListScope(teacher, school, { schoolId: 'T' }))).toBe('FORBIDDEN');
    expect(codeOf(() => agreementListScope(coordinatorH, hospital, { hospitalId: 'K' }))).toBe('FORBIDDEN');
    expect(agreementListScope(student, school, {})).toEqual({ kind: 'nothing' });
    expect(agreementListScope(admin, null, { schoolId: 'T' })).toEqual({ kind: 'all' });
    // Naming its own side is allowed (it only narrows the list); the refusal says why.
    expect(agreementListScope(teacher, school, { schoolId: 'S' })).toEqual({ kind: 'party', institutionId: 'S' });
    expect(() => agreementListScope(teacher, school, { schoolId: 'T' })).toThrow(
      'You may only list agreements your institution is party to',
    );
  });
});
