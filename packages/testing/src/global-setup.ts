import { Client } from 'pg';
import { claimRunId } from './run-id';
import { dockerEngineAvailable, NO_SERVICES_MESSAGE } from './services';

/**
 * Runs once before all test files: finds PostgreSQL and Redis (environment first, then
 * testcontainers), and drops test databases that an aborted earlier run left behind.
 * Workers inherit the TEST_* variables set here.
 */
export default async function globalSetup(): Promise<void> {
  process.env.LOG_LEVEL ??= 'silent';
  // Small pools: an e2e file runs four or more subgraphs and workers, each with its own pool, and
  // two suites (or a suite beside a running stack) share one PostgreSQL of 100 connections. With
  // 10 a pool they ran it out of clients; 3 is enough for a test's concurrency, given a longer
  // wait for a free connection (docs/architecture.md §8).
  process.env.DATABASE_POOL_SIZE ??= '3';
  process.env.DATABASE_CONNECT_TIMEOUT_MS ??= '60000';
  if (!process.env.TEST_DATABASE_URL || !process.env.TEST_REDIS_URL) {
    if (!dockerEngineAvailable()) throw new Error(NO_SERVICES_MESSAGE);
    const { PostgreSqlContainer } = await import('@testcontainers/postgresql');
    const { RedisContainer } = await import('@testcontainers/redis');
    const [pg, redis] = await Promise.all([
      new PostgreSqlContainer('postgres:15-alpine').start(),
      new RedisContainer('redis:7-alpine').withCommand(['redis-server', '--maxmemory-policy', 'noeviction']).start(),
    ]);
    process.env.TEST_DATABASE_URL = pg.getConnectionUri();
    process.env.TEST_REDIS_URL = redis.getConnectionUrl();
    (globalThis as { __containers?: unknown[] }).__containers = [pg, redis];
  }
  const run = await claimRunId(process.env.TEST_DATABASE_URL);
  (globalThis as { __testRun?: { release(): Promise<void> } }).__testRun = run;
  process.env.TEST_RUN_ID = run.id;
  await dropLeftoverTestDatabases(process.env.TEST_DATABASE_URL);
}

/** Databases of runs that started this long ago are leftovers (a crashed or killed run). */
const LEFTOVER_AGE_SECONDS = 2 * 60 * 60;

async function dropLeftoverTestDatabases(serverUrl: string): Promise<void> {
  const client = new Client({ connectionString: serverUrl });
  await client.connect();
  try {
    // Other runs may be going on against the same server: only drop what is clearly abandoned.
    const { rows } = await client.query<{ datname: string }>(
      "SELECT datname FROM pg_database WHERE datname ~ '^mc(test|tpl)_[a-z0-9-]+_[0-9]+_'",
    );
    const cutoff = Math.floor(Date.now() / 1000) - LEFTOVER_AGE_SECONDS;
    for (const { datname } of rows) {
      const started = Number(/_(\d{9,})_/.exec(datname)?.[1]);
      if (started < cutoff) {
        await client.query(`ALTER DATABASE "${datname}" WITH IS_TEMPLATE false`).catch(() => undefined);
        await client.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
      }
    }
  } finally {
    await client.end();
  }
}
