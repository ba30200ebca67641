import { type Actor } from '@medcollab/kit';
import { canManagePeople, canManageStaffMember, changedFields, roleChangeRefusal } from '../../src/domain/lifecycle';

const school = 'a0000000-0000-4000-8000-000000000001';
const other = 'a0000000-0000-4000-8000-000000000002';
const actor = (roles: Actor['roles'], institutionId: string | null = school): Actor => ({ personId: 'p', institutionId, roles });

describe('people lifecycle rules', () => {
  it('counts only real changes; roles compare as sets and undefined leaves a field alone', () => {
    const current = { email: 'a@x.org', cohortYear: 2024, roles: ['TEACHER', 'MENTOR'] };
    expect(changedFields(current, { email: 'a@x.org', cohortYear: undefined, roles: ['MENTOR', 'TEACHER'] })).toEqual([]);
    expect(changedFields(current, { email: 'b@x.org', roles: ['MENTOR'] })).toEqual(['email', 'roles']);
    expect(changedFields({ departmentId: 'd1' as string | null }, { departmentId: null })).toEqual(['departmentId']);
  });

  it("lets the institution's admins and integration accounts manage its people, and nobody else's", () => {
    expect(canManagePeople(actor(['INSTITUTION_ADMIN']), school)).toBe(true);
    expect(canManagePeople(actor(['INTEGRATION']), school)).toBe(true);
    expect(canManagePeople(actor(['INTEGRATION']), other)).toBe(false);
    expect(canManagePeople(actor(['COORDINATOR', 'TEACHER']), school)).toBe(false);
    expect(canManagePeople(actor(['NETWORK_ADMIN'], null), other)).toBe(true);
  });

  it('keeps integration accounts away from admins and admin roles', () => {
    const integration = actor(['INTEGRATION']);
    expect(canManageStaffMember(integration, { institutionId: school, roles: ['TEACHER'] })).toBe(true);
    expect(canManageStaffMember(integration, { institutionId: school, roles: ['INSTITUTION_ADMIN'] })).toBe(false);
    expect(canManageStaffMember(actor(['INSTITUTION_ADMIN']), { institutionId: school, roles: ['INSTITUTION_ADMIN'] })).toBe(true);
    expect(roleChangeRefusal(integration, ['TEACHER'], ['TEACHER', 'MENTOR'])).toBeNull();
    expect(roleChangeRefusal(integration, ['TEACHER'], ['INSTITUTION_ADMIN'])).toMatch(/integration account may only grant or remove/);
    expect(roleChangeRefusal(integration, [], ['INTEGRATION'])).toMatch(/integration account/);
    expect(roleChangeRefusal(actor(['INSTITUTION_ADMIN']), ['TEACHER'], ['NETWORK_ADMIN'])).toMatch(/Only a network admin/);
    expect(roleChangeRefusal(actor(['INSTITUTION_ADMIN']), ['NETWORK_ADMIN', 'TEACHER'], ['TEACHER'])).toMatch(/Only a network admin/);
    expect(roleChangeRefusal(actor(['INSTITUTION_ADMIN']), ['TEACHER'], ['INSTITUTION_ADMIN'])).toBeNull();
    // An account holding both roles acts as the admin it also is.
    expect(roleChangeRefusal(actor(['INSTITUTION_ADMIN', 'INTEGRATION']), ['TEACHER'], ['INTEGRATION'])).toBeNull();
  });
});
