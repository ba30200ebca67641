import { type Actor } from '@medcollab/kit';
import {
  canActForStudent,
  canAssignSupervisors,
  canManageDepartmentFeed,
  canManageHospitalSeats,
  canPlanSchoolRotations,
  canReadCapacity,
  canReadPlacement,
  canReadPreferences,
  canReadSchoolCalendar,
  canReadStaffMember,
  canReadStudentRecords,
  canRunPlacementOnSite,
  departmentDecides,
  hospitalStaffReach,
  hospitalHoldsGrant,
  mayAskForPlacements,
  type PlacementAsk,
  placementListScope,
  type PlacementFacts,
} from '../../src/domain/access-policy';

const admin: Actor = { personId: 'admin', institutionId: null, roles: ['NETWORK_ADMIN'] };
const coordinatorS: Actor = { personId: 'cs', institutionId: 'S', roles: ['COORDINATOR'] };
const teacherS: Actor = { personId: 'ts', institutionId: 'S', roles: ['TEACHER'] };
const coordinatorH: Actor = { personId: 'ch', institutionId: 'H', roles: ['COORDINATOR'] };
const instructorH: Actor = { personId: 'ih', institutionId: 'H', roles: ['CLINICAL_INSTRUCTOR'] };
const student: Actor = { personId: 'st', institutionId: 'S', roles: ['STUDENT'] };
const outsider: Actor = { personId: 'o', institutionId: 'K', roles: ['COORDINATOR'] };
const now = new Date('2026-11-01T00:00:00Z');

const placement = (over: Partial<PlacementFacts> = {}): PlacementFacts => ({
  studentId: 'st',
  schoolId: 'S',
  hospitalId: 'H',
  departmentId: 'd1',
  supervisorId: null,
  status: 'CONFIRMED',
  accessUntil: null,
  ...over,
});

describe('planning rights', () => {
  it("gives a school's coordinators and admins its planning, a hospital's its seats", () => {
    expect(canPlanSchoolRotations(coordinatorS, 'S')).toBe(true);
    expect(canPlanSchoolRotations({ ...coordinatorS, roles: ['INSTITUTION_ADMIN'] }, 'S')).toBe(true);
    expect(canPlanSchoolRotations(teacherS, 'S')).toBe(false);
    expect(canPlanSchoolRotations(coordinatorH, 'S')).toBe(false);
    expect(canManageHospitalSeats(coordinatorH, 'H')).toBe(true);
    expect(canManageHospitalSeats(instructorH, 'H')).toBe(false);
    expect(canManageHospitalSeats(admin, 'H')).toBe(true);
  });
  it("lets the hospital's coordinators and the department's instructors run a placement on site", () => {
    const p = placement();
    const staffD1 = { id: 'ih', institutionId: 'H', departmentId: 'd1', roles: ['CLINICAL_INSTRUCTOR'] };
    expect(canRunPlacementOnSite(coordinatorH, p, null)).toBe(true);
    expect(canRunPlacementOnSite(instructorH, p, staffD1)).toBe(true);
    expect(canRunPlacementOnSite(instructorH, p, { ...staffD1, departmentId: 'd2' })).toBe(false);
    expect(canRunPlacementOnSite(instructorH, p, null)).toBe(false);
    expect(canRunPlacementOnSite(coordinatorS, p, null)).toBe(false);
  });
});

describe('naming supervisors (issue 14)', () => {
  const d1 = { hospitalId: 'H', departmentId: 'd1' };
  const staff = (departmentId: string | null, institutionId = 'H') => ({ id: 'ch', institutionId, departmentId, roles: ['COORDINATOR'] });

  it("belongs to the hospital's admins and to its coordinators of that department or of the whole hospital", () => {
    expect(canAssignSupervisors(admin, d1, null)).toBe(true);
    expect(canAssignSupervisors({ ...coordinatorH, roles: ['INSTITUTION_ADMIN'] }, d1, null)).toBe(true);
    expect(canAssignSupervisors(coordinatorH, d1, staff('d1'))).toBe(true);
    expect(canAssignSupervisors(coordinatorH, d1, staff(null))).toBe(true);
  });

  it("refuses another department's coordinator, an unknown one, the school, instructors, students and other hospitals", () => {
    expect(canAssignSupervisors(coordinatorH, d1, staff('d2'))).toBe(false);
    expect(canAssignSupervisors(coordinatorH, d1, null)).toBe(false);
    expect(canAssignSupervisors(coordinatorH, d1, staff(null, 'K'))).toBe(false);
    expect(canAssignSupervisors(coordinatorS, d1, { ...staff(null), institutionId: 'S' })).toBe(false);
    expect(canAssignSupervisors({ ...coordinatorS, roles: ['INSTITUTION_ADMIN'] }, d1, null)).toBe(false);
    expect(canAssignSupervisors(instructorH, d1, { ...staff('d1'), roles: ['CLINICAL_INSTRUCTOR'] })).toBe(false);
    expect(canAssignSupervisors({ ...instructorH, roles: ['TEACHER'] }, d1, staff('d1'))).toBe(false);
    expect(canAssignSupervisors(student, d1, null)).toBe(false);
    expect(canAssignSupervisors(outsider, d1, staff(null, 'K'))).toBe(false);
    expect(canAssignSupervisors({ ...outsider, roles: ['INSTITUTION_ADMIN'] }, d1, null)).toBe(false);
  });
});

describe('reading placements and students', () => {
  it('shows a placement to its student, the school, and the hospital while it grants access', () => {
    expect(canReadPlacement(student, placement(), now)).toBe(true);
    expect(canReadPlacement(teacherS, placement({ status: 'PROPOSED' }), now)).toBe(true);
    expect(canReadPlacement(coordinatorH, placement(), now)).toBe(true);
    expect(canReadPlacement(coordinatorH, placement({ status: 'PROPOSED' }), now)).toBe(false);
    expect(canReadPlacement(coordinatorH, placement({ status: 'COMPLETED', accessUntil: new Date('2026-11-02T00:00:00Z') }), now)).toBe(
      true,
    );
    expect(canReadPlacement(coordinatorH, placement({ status: 'COMPLETED', accessUntil: new Date('2026-10-31T00:00:00Z') }), now)).toBe(
      false,
    );
    expect(canReadPlacement(instructorH, placement(), now, 'd1')).toBe(true);
    expect(canReadPlacement(instructorH, placement({ status: 'PROPOSED' }), now, 'd1')).toBe(false);
    expect(canReadPlacement(outsider, placement(), now)).toBe(false);
    expect(canReadPlacement({ ...student, personId: 'classmate' }, placement(), now)).toBe(false);
  });
  it("reaches, at the hospital, all placements for coordinators and admins, an instructor's department and supervisees only", () => {
    const inD2 = placement({ departmentId: 'd2' });
    expect(hospitalStaffReach(coordinatorH, inD2, null)).toBe(true);
    expect(hospitalStaffReach({ ...coordinatorH, roles: ['INSTITUTION_ADMIN'] }, inD2, null)).toBe(true);
    expect(hospitalStaffReach({ ...coordinatorH, roles: ['INTEGRATION'] }, inD2, null)).toBe(true);
    expect(hospitalStaffReach(instructorH, inD2, 'd2')).toBe(true);
    expect(hospitalStaffReach({ ...instructorH, roles: ['TEACHER'] }, inD2, 'd2')).toBe(true);
    expect(hospitalStaffReach(instructorH, inD2, 'd1')).toBe(false);
    expect(hospitalStaffReach(instructorH, inD2, null)).toBe(false);
    expect(hospitalStaffReach(instructorH, { ...inD2, supervisorId: 'ih' }, 'd1')).toBe(true);
    expect(hospitalStaffReach(instructorH, { ...inD2, supervisorId: 'someone' }, null)).toBe(false);
    expect(hospitalStaffReach({ ...instructorH, roles: ['QUALITY_OFFICER'] }, { ...inD2, supervisorId: 'ih' }, 'd2')).toBe(false);
    expect(hospitalStaffReach({ ...coordinatorH, institutionId: 'K' }, inD2, null)).toBe(false);
    expect(hospitalStaffReach({ ...instructorH, institutionId: 'K' }, inD2, 'd2')).toBe(false);
    expect(canReadPlacement(instructorH, inD2, now, 'd1')).toBe(false);
    expect(departmentDecides(instructorH)).toBe(true);
    expect(departmentDecides({ ...instructorH, roles: ['TEACHER'] })).toBe(true);
    expect(departmentDecides({ ...instructorH, roles: ['CLINICAL_INSTRUCTOR', 'COORDINATOR'] })).toBe(false);
    expect(departmentDecides(coordinatorH)).toBe(false);
    expect(departmentDecides(student)).toBe(false);
  });
  it("lets a hospital read a student's records only with a live grant at that hospital its role reaches", () => {
    expect(hospitalHoldsGrant(coordinatorH, [placement()], now)).toBe(true);
    expect(hospitalHoldsGrant(instructorH, [placement()], now, 'd1')).toBe(true);
    expect(hospitalHoldsGrant(instructorH, [placement()], now, 'd2')).toBe(false);
    expect(hospitalHoldsGrant(instructorH, [placement()], now)).toBe(false);
    expect(hospitalHoldsGrant(coordinatorH, [placement({ hospitalId: 'K' })], now)).toBe(false);
    expect(hospitalHoldsGrant(coordinatorH, [placement({ status: 'PROPOSED' })], now)).toBe(false);
    expect(hospitalHoldsGrant({ ...coordinatorH, roles: ['STUDENT'] }, [placement()], now)).toBe(false);
    expect(canReadStudentRecords(instructorH, { id: 'st', schoolId: 'S' }, true)).toBe(true);
    expect(canReadStudentRecords(instructorH, { id: 'st', schoolId: 'S' }, false)).toBe(false);
    expect(canReadStudentRecords(teacherS, { id: 'st', schoolId: 'S' }, false)).toBe(true);
    expect(canReadStudentRecords(outsider, { id: 'st', schoolId: 'S' }, false)).toBe(false);
    // A student rotations has not heard of has no records: the (empty) answer is no secret.
    expect(canReadStudentRecords(outsider, { id: 'st', schoolId: null }, false)).toBe(true);
  });
  it('scopes placement lists, with what each hospital role reaches', () => {
    expect(placementListScope(admin)).toEqual({ kind: 'all' });
    expect(placementListScope(coordinatorH)).toEqual({ kind: 'institution', institutionId: 'H', hospital: { kind: 'all' } });
    expect(placementListScope(instructorH, 'd1')).toEqual({
      kind: 'institution',
      institutionId: 'H',
      hospital: { kind: 'ward', departmentId: 'd1', supervisorId: 'ih' },
    });
    expect(placementListScope(instructorH)).toEqual({
      kind: 'institution',
      institutionId: 'H',
      hospital: { kind: 'ward', departmentId: null, supervisorId: 'ih' },
    });
    expect(placementListScope({ ...instructorH, roles: ['QUALITY_OFFICER'] })).toEqual({
      kind: 'institution',
      institutionId: 'H',
      hospital: { kind: 'none' },
    });
    expect(placementListScope(student)).toEqual({ kind: 'student', studentId: 'st' });
    expect(placementListScope({ personId: 'x', institutionId: null, roles: [] })).toEqual({ kind: 'nothing' });
  });
});

describe('calendars and seats', () => {
  it("shows a school's calendar to its people and partner hospitals' staff", () => {
    expect(canReadSchoolCalendar(student, 'S', [])).toBe(true);
    expect(canReadSchoolCalendar(instructorH, 'S', ['H'])).toBe(true);
    expect(canReadSchoolCalendar(instructorH, 'S', [])).toBe(false);
    expect(canReadSchoolCalendar(outsider, 'S', ['H'])).toBe(false);
  });
  it('shows seats to both parties, each school only its own', () => {
    expect(canReadCapacity(coordinatorH, { schoolId: 'S', hospitalId: 'H' })).toBe(true);
    expect(canReadCapacity(student, { schoolId: 'S', hospitalId: 'H' })).toBe(true);
    expect(canReadCapacity(outsider, { schoolId: 'S', hospitalId: 'H' })).toBe(false);
  });
});

describe("a student's preferences and acting for a student", () => {
  const st = { id: 'st', schoolId: 'S' };
  it('shows preferences to the student, their school staff and network admins only', () => {
    expect(canReadPreferences(student, st)).toBe(true);
    expect(canReadPreferences(teacherS, st)).toBe(true);
    expect(canReadPreferences(admin, st)).toBe(true);
    expect(canReadPreferences({ ...student, personId: 'classmate' }, st)).toBe(false);
    expect(canReadPreferences(instructorH, st)).toBe(false);
  });
  it("lets the student signed in as a student, and the school's planners, act for the student", () => {
    expect(canActForStudent(student, st)).toBe(true);
    expect(canActForStudent({ ...teacherS, personId: 'st' }, st)).toBe(false);
    expect(canActForStudent(coordinatorS, st)).toBe(true);
    expect(canActForStudent(admin, st)).toBe(true);
    expect(canActForStudent(teacherS, st)).toBe(false);
    expect(canActForStudent(coordinatorH, st)).toBe(false);
  });
});

describe('staff and department feeds', () => {
  const staffH = { id: 'ih', institutionId: 'H', departmentId: 'd1', roles: ['CLINICAL_INSTRUCTOR'] };
  it('shows a staff member to themself, their institution and network admins', () => {
    expect(canReadStaffMember(instructorH, 'ih', null)).toBe(true);
    expect(canReadStaffMember(coordinatorH, 'ih', staffH)).toBe(true);
    expect(canReadStaffMember(admin, 'ih', null)).toBe(true);
    expect(canReadStaffMember(coordinatorH, 'ih', null)).toBe(false);
    expect(canReadStaffMember(coordinatorS, 'ih', staffH)).toBe(false);
    expect(canReadStaffMember({ personId: 'x', institutionId: null, roles: ['STUDENT'] }, 'ih', staffH)).toBe(false);
  });
  it("lets the hospital's planners and the department's instructors manage its feed", () => {
    const d1 = { id: 'd1', hospitalId: 'H' };
    expect(canManageDepartmentFeed(coordinatorH, d1, null)).toBe(true);
    expect(canManageDepartmentFeed(instructorH, d1, staffH)).toBe(true);
    expect(canManageDepartmentFeed(instructorH, { id: 'd2', hospitalId: 'H' }, staffH)).toBe(false);
    expect(canManageDepartmentFeed(instructorH, d1, { ...staffH, institutionId: 'K' })).toBe(false);
    expect(canManageDepartmentFeed({ ...instructorH, institutionId: 'K' }, { id: 'd1', hospitalId: 'H' }, staffH)).toBe(false);
    expect(canManageDepartmentFeed({ ...instructorH, roles: ['TEACHER'] }, d1, staffH)).toBe(false);
  });
});

describe('asking for placements', () => {
  const none = { ofSchool: [], ofCallerSchool: [] };
  const ask = (over: Partial<PlacementAsk> = {}): PlacementAsk => ({ schoolId: null, hospitalId: null, studentId: null, ...over });
  it('lets network admins ask anything', () => {
    expect(mayAskForPlacements(admin, ask({ schoolId: 'K', hospitalId: 'K', studentId: 'x' }), none)).toBe(true);
  });
  it('lets a student ask for their own placements only; staff may name a student', () => {
    expect(mayAskForPlacements(student, ask({ studentId: 'st' }), none)).toBe(true);
    expect(mayAskForPlacements(student, ask({ studentId: 'classmate' }), none)).toBe(false);
    expect(mayAskForPlacements(teacherS, ask({ studentId: 'st' }), none)).toBe(true);
  });
  it('lets a caller ask about a school only when they may read its calendar', () => {
    expect(mayAskForPlacements(teacherS, ask({ schoolId: 'S' }), none)).toBe(true);
    expect(mayAskForPlacements(instructorH, ask({ schoolId: 'S' }), { ofSchool: ['H'], ofCallerSchool: [] })).toBe(true);
    expect(mayAskForPlacements(instructorH, ask({ schoolId: 'S' }), none)).toBe(false);
  });
  it("lets a caller ask about their own hospital or their school's partner hospitals only", () => {
    expect(mayAskForPlacements(coordinatorH, ask({ hospitalId: 'H' }), none)).toBe(true);
    expect(mayAskForPlacements(coordinatorS, ask({ hospitalId: 'H' }), { ofSchool: [], ofCallerSchool: ['H'] })).toBe(true);
    expect(mayAskForPlacements(coordinatorS, ask({ hospitalId: 'H' }), none)).toBe(false);
  });
});

describe('rotations access policy: the edges the mutation gate found', () => {
  it('scopes a staff role without an institution to nothing', () => {
    expect(placementListScope({ personId: 'x', institutionId: null, roles: ['COORDINATOR'] })).toEqual({ kind: 'nothing' });
  });

  it("finds a hospital's grant among the student's placements at other hospitals", () => {
    expect(hospitalHoldsGrant(instructorH, [placement({ hospitalId: 'K' }), placement()], now, 'd1')).toBe(true);
  });

  it('lets the student read their own rotation records', () => {
    expect(canReadStudentRecords(student, { id: 'st', schoolId: 'S' }, false)).toBe(true);
  });

  it("does not open a school's calendar to the students of its partner hospitals", () => {
    expect(canReadSchoolCalendar({ personId: 'x', institutionId: 'H', roles: ['STUDENT'] }, 'S', ['H'])).toBe(false);
  });

  it("lets a student ask for their school's placements without naming a student", () => {
    expect(mayAskForPlacements(student, { schoolId: 'S', hospitalId: null, studentId: null }, { ofSchool: [], ofCallerSchool: [] })).toBe(
      true,
    );
  });
});
