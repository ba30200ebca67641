import { Redis, type RedisOptions } from 'ioredis';

/**
 * A Redis client for request paths: commands fail fast instead of queueing forever while
 * Redis is away. BullMQ gets its own connections (see @medcollab/events).
 */
export function createRedis(url: string, opts: RedisOptions = {}): Redis {
  const redis = new Redis(url, { maxRetriesPerRequest: 1, enableOfflineQueue: false, lazyConnect: true, ...opts });
  // Without a listener an unreachable Redis emits unhandled 'error' events and crashes the process.
  redis.on('error', () => undefined);
  return redis;
}
