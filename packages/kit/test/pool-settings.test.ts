import { ConfigError } from '../src/config';
import { createDataSource, databasePoolSettings } from '../src/db';

describe('databasePoolSettings', () => {
  it('keeps production pools at 10 connections with a 5 s wait when nothing is set', () => {
    expect(databasePoolSettings({})).toEqual({ size: 10, connectTimeoutMs: 5_000 });
  });

  it('takes the pool size and the wait from DATABASE_POOL_SIZE and DATABASE_CONNECT_TIMEOUT_MS', () => {
    expect(databasePoolSettings({ DATABASE_POOL_SIZE: '3', DATABASE_CONNECT_TIMEOUT_MS: '60000' })).toEqual({
      size: 3,
      connectTimeoutMs: 60_000,
    });
  });

  it.each(['0', '-2', '2.5', 'three'])('refuses DATABASE_POOL_SIZE=%s naming the variable', (value) => {
    expect(() => databasePoolSettings({ DATABASE_POOL_SIZE: value })).toThrow(ConfigError);
    expect(() => databasePoolSettings({ DATABASE_POOL_SIZE: value })).toThrow(/DATABASE_POOL_SIZE/);
  });
});

describe('createDataSource', () => {
  const saved = process.env.DATABASE_POOL_SIZE;
  afterEach(() => {
    if (saved === undefined) delete process.env.DATABASE_POOL_SIZE;
    else process.env.DATABASE_POOL_SIZE = saved;
  });
  const maxOf = (ds: ReturnType<typeof createDataSource>) => (ds.options as { extra: { max: number } }).extra.max;

  it('sizes a pool that does not choose its own by DATABASE_POOL_SIZE, and leaves a chosen size alone', () => {
    process.env.DATABASE_POOL_SIZE = '2';
    const url = 'postgres://postgres@127.0.0.1:5432/unused';
    expect(maxOf(createDataSource({ url, entities: [], migrations: [] }))).toBe(2);
    expect(maxOf(createDataSource({ url, entities: [], migrations: [], poolSize: 7 }))).toBe(7);
  });
});
