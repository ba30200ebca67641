import { type Actor, type Role } from '@medcollab/kit';
import {
  canEditMentorProfile,
  canLogMeeting,
  canManageMentorship,
  canManageStudentPreferences,
  canReadMeetingNotes,
  canReadMentorProfile,
  canReadMentorship,
  canReadStudentRecords,
  canReferenceStaff,
  canReadMatchingRun,
  canRunMatching,
  canSeeSuggestions,
  canStartMentoring,
  canUpdateGoal,
  goalAuthorship,
  isSchoolCoordinator,
} from '../../src/domain/access-policy';

const SCHOOL = 'school-a';
const OTHER = 'school-b';
const HOSPITAL = 'hospital-h';
const actor = (personId: string, institutionId: string | null, ...roles: Role[]): Actor => ({ personId, institutionId, roles });
const admin = actor('admin', null, 'NETWORK_ADMIN');
const coordinator = actor('coord', SCHOOL, 'COORDINATOR');
const teacher = actor('teacher', SCHOOL, 'TEACHER');
const otherCoordinator = actor('coord-b', OTHER, 'COORDINATOR');
const mentor = actor('mentor', HOSPITAL, 'CLINICAL_INSTRUCTOR', 'MENTOR');
const student = actor('s1', SCHOOL, 'STUDENT');
const coMentee = actor('s2', SCHOOL, 'STUDENT');
const m = { mentorId: 'mentor', schoolId: SCHOOL, menteeIds: ['s1', 's2'] };

describe('mentorships and meetings', () => {
  it('are read by admins, the mentor, mentees and school staff only', () => {
    for (const a of [admin, mentor, student, coMentee, coordinator, teacher]) expect(canReadMentorship(a, m)).toBe(true);
    expect(canReadMentorship(otherCoordinator, m)).toBe(false);
    expect(canReadMentorship(actor('x', HOSPITAL, 'COORDINATOR'), m)).toBe(false);
  });

  it('keep notes for the mentor and the mentees, away from coordinators and admins', () => {
    for (const a of [mentor, student, coMentee]) expect(canReadMeetingNotes(a, m)).toBe(true);
    for (const a of [admin, coordinator, teacher, otherCoordinator]) expect(canReadMeetingNotes(a, m)).toBe(false);
    expect(canLogMeeting(coordinator, m)).toBe(false);
  });

  it('are changed by the mentor, the school admins and coordinators, and admins', () => {
    for (const a of [admin, mentor, coordinator, actor('ia', SCHOOL, 'INSTITUTION_ADMIN')]) expect(canManageMentorship(a, m)).toBe(true);
    for (const a of [teacher, student, otherCoordinator, actor('hc', HOSPITAL, 'COORDINATOR')])
      expect(canManageMentorship(a, m)).toBe(false);
  });
});

describe("a student's records", () => {
  const s = { id: 's1', schoolId: SCHOOL };
  it('are read by the student, school staff, their mentors and admins', () => {
    for (const a of [admin, student, coordinator, teacher]) expect(canReadStudentRecords(a, s, [])).toBe(true);
    expect(canReadStudentRecords(mentor, s, [])).toBe(false);
    expect(canReadStudentRecords(mentor, s, ['mentor'])).toBe(true);
    expect(canReadStudentRecords(otherCoordinator, s, [])).toBe(false);
    expect(canReadStudentRecords(coMentee, s, [])).toBe(false);
  });

  it('cannot be read by school staff before mentorship has heard of the student', () => {
    expect(canReadStudentRecords(coordinator, { id: 's1', schoolId: null }, [])).toBe(false);
    expect(canReadStudentRecords(student, { id: 's1', schoolId: null }, [])).toBe(true);
  });

  it('have preferences set by the student and the school coordinators', () => {
    expect(canManageStudentPreferences(student, s)).toBe(true);
    expect(canManageStudentPreferences(coordinator, s)).toBe(true);
    expect(canManageStudentPreferences(teacher, s)).toBe(false);
    expect(canManageStudentPreferences(coMentee, s)).toBe(false);
  });

  it('get goals from the student, and proposals from their mentors only', () => {
    expect(goalAuthorship(student, 's1', [])).toBe('own');
    expect(goalAuthorship(mentor, 's1', ['mentor'])).toBe('proposal');
    expect(goalAuthorship(mentor, 's1', [])).toBeNull();
    expect(goalAuthorship(coordinator, 's1', [])).toBeNull();
    expect(goalAuthorship(admin, 's1', [])).toBeNull();
    expect(canUpdateGoal(student, { studentId: 's1', proposedById: 'mentor', pendingAcceptance: false })).toBe(true);
    expect(canUpdateGoal(mentor, { studentId: 's1', proposedById: 'mentor', pendingAcceptance: true })).toBe(true);
    expect(canUpdateGoal(mentor, { studentId: 's1', proposedById: 'mentor', pendingAcceptance: false })).toBe(false);
  });
});

describe('profiles, matching and staff references', () => {
  const staff = { id: 'mentor', institutionId: HOSPITAL };
  it('lets the mentor and their institution admins/coordinators edit a profile', () => {
    expect(canEditMentorProfile(mentor, staff)).toBe(true);
    expect(canEditMentorProfile(actor('hc', HOSPITAL, 'COORDINATOR'), staff)).toBe(true);
    expect(canEditMentorProfile(actor('mentor', HOSPITAL, 'CLINICAL_INSTRUCTOR'), staff)).toBe(false);
    expect(canEditMentorProfile(coordinator, staff)).toBe(false);
    expect(canEditMentorProfile(actor('ci', HOSPITAL, 'CLINICAL_INSTRUCTOR'), staff)).toBe(false);
  });

  it('shows a profile to its institution and partner schools', () => {
    const p = { staffId: 'mentor', institutionId: HOSPITAL };
    expect(canReadMentorProfile(coordinator, p, [SCHOOL])).toBe(true);
    expect(canReadMentorProfile(coordinator, p, [])).toBe(false);
    expect(canReadMentorProfile(actor('ci', HOSPITAL, 'CLINICAL_INSTRUCTOR'), p, [])).toBe(true);
  });

  it('lets only school coordinators and admins run matching', () => {
    expect(canRunMatching(coordinator, SCHOOL)).toBe(true);
    expect(canRunMatching(teacher, SCHOOL)).toBe(false);
    expect(canRunMatching(otherCoordinator, SCHOOL)).toBe(false);
    expect(canRunMatching(admin, SCHOOL)).toBe(true);
  });

  it('lets partners and mentees reference a staff member', () => {
    expect(canReferenceStaff(coordinator, staff, [SCHOOL], [])).toBe(true);
    expect(canReferenceStaff(otherCoordinator, staff, [SCHOOL], [])).toBe(false);
    expect(canReferenceStaff(actor('s9', OTHER, 'STUDENT'), staff, [], ['mentor'])).toBe(true);
    expect(canReferenceStaff(coordinator, null, [], [])).toBe(false);
    expect(canReferenceStaff(admin, null, [], [])).toBe(true);
  });
});

describe('school coordination', () => {
  it("is the school's admins and coordinators, of that school only, and nobody for a student mentorship has not heard of", () => {
    expect(isSchoolCoordinator(coordinator, SCHOOL)).toBe(true);
    expect(isSchoolCoordinator(actor('a', SCHOOL, 'INSTITUTION_ADMIN'), SCHOOL)).toBe(true);
    expect(isSchoolCoordinator(teacher, SCHOOL)).toBe(false);
    expect(isSchoolCoordinator(otherCoordinator, SCHOOL)).toBe(false);
    expect(isSchoolCoordinator(actor('c', null, 'COORDINATOR'), null)).toBe(false);
  });

  it('shows mentor suggestions to the student, their school coordinators and network admins only', () => {
    const s1 = { id: 's1', schoolId: SCHOOL };
    expect(canSeeSuggestions(student, s1)).toBe(true);
    expect(canSeeSuggestions(coordinator, s1)).toBe(true);
    expect(canSeeSuggestions(admin, s1)).toBe(true);
    expect(canSeeSuggestions(coMentee, s1)).toBe(false);
    expect(canSeeSuggestions(teacher, s1)).toBe(false);
    expect(canSeeSuggestions(actor('s1', HOSPITAL, 'MENTOR'), s1)).toBe(false);
  });
});

describe('starting a mentorship', () => {
  it("is for network admins and the student's school coordinators", () => {
    expect(canStartMentoring(admin, m)).toBe(true);
    expect(canStartMentoring(coordinator, m)).toBe(true);
    expect(canStartMentoring(otherCoordinator, m)).toBe(false);
    expect(canStartMentoring(teacher, m)).toBe(false);
  });

  it('lets a mentor start one only at their own school, never from a partner hospital (the school approves those)', () => {
    expect(canStartMentoring(mentor, m)).toBe(false);
    expect(canStartMentoring(actor('mentor', SCHOOL, 'MENTOR'), m)).toBe(true);
    expect(canStartMentoring(actor('mentor', SCHOOL, 'TEACHER'), m)).toBe(false);
    expect(canStartMentoring(actor('someone', SCHOOL, 'MENTOR'), m)).toBe(false);
  });
});

describe('matching runs', () => {
  it('are read by any staff of the school and network admins, not by its students nor another school', () => {
    expect(canReadMatchingRun(teacher, SCHOOL)).toBe(true);
    expect(canReadMatchingRun(admin, SCHOOL)).toBe(true);
    expect(canReadMatchingRun(student, SCHOOL)).toBe(false);
    expect(canReadMatchingRun(otherCoordinator, SCHOOL)).toBe(false);
  });
});

describe('mentorship access policy: the edges the mutation gate found', () => {
  const mentorship = { mentorId: 'mentor', schoolId: SCHOOL, menteeIds: ['s1'] };
  const mentorStaff = { id: 'mentor', institutionId: HOSPITAL };

  it('does not take a staff member of no institution for the staff of a student the school has not registered yet', () => {
    expect(canReadStudentRecords(actor('x', null, 'TEACHER'), { id: 's1', schoolId: null }, [])).toBe(false);
  });

  it('lets the mentor manage their own mentorship only as a mentor, and no other mentor', () => {
    expect(canManageMentorship(actor('mentor-2', HOSPITAL, 'MENTOR'), mentorship)).toBe(false);
    expect(canManageMentorship(actor('mentor', HOSPITAL, 'CLINICAL_INSTRUCTOR'), mentorship)).toBe(false);
  });

  it("lets network admins and the mentor's institution admins edit a mentor profile", () => {
    expect(canEditMentorProfile(admin, mentorStaff)).toBe(true);
    expect(canEditMentorProfile(actor('ia', HOSPITAL, 'INSTITUTION_ADMIN'), mentorStaff)).toBe(true);
    expect(canEditMentorProfile(actor('t', HOSPITAL, 'TEACHER'), mentorStaff)).toBe(false);
  });

  it('lets network admins read every mentor profile, and nobody of no institution', () => {
    expect(canReadMentorProfile(admin, { staffId: 'mentor', institutionId: HOSPITAL }, [])).toBe(true);
    expect(canReadMentorProfile(actor('x', null, 'TEACHER'), { staffId: 'mentor', institutionId: HOSPITAL }, [])).toBe(false);
  });

  it("does not let a student author or change another student's goal", () => {
    const otherStudent = actor('s2', SCHOOL, 'STUDENT');
    expect(goalAuthorship(otherStudent, 's1', [])).toBeNull();
    expect(canUpdateGoal(otherStudent, { studentId: 's1', proposedById: 'mentor', pendingAcceptance: true })).toBe(false);
    expect(canUpdateGoal(otherStudent, { studentId: 's1', proposedById: null, pendingAcceptance: true })).toBe(false);
  });

  it('lets a person reference themself whatever institution they sign in with, and colleagues of the same institution', () => {
    expect(canReferenceStaff(actor('mentor', null, 'MENTOR'), mentorStaff, [], [])).toBe(true);
    expect(canReferenceStaff(actor('colleague', HOSPITAL, 'TEACHER'), mentorStaff, [], [])).toBe(true);
    expect(canReferenceStaff(actor('stranger', null, 'TEACHER'), mentorStaff, [], [])).toBe(false);
  });
});
