import { type Actor } from '@medcollab/kit';
import {
  canManageHospitalSeats,
  canPlanSchoolRotations,
  canReadCapacity,
  canReadPlacement,
  canReadSchoolCalendar,
  canReadStudentRecords,
  canRunPlacementOnSite,
  hospitalHoldsGrant,
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

describe('reading placements and students', () => {
  it('shows a placement to its student, the school, and the hospital while it grants access', () => {
    expect(canReadPlacement(student, placement(), now)).toBe(true);
    expect(canReadPlacement(teacherS, placement({ status: 'PROPOSED' }), now)).toBe(true);
    expect(canReadPlacement(instructorH, placement(), now)).toBe(true);
    expect(canReadPlacement(instructorH, placement({ status: 'PROPOSED' }), now)).toBe(false);
    expect(canReadPlacement(instructorH, placement({ status: 'COMPLETED', accessUntil: new Date('2026-11-02T00:00:00Z') }), now)).toBe(
      true,
    );
    expect(canReadPlacement(instructorH, placement({ status: 'COMPLETED', accessUntil: new Date('2026-10-31T00:00:00Z') }), now)).toBe(
      false,
    );
    expect(canReadPlacement(outsider, placement(), now)).toBe(false);
    expect(canReadPlacement({ ...student, personId: 'classmate' }, placement(), now)).toBe(false);
  });
  it("lets a hospital read a student's records only with a live grant at that hospital", () => {
    expect(hospitalHoldsGrant(instructorH, [placement()], now)).toBe(true);
    expect(hospitalHoldsGrant(instructorH, [placement({ hospitalId: 'K' })], now)).toBe(false);
    expect(hospitalHoldsGrant(instructorH, [placement({ status: 'PROPOSED' })], now)).toBe(false);
    expect(canReadStudentRecords(instructorH, { id: 'st', schoolId: 'S' }, true)).toBe(true);
    expect(canReadStudentRecords(instructorH, { id: 'st', schoolId: 'S' }, false)).toBe(false);
    expect(canReadStudentRecords(teacherS, { id: 'st', schoolId: 'S' }, false)).toBe(true);
    expect(canReadStudentRecords(outsider, { id: 'st', schoolId: 'S' }, false)).toBe(false);
    // A student rotations has not heard of has no records: the (empty) answer is no secret.
    expect(canReadStudentRecords(outsider, { id: 'st', schoolId: null }, false)).toBe(true);
  });
  it('scopes placement lists', () => {
    expect(placementListScope(admin)).toEqual({ kind: 'all' });
    expect(placementListScope(instructorH)).toEqual({ kind: 'institution', institutionId: 'H' });
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
