import { type Actor } from '@medcollab/kit';
import { mayManageRetention, mayReadAccessHistory, mayReadInstitutionTrail } from '../../src/domain/access-policy';

const actor = (roles: Actor['roles'], institutionId: string | null = 'S', personId = 'p'): Actor => ({ personId, institutionId, roles });

describe('audit access policy', () => {
  it("lets the institution's own admins and quality officers read its trail", () => {
    expect(mayReadInstitutionTrail(actor(['INSTITUTION_ADMIN']), 'S')).toBe(true);
    expect(mayReadInstitutionTrail(actor(['QUALITY_OFFICER']), 'S')).toBe(true);
    expect(mayReadInstitutionTrail(actor(['TEACHER', 'QUALITY_OFFICER']), 'S')).toBe(true);
  });

  it("refuses another institution's admins, network admins and every other role", () => {
    expect(mayReadInstitutionTrail(actor(['INSTITUTION_ADMIN'], 'H'), 'S')).toBe(false);
    expect(mayReadInstitutionTrail(actor(['QUALITY_OFFICER'], 'H'), 'S')).toBe(false);
    expect(mayReadInstitutionTrail(actor(['NETWORK_ADMIN'], null), 'S')).toBe(false);
    expect(mayReadInstitutionTrail(actor(['NETWORK_ADMIN']), 'S')).toBe(false);
    expect(mayReadInstitutionTrail(actor(['COORDINATOR', 'TEACHER', 'STUDENT']), 'S')).toBe(false);
    expect(mayReadInstitutionTrail(actor([]), 'S')).toBe(false);
  });

  it("lets only the institution's own admins set retention", () => {
    expect(mayManageRetention(actor(['INSTITUTION_ADMIN']), 'S')).toBe(true);
    expect(mayManageRetention(actor(['INSTITUTION_ADMIN'], 'H'), 'S')).toBe(false);
    expect(mayManageRetention(actor(['QUALITY_OFFICER']), 'S')).toBe(false);
    expect(mayManageRetention(actor(['NETWORK_ADMIN'], null), 'S')).toBe(false);
  });

  it('shows a student only their own access history', () => {
    expect(mayReadAccessHistory(actor(['STUDENT'], 'S', 'st1'), 'st1')).toBe(true);
    expect(mayReadAccessHistory(actor(['STUDENT'], 'S', 'st2'), 'st1')).toBe(false);
    // Their own id is not enough without the student role (a staff account sharing the id).
    expect(mayReadAccessHistory(actor(['INSTITUTION_ADMIN'], 'S', 'st1'), 'st1')).toBe(false);
  });
});
