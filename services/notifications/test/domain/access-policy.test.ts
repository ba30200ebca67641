import { type Actor, type Role } from '@medcollab/kit';
import { canManageNotifications, canSeeReminders } from '../../src/domain/access-policy';

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
