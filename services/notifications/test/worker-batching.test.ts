import { randomBytes, randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import {
  AssessmentTaskAssigned,
  bullConnection,
  EVENT_BACKOFF,
  eventJobId,
  eventQueueName,
  type EventJobData,
  JOB_ATTEMPTS,
} from '@medcollab/events';
import { testServices } from '@medcollab/testing';
import { reap, spawnNotificationsWorker, type WorkerChild } from './support/child';
import { buildWorld, emit, type NotificationsHarness, startNotifications, taskFacts, waitFor, type World } from './support/harness';

/**
 * The real worker process (src/worker.ts) applies incoming events in micro-batches: a flood of
 * assigned tasks is planned many per transaction, still exactly once (a redelivered event plans
 * nothing more) and a failing event in a batch neither loses nor doubles the others.
 */
let h: NotificationsHarness;
let w: World;
const prefixes: string[] = [];
const children: WorkerChild[] = [];
const queues: Queue[] = [];

beforeAll(async () => {
  h = await startNotifications();
  w = await buildWorld(h);
});
afterAll(async () => {
  await Promise.all(children.map(reap));
  await Promise.all(queues.map((q) => q.close()));
  const redis = new Redis(testServices().redisUrl);
  for (const prefix of prefixes) {
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length) await redis.del(...keys);
  }
  redis.disconnect();
  await h.stop();
});

const ASSIGNED = new Date('2026-12-01T09:00:00Z');
const DUE = new Date('2026-12-20T10:00:00Z');

function assigned(): EventJobData {
  const facts = taskFacts(w, DUE);
  return {
    envelope: {
      id: randomUUID(),
      type: AssessmentTaskAssigned.name,
      version: AssessmentTaskAssigned.version,
      source: 'assessment',
      aggregateType: AssessmentTaskAssigned.aggregateType,
      aggregateId: facts.taskId,
      sequence: 1,
      occurredAt: ASSIGNED.toISOString(),
      payload: { ...facts, assignedAt: ASSIGNED.toISOString() },
      metadata: {},
    },
    previousEventId: null,
  };
}
const taskOf = (item: EventJobData) => (item.envelope.payload as { taskId: string }).taskId;

/** Starts the real worker on its own queue prefix; returns its inbox queue to publish to. */
function startWorker(label: string, env: Record<string, string> = {}): Queue {
  const prefix = `mctest-notif-batch-${label}-${randomBytes(4).toString('hex')}`;
  prefixes.push(prefix);
  children.push(
    spawnNotificationsWorker({
      NOTIFICATIONS_DATABASE_URL: (h.dataSource.options as { url: string }).url,
      REDIS_URL: testServices().redisUrl,
      EVENTS_PREFIX: prefix,
      // Nothing fires during these tests: every step planned is days ahead, so it stays PLANNED and can be counted.
      ...env,
    }),
  );
  const queue = new Queue(eventQueueName('notifications'), { connection: bullConnection(testServices().redisUrl), prefix });
  queues.push(queue);
  return queue;
}

/** Publishes as the relay does; `redelivery` gives the job another id, as a second delivery of the same event. */
const publish = (queue: Queue, items: EventJobData[], redelivery = '') =>
  queue.addBulk(
    items.map((data) => ({
      name: data.envelope.type,
      data,
      opts: {
        jobId: `${eventJobId(data.envelope.id, 'notifications')}${redelivery}`,
        attempts: JOB_ATTEMPTS,
        backoff: { type: EVENT_BACKOFF },
      },
    })),
  );

async function stepsPerTask(items: EventJobData[]): Promise<Map<string, number>> {
  const rows = (await h.dataSource.query(
    `SELECT task_id, count(*)::int AS n, count(DISTINCT (step_key, recipient_id))::int AS distinct_n
       FROM reminder_step WHERE task_id = ANY($1::uuid[]) GROUP BY task_id`,
    [items.map(taskOf)],
  )) as { task_id: string; n: number; distinct_n: number }[];
  for (const r of rows) expect(r.n).toBe(r.distinct_n);
  return new Map(rows.map((r) => [r.task_id, r.n]));
}

const inboxRows = async (items: EventJobData[]) =>
  (await h.dataSource.query(`SELECT event_id, processed_at FROM inbox WHERE event_id = ANY($1::uuid[])`, [
    items.map((i) => i.envelope.id),
  ])) as { event_id: string; processed_at: Date }[];

/** Steps a task due at DUE gets when its one event is applied alone (the reference plan). */
async function referenceStepCount(): Promise<number> {
  const facts = taskFacts(w, DUE);
  await emit(h, AssessmentTaskAssigned, facts.taskId, { ...facts, assignedAt: ASSIGNED.toISOString() }, ASSIGNED);
  const [{ n }] = (await h.dataSource.query(`SELECT count(*)::int AS n FROM reminder_step WHERE task_id = $1`, [facts.taskId])) as [
    { n: number },
  ];
  return n;
}

describe('the worker applies a flood of assigned tasks in batches', () => {
  it('plans each task once, in far fewer transactions than events, and a redelivery plans nothing more', async () => {
    const expected = await referenceStepCount();
    expect(expected).toBeGreaterThan(3);
    const items = Array.from({ length: 300 }, assigned);
    const queue = startWorker('flood');
    await publish(queue, items);
    await waitFor('every event to be applied', async () => (await inboxRows(items)).length === items.length, 180_000);

    const planned = await stepsPerTask(items);
    expect(planned.size).toBe(items.length);
    for (const n of planned.values()) expect(n).toBe(expected);
    // Rows of one transaction share its now(): 300 events in batches leave far fewer distinct times.
    const transactions = new Set((await inboxRows(items)).map((r) => r.processed_at.getTime())).size;
    expect(transactions).toBeLessThanOrEqual(items.length / 3);

    // The same events delivered again (a republishing sweeper): all complete, none planned twice.
    await publish(queue, items, '.again');
    await waitFor('the redeliveries to complete', async () => (await queue.getCompletedCount()) >= 2 * items.length, 180_000);
    const outcomes = (await queue.getCompleted(0, 2 * items.length)).filter((j) => j.id?.endsWith('.again')).map((j) => j.returnvalue);
    expect(outcomes).toHaveLength(items.length);
    expect(new Set(outcomes)).toEqual(new Set(['duplicate']));
    expect(await stepsPerTask(items)).toEqual(planned);
  }, 240_000);
});

describe('an event that fails inside a batch', () => {
  it('is parked alone: the others of its batch are planned exactly once', async () => {
    const expected = await referenceStepCount();
    const items = Array.from({ length: 120 }, assigned);
    const poison = items[57]!;
    // A fault only this task's row meets: its event fails inside whatever batch it lands in.
    await h.dataSource.query(`
      CREATE OR REPLACE FUNCTION poison_task() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.task_id = '${taskOf(poison)}' THEN RAISE EXCEPTION 'poisoned task row'; END IF;
        RETURN NEW;
      END $$`);
    await h.dataSource.query(
      `CREATE TRIGGER poison_task BEFORE INSERT OR UPDATE ON reminder_task FOR EACH ROW EXECUTE FUNCTION poison_task()`,
    );
    try {
      const queue = startWorker('poison', { EVENTS_MAX_ATTEMPTS: '2', EVENTS_RETRY_BASE_MS: '100' });
      await publish(queue, items);
      const parked = async () =>
        ((await h.dataSource.query(`SELECT error FROM parked_event WHERE event_id = $1`, [poison.envelope.id])) as { error: string }[])[0];
      await waitFor(
        'the others to be applied and the bad one parked',
        async () => (await inboxRows(items)).length === items.length - 1 && Boolean(await parked()),
        180_000,
      );
      expect((await parked())!.error).toContain('poisoned task row');
      const planned = await stepsPerTask(items);
      expect(planned.has(taskOf(poison))).toBe(false);
      expect(planned.size).toBe(items.length - 1);
      for (const n of planned.values()) expect(n).toBe(expected);
      expect((await inboxRows(items)).map((r) => r.event_id)).not.toContain(poison.envelope.id);
    } finally {
      await h.dataSource.query(`DROP TRIGGER IF EXISTS poison_task ON reminder_task`);
    }
  }, 240_000);
});
