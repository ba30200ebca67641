import { Client } from 'pg';
import { Redis } from 'ioredis';

const PG_HINT =
  'Start it with:  pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start   (or `docker compose up -d postgres`), or set DATABASE_URL.';
const REDIS_HINT =
  'Start it with:  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no --maxmemory-policy noeviction   (or `docker compose up -d redis`), or set REDIS_URL.';

/** Fails with a message saying how to start PostgreSQL when it does not answer. */
export async function checkPostgres(url: string): Promise<void> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 3_000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
  } catch (error) {
    throw new Error(`PostgreSQL is not reachable at ${redact(url)} (${(error as Error).message}).\n${PG_HINT}`);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Fails when Redis does not answer, or would evict queue data under memory pressure. */
export async function checkRedis(url: string): Promise<void> {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, connectTimeout: 3_000, retryStrategy: () => null });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    const [, policy] = (await redis.config('GET', 'maxmemory-policy')) as [string, string];
    if (policy !== 'noeviction') {
      throw new Error(
        `Redis at ${redact(url)} has maxmemory-policy ${policy}; queues need noeviction (redis-cli config set maxmemory-policy noeviction).`,
      );
    }
  } catch (error) {
    if ((error as Error).message.includes('maxmemory-policy')) throw error;
    throw new Error(`Redis is not reachable at ${redact(url)} (${(error as Error).message}).\n${REDIS_HINT}`);
  } finally {
    redis.disconnect();
  }
}

function redact(url: string): string {
  const u = new URL(url);
  if (u.password) u.password = '***';
  return u.toString();
}
