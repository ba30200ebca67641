import { DEV_INTERNAL_SECRET, REPOSITORY_SECRETS } from '@medcollab/kit';
import { auditSettings, DEV_EXPORT_SECRET } from '../../src/settings';

/**
 * The export links' key (AUDIT_EXPORT_SECRET) is what makes a CSV link of the trail unforgeable:
 * with a key written in the repository, anyone could sign a link. Production refuses every such
 * key by the kit's one rule (ADR 0053), the default and the others alike.
 */
describe('AUDIT_EXPORT_SECRET', () => {
  const own = 'an-audit-export-key-of-our-own-0123456789';

  it('has a development default, refused in production with the kit rule', () => {
    expect(auditSettings({}).exportSecret).toBe(DEV_EXPORT_SECRET);
    expect(REPOSITORY_SECRETS.has(DEV_EXPORT_SECRET)).toBe(true);
    expect(() => auditSettings({ NODE_ENV: 'production' })).toThrow(/AUDIT_EXPORT_SECRET: must be set in production/);
    expect(() => auditSettings({ NODE_ENV: 'production', AUDIT_EXPORT_SECRET: DEV_EXPORT_SECRET })).toThrow(
      /AUDIT_EXPORT_SECRET: must be set in production/,
    );
  });

  it('refuses in production any other secret written in the repository', () => {
    for (const committed of [DEV_INTERNAL_SECRET, 'local-only-quality-export-secret'])
      expect(() => auditSettings({ NODE_ENV: 'production', AUDIT_EXPORT_SECRET: committed })).toThrow(
        /AUDIT_EXPORT_SECRET: must be set in production/,
      );
  });

  it('accepts a key of your own in production, and the default outside it', () => {
    expect(auditSettings({ NODE_ENV: 'production', AUDIT_EXPORT_SECRET: own }).exportSecret).toBe(own);
    expect(auditSettings({ NODE_ENV: 'test', AUDIT_EXPORT_SECRET: DEV_EXPORT_SECRET }).exportSecret).toBe(DEV_EXPORT_SECRET);
  });
});
