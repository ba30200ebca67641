import { execFileSync } from 'node:child_process';

/** Where the tests' PostgreSQL and Redis are. */
export interface TestServices {
  databaseUrl: string;
  redisUrl: string;
}

export const NO_SERVICES_MESSAGE = [
  'Integration tests need a real PostgreSQL and Redis, and none was found:',
  '  - TEST_DATABASE_URL / TEST_REDIS_URL are not set, and',
  '  - no container runtime answers (testcontainers needs a Docker engine).',
  'Either start Docker, or point the tests at running servers, e.g.',
  '  TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres TEST_REDIS_URL=redis://127.0.0.1:6379 pnpm test',
].join('\n');

/** The servers given by the environment (set by the user, or by globalSetup's containers). */
export function testServices(): TestServices {
  const databaseUrl = process.env.TEST_DATABASE_URL;
  const redisUrl = process.env.TEST_REDIS_URL;
  if (!databaseUrl || !redisUrl) throw new Error(NO_SERVICES_MESSAGE);
  return { databaseUrl, redisUrl };
}

/** True when a Docker engine answers (the client alone is not enough). */
export function dockerEngineAvailable(): boolean {
  try {
    execFileSync('docker', ['info', '--format', '{{.ServerVersion}}'], { stdio: 'ignore', timeout: 5_000 });
    return true;
  } catch {
    return false;
  }
}
