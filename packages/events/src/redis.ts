import { Redis } from 'ioredis';
import { type ConnectionOptions } from 'bullmq';

/**
 * Connection OPTIONS for BullMQ (never a shared ioredis instance: BullMQ would not close it
 * and the process would not exit). Workers block on Redis, so commands must wait for a
 * reconnect instead of failing after N retries: `maxRetriesPerRequest: null`.
 */
export function bullConnection(redisUrl: string): ConnectionOptions {
  return { url: redisUrl, maxRetriesPerRequest: null };
}

/** Reads `maxmemory-policy` from `CONFIG GET` output or, where CONFIG is disabled, from `INFO memory`. */
export function parseMaxmemoryPolicy(configReply: unknown, infoMemory?: string): string | null {
  if (Array.isArray(configReply) && configReply.length >= 2 && typeof configReply[1] === 'string') return configReply[1];
  const line = infoMemory?.split(/\r?\n/).find((l) => l.startsWith('maxmemory_policy:'));
  return line ? line.slice('maxmemory_policy:'.length).trim() : null;
}

export class RedisEvictionPolicyError extends Error {
  override name = 'RedisEvictionPolicyError';
}

/** The smallest part of a Redis client the check needs (a fake in unit tests). */
export interface PolicyReader {
  config(op: 'GET', key: string): Promise<unknown>;
  info(section: string): Promise<string>;
}

/**
 * Refuses to run on a Redis that may evict keys: an evicted job is a lost event delivery or a
 * lost lock. The sweeper would recover deliveries, but silently and late; fail loudly instead.
 */
export async function assertNoEviction(reader: PolicyReader): Promise<void> {
  let policy: string | null = null;
  try {
    policy = parseMaxmemoryPolicy(await reader.config('GET', 'maxmemory-policy'));
  } catch {
    // Managed Redis often disables CONFIG; INFO still tells.
  }
  policy ??= parseMaxmemoryPolicy(undefined, await reader.info('memory'));
  if (policy !== 'noeviction') {
    throw new RedisEvictionPolicyError(
      `Redis maxmemory-policy is "${policy ?? 'unknown'}"; the event queues need "noeviction" ` +
        '(run `CONFIG SET maxmemory-policy noeviction` or set it in redis.conf). Refusing to start.',
    );
  }
}

/** Connects once, checks the eviction policy, disconnects. */
export async function checkRedisEvictionPolicy(redisUrl: string): Promise<void> {
  const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1, enableOfflineQueue: false, retryStrategy: () => null });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    await assertNoEviction(redis as unknown as PolicyReader);
  } finally {
    redis.disconnect();
  }
}
