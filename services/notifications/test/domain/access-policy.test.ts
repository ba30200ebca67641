import { type Actor, type Role } from '@medcollab/kit';
import {
  canManageNotifications,
  canSeeMenteeReminders,
  canSeePlacementReminders,
  canSeeReminders,
  canSeeSwapReminders,
  windowRemindersScope,
} from '../../src/domain/access-policy';

const actor = (institutionId: string | null, ...roles: Role[]): Actor => ({ personId: 'p', institutionId, roles });

describe('canManageNotifications', () => {
  it("lets the school's admins and quality officers, and network admins, manage its policy", () => {
    expect(canManageNotifications(actor('s', 'INSTITUTION_ADMIN'), 's')).toBe(true);
    expect(canManageNotifications(actor('s', 'QUALITY_OFFICER'), 's')).toBe(true);
    expect(canManageNotifications(actor(null, 'NETWORK_ADMIN'), 's')).toBe(true);
  });
  it('refuses coordinators, teachers, students and other institutions', () => {
    expect(canManageNotifications(actor('s', 'COORDINATOR'), 's')).toBe(false);
    expect(canManageNotifications(actor('s', 'TEACHER'), 's')).toBe(false);
    expect(canManageNotifications(actor('s', 'STUDENT'), 's')).toBe(false);
    expect(canManageNotifications(actor('other', 'INSTITUTION_ADMIN'), 's')).toBe(false);
  });
});

describe('canSeeReminders', () => {
  const task = { assessorId: 'a', schoolId: 's', hospitalId: 'h' };
  it('lets the assessor, the school and the hospital coordinators see them', () => {
    expect(canSeeReminders({ personId: 'a', institutionId: 'h', roles: ['CLINICAL_INSTRUCTOR'] }, task)).toBe(true);
    expect(canSeeReminders(actor('s', 'COORDINATOR'), task)).toBe(true);
    expect(canSeeReminders(actor('h', 'COORDINATOR'), task)).toBe(true);
    expect(canSeeReminders(actor('s', 'QUALITY_OFFICER'), task)).toBe(true);
    expect(canSeeReminders(actor('h', 'INSTITUTION_ADMIN'), task)).toBe(true);
  });
  it('refuses a caller of no institution, even for a task without a hospital', () => {
    expect(canSeeReminders(actor(null, 'COORDINATOR'), { ...task, hospitalId: null })).toBe(false);
  });
  it('refuses other teachers, students and institutions', () => {
    expect(canSeeReminders(actor('s', 'TEACHER'), task)).toBe(false);
    expect(canSeeReminders(actor('s', 'STUDENT'), task)).toBe(false);
    expect(canSeeReminders(actor('x', 'COORDINATOR'), task)).toBe(false);
    expect(canSeeReminders(actor('s', 'COORDINATOR'), { ...task, hospitalId: null, schoolId: 'y' })).toBe(false);
  });
});

describe('canSeePlacementReminders', () => {
  const p = { studentId: 'st', supervisorId: 'sup', schoolId: 's', hospitalId: 'h' };
  it('lets the student, the supervisor and the school and hospital coordinators see them', () => {
    expect(canSeePlacementReminders({ personId: 'st', institutionId: 's', roles: ['STUDENT'] }, p)).toBe(true);
    expect(canSeePlacementReminders({ personId: 'sup', institutionId: 'h', roles: ['CLINICAL_INSTRUCTOR'] }, p)).toBe(true);
    expect(canSeePlacementReminders(actor('s', 'COORDINATOR'), p)).toBe(true);
    expect(canSeePlacementReminders(actor('h', 'INSTITUTION_ADMIN'), p)).toBe(true);
    expect(canSeePlacementReminders(actor('s', 'QUALITY_OFFICER'), p)).toBe(true);
    expect(canSeePlacementReminders(actor(null, 'NETWORK_ADMIN'), p)).toBe(true);
  });
  it('refuses other students and teachers of the school, and every other institution', () => {
    expect(canSeePlacementReminders(actor('s', 'STUDENT'), p)).toBe(false);
    expect(canSeePlacementReminders(actor('s', 'TEACHER'), p)).toBe(false);
    expect(canSeePlacementReminders(actor('x', 'COORDINATOR'), p)).toBe(false);
    expect(canSeePlacementReminders(actor(null, 'COORDINATOR'), p)).toBe(false);
  });
});

describe('canSeeSwapReminders', () => {
  const s = { studentId: 'a', withStudentId: 'b', schoolId: 's' };
  it('lets both students and the school coordinators see them', () => {
    expect(canSeeSwapReminders({ personId: 'a', institutionId: 's', roles: ['STUDENT'] }, s)).toBe(true);
    expect(canSeeSwapReminders({ personId: 'b', institutionId: 's', roles: ['STUDENT'] }, s)).toBe(true);
    expect(canSeeSwapReminders(actor('s', 'COORDINATOR'), s)).toBe(true);
    expect(canSeeSwapReminders(actor(null, 'NETWORK_ADMIN'), s)).toBe(true);
  });
  it('refuses other students, teachers and institutions', () => {
    expect(canSeeSwapReminders(actor('s', 'STUDENT'), s)).toBe(false);
    expect(canSeeSwapReminders(actor('s', 'TEACHER'), s)).toBe(false);
    expect(canSeeSwapReminders(actor('x', 'COORDINATOR'), s)).toBe(false);
  });
});

describe('windowRemindersScope', () => {
  it("shows the whole plan to the school's coordinators, a student only their own steps, others nothing", () => {
    expect(windowRemindersScope(actor('s', 'COORDINATOR'), { schoolId: 's' })).toBe('ALL');
    expect(windowRemindersScope(actor(null, 'NETWORK_ADMIN'), { schoolId: 's' })).toBe('ALL');
    expect(windowRemindersScope(actor('s', 'STUDENT'), { schoolId: 's' })).toBe('OWN');
    expect(windowRemindersScope(actor('s', 'TEACHER'), { schoolId: 's' })).toBe('NONE');
    expect(windowRemindersScope(actor('x', 'STUDENT'), { schoolId: 's' })).toBe('NONE');
    expect(windowRemindersScope(actor('x', 'COORDINATOR'), { schoolId: 's' })).toBe('NONE');
  });
});

describe('canSeeMenteeReminders', () => {
  const mentorship = { mentorId: 'm', schoolId: 's' };
  it("lets the mentor, the mentees' school coordinators, admins and quality officers, and network admins see the plan", () => {
    expect(canSeeMenteeReminders({ personId: 'm', institutionId: 'h', roles: ['CLINICAL_INSTRUCTOR'] }, mentorship)).toBe(true);
    expect(
      canSeeMenteeReminders({ personId: 'm', institutionId: 'h', roles: ['CLINICAL_INSTRUCTOR'] }, { ...mentorship, schoolId: null }),
    ).toBe(true);
    expect(canSeeMenteeReminders(actor('s', 'COORDINATOR'), mentorship)).toBe(true);
    expect(canSeeMenteeReminders(actor('s', 'INSTITUTION_ADMIN'), mentorship)).toBe(true);
    expect(canSeeMenteeReminders(actor('s', 'QUALITY_OFFICER'), mentorship)).toBe(true);
    expect(canSeeMenteeReminders(actor(null, 'NETWORK_ADMIN'), { ...mentorship, schoolId: null })).toBe(true);
  });
  it('refuses the mentees, teachers, other institutions and, while the school is unknown, everyone but the mentor', () => {
    expect(canSeeMenteeReminders(actor('s', 'STUDENT'), mentorship)).toBe(false);
    expect(canSeeMenteeReminders(actor('s', 'TEACHER'), mentorship)).toBe(false);
    expect(canSeeMenteeReminders(actor('other', 'COORDINATOR'), mentorship)).toBe(false);
    expect(canSeeMenteeReminders(actor('s', 'COORDINATOR'), { ...mentorship, schoolId: null })).toBe(false);
    expect(canSeeMenteeReminders(actor(null, 'COORDINATOR'), { ...mentorship, schoolId: null })).toBe(false);
  });
});
