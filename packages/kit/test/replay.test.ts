import { randomUUID } from 'node:crypto';
import { testServices } from '../../testing/src/services';
import { createLogger } from '../src/logger';
import { createRedis } from '../src/redis';
import { redisReplayGuard } from '../src/replay';

const log = createLogger('replay-test', 'silent');

describe('replay guard shared through Redis', () => {
  const redis = createRedis(testServices().redisUrl);
  beforeAll(() => redis.connect());
  afterAll(() => redis.quit());

  it('refuses a nonce replayed against another replica (another process memory, same Redis)', async () => {
    const keyPrefix = `replay-test:${randomUUID()}:`;
    const replicaA = redisReplayGuard(redis, { keyPrefix, log });
    const replicaB = redisReplayGuard(redis, { keyPrefix, log });
    expect(await replicaA.firstSeen('n1')).toBe(true);
    expect(await replicaB.firstSeen('n1')).toBe(false);
    expect(await replicaA.firstSeen('n1')).toBe(false);
    expect(await replicaB.firstSeen('n2')).toBe(true);
    const ttl = await redis.pttl(`${keyPrefix}n1`);
    expect(ttl).toBeGreaterThan(60_000);
    expect(ttl).toBeLessThanOrEqual(120_000);
  });

  it('keeps refusing replays to the same process while Redis is unreachable', async () => {
    const down = createRedis('redis://127.0.0.1:1');
    const guard = redisReplayGuard(down, { keyPrefix: 'replay-test:', log });
    expect(await guard.firstSeen('n1')).toBe(true);
    expect(await guard.firstSeen('n1')).toBe(false);
    down.disconnect();
  });
});
