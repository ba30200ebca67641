import { z } from 'zod';
import { baseConfigShape, ConfigError, DEV_INTERNAL_SECRET, loadConfig, refuseRepositorySecrets, REPOSITORY_SECRETS } from '../src/config';

describe('loadConfig', () => {
  it('applies defaults for a developer machine', () => {
    const config = loadConfig(baseConfigShape, {});
    expect(config.DATABASE_URL).toBe('postgres://postgres@127.0.0.1:5432/postgres');
    expect(config.INTERNAL_SIGNING_SECRET).toBe(DEV_INTERNAL_SECRET);
  });

  it('names every missing or bad variable in one message', () => {
    const shape = { ...baseConfigShape, API_KEY: z.string().min(1) };
    const load = () => loadConfig(shape, { DATABASE_URL: 'mysql://x', REDIS_URL: 'http://y', LOG_LEVEL: 'loud' });
    expect(load).toThrow(ConfigError);
    expect(load).toThrow(/DATABASE_URL: must be a postgres:\/\/ URL/);
    expect(load).toThrow(/REDIS_URL: must be a redis:\/\/ URL/);
    expect(load).toThrow(/LOG_LEVEL/);
    expect(load).toThrow(/API_KEY/);
  });

  it('refuses the development signing secret in production', () => {
    expect(() => loadConfig(baseConfigShape, { NODE_ENV: 'production' })).toThrow(/INTERNAL_SIGNING_SECRET: must be set in production/);
    expect(loadConfig(baseConfigShape, { NODE_ENV: 'production', INTERNAL_SIGNING_SECRET: 's'.repeat(40) }).NODE_ENV).toBe('production');
  });

  it('refuses a repository secret as the previous signing secret in production, and accepts one of your own', () => {
    const own = { NODE_ENV: 'production', INTERNAL_SIGNING_SECRET: 's'.repeat(40) };
    expect(() => loadConfig(baseConfigShape, { ...own, INTERNAL_SIGNING_SECRET_PREVIOUS: DEV_INTERNAL_SECRET })).toThrow(
      /INTERNAL_SIGNING_SECRET_PREVIOUS: must be set in production/,
    );
    expect(loadConfig(baseConfigShape, { ...own, INTERNAL_SIGNING_SECRET_PREVIOUS: 't'.repeat(40) }).INTERNAL_SIGNING_SECRET_PREVIOUS).toBe(
      't'.repeat(40),
    );
  });
});

describe('refuseRepositorySecrets (ADR 0053)', () => {
  const own = 'a-secret-of-our-own-0123456789-0123456789';

  it('refuses in production every named secret written in the repository, one line each', () => {
    for (const committed of REPOSITORY_SECRETS)
      expect(() => refuseRepositorySecrets('production', { SOME_KEY: committed })).toThrow(/SOME_KEY: must be set in production/);
    let message = '';
    try {
      refuseRepositorySecrets('production', { A_KEY: DEV_INTERNAL_SECRET, B_KEY: own, C_KEY: 'local-only-quality-export-secret' });
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      message = (e as Error).message;
    }
    expect(message.split('\n')).toEqual([
      'Invalid configuration:',
      expect.stringMatching(/^ {2}- A_KEY: /),
      expect.stringMatching(/^ {2}- C_KEY: /),
    ]);
  });

  it('accepts secrets of your own, absent ones, and anything outside production', () => {
    expect(() => refuseRepositorySecrets('production', { A_KEY: own, B_KEY: undefined })).not.toThrow();
    for (const env of [undefined, 'development', 'test'])
      expect(() => refuseRepositorySecrets(env, { A_KEY: DEV_INTERNAL_SECRET })).not.toThrow();
  });

  it("knows quality's and audit's export keys and assessment's evaluator key defaults", () => {
    expect(REPOSITORY_SECRETS.has('local-only-quality-export-secret')).toBe(true);
    expect(REPOSITORY_SECRETS.has('local-only-audit-export-secret')).toBe(true);
    expect(REPOSITORY_SECRETS.has('local-only-evaluator-pseudonym-key')).toBe(true);
  });
});
