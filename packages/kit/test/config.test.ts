import { z } from 'zod';
import { baseConfigShape, ConfigError, DEV_INTERNAL_SECRET, loadConfig } from '../src/config';

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
