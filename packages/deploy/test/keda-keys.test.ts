import { randomBytes } from 'node:crypto';
import { EventQueues, eventQueueName, type EventJobData } from '@medcollab/events';
import { createLogger, createRedis } from '@medcollab/kit';
import { bullWaitListKey } from '../src';

const redisUrl = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const prefix = `mctest-keda-${randomBytes(4).toString('hex')}`;
const queues = new EventQueues({ redisUrl, prefix }, createLogger('keda-keys-test', 'silent'));
const redis = createRedis(redisUrl);

const job = (id: string): EventJobData => ({
  envelope: {
    id,
    type: 'StudentRegistered',
    version: 1,
    source: 'network',
    aggregateType: 'Student',
    aggregateId: id,
  } as EventJobData['envelope'],
  previousEventId: null,
});

beforeAll(() => redis.connect());
afterAll(async () => {
  await queues.get('network').obliterate({ force: true });
  await queues.close();
  const leftovers = await redis.keys(`${prefix}:*`);
  if (leftovers.length) await redis.del(...leftovers);
  await redis.quit();
});

describe("the Redis list KEDA's ScaledObjects watch", () => {
  it('is where BullMQ 6 keeps the waiting jobs of an event queue', async () => {
    const queue = queues.get('network');
    const key = bullWaitListKey(prefix, eventQueueName('network'));
    expect(await redis.llen(key)).toBe(0);
    await queue.add('StudentRegistered', job('a'), { jobId: 'a' });
    await queue.add('StudentRegistered', job('b'), { jobId: 'b' });
    expect(await redis.type(key)).toBe('list');
    expect(await redis.llen(key)).toBe(2);
    // Retries waiting out their backoff are delayed (a sorted set): not work a new replica could take now.
    await queue.add('StudentRegistered', job('c'), { jobId: 'c', delay: 60_000 });
    expect(await redis.llen(key)).toBe(2);
  });
});
