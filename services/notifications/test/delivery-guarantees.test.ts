import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { createLogger } from '@medcollab/kit';
import { testServices } from '@medcollab/testing';
import { reminderTask } from '../src/reminder-loop';
import { reap, spawnNotificationsWorker, type WorkerChild } from './support/child';
import { assignTask, buildWorld, type NotificationsHarness, startNotifications, waitFor, type World } from './support/harness';

/**
 * Exactly once, nothing lost: the plan in PostgreSQL is the truth and the timer (ADR 0029). These
 * tests race two firing loops over one plan, flush Redis, and kill the worker mid-batch, then
 * count messages per step.
 */
let h: NotificationsHarness;
let w: World;
const prefixes: string[] = [];
const children: WorkerChild[] = [];
const newPrefix = (label: string) => {
  const prefix = `mctest-notif-${label}-${randomBytes(4).toString('hex')}`;
  prefixes.push(prefix);
  return prefix;
};

async function deletePrefixKeys(prefix: string): Promise<number> {
  const redis = new Redis(testServices().redisUrl);
  try {
    let deleted = 0;
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length) deleted += await redis.del(...keys);
    } while (cursor !== '0');
    return deleted;
  } finally {
    redis.disconnect();
  }
}

beforeAll(async () => {
  h = await startNotifications();
  w = await buildWorld(h);
});
afterAll(async () => {
  await Promise.all(children.map(reap));
  for (const prefix of prefixes) await deletePrefixKeys(prefix).catch(() => undefined);
  await h.stop();
});

/**
 * `n` planned steps of open tasks, each to its own recipient (so no daily cap applies), due
 * `inMs` from now: the firing machinery alone is under test here (the planner has its own tests).
 */
async function plannedSteps(n: number, inMs: number): Promise<string[]> {
  const taskId = await assignTask(h, w, new Date(Date.now() + 90 * 86_400_000), new Date());
  const rows = (await h.dataSource.query(
    `INSERT INTO reminder_step (id, task_id, step_key, audience, recipient_id, nominal_at, fire_at, status, created_at)
     SELECT gen_random_uuid(), $1, 'AT_DUE', 'ASSESSOR', gen_random_uuid(), now() + $2 * interval '1 millisecond',
            now() + $2 * interval '1 millisecond', 'PLANNED', now()
       FROM generate_series(1, $3) RETURNING id`,
    [taskId, inMs, n],
  )) as { id: string }[];
  return rows.map((r) => r.id);
}

async function tally(stepIds: string[]): Promise<{ fired: number; messages: number; perStepMax: number }> {
  const [row] = (await h.dataSource.query(
    `SELECT (SELECT count(*)::int FROM reminder_step WHERE id = ANY($1::uuid[]) AND status = 'FIRED') AS fired,
            (SELECT count(*)::int FROM notification WHERE dedupe_key = ANY($2::text[])) AS messages,
            (SELECT COALESCE(max(c), 0)::int FROM (SELECT count(*) AS c FROM notification WHERE dedupe_key = ANY($2::text[]) GROUP BY dedupe_key) x) AS "perStepMax"`,
    [stepIds, stepIds.map((id) => `step:${id}`)],
  )) as { fired: number; messages: number; perStepMax: number }[];
  return row!;
}

describe('two workers fire one plan while Redis is flushed', () => {
  it('every step fires exactly once: the plan in PostgreSQL is the timer, and claims skip what the other holds', async () => {
    const prefix = newPrefix('flush');
    const steps = await plannedSteps(400, 3_000);
    const start = () =>
      reminderTask({ pollIntervalMs: 200, fireBatch: 16, lanes: 2 }).start({
        dataSource: h.dataSource,
        redisUrl: testServices().redisUrl,
        prefix,
        log: createLogger('reminders-test', 'silent'),
      });
    const tasks = await Promise.all([start(), start()]);
    try {
      expect((await tally(steps)).fired).toBe(0);
      // Nothing of the plan lives in Redis any more: losing its keys loses no step.
      await deletePrefixKeys(prefix);
      await waitFor('every step to fire', async () => (await tally(steps)).fired === 400);
      expect(await tally(steps)).toEqual({ fired: 400, messages: 400, perStepMax: 1 });
    } finally {
      for (const task of tasks) await task.stop();
    }
  }, 240_000);
});

describe('a step whose firing fails', () => {
  it('fails alone: the others of its claim fire, it is held back and fires once it can', async () => {
    const steps = await plannedSteps(30, 0);
    const [bad] = (await h.dataSource.query(`SELECT recipient_id FROM reminder_step WHERE id = $1`, [steps[7]])) as {
      recipient_id: string;
    }[];
    // Writing this recipient's message fails (as a broken row or a constraint would) until the trigger is dropped.
    await h.dataSource.query(`
      CREATE FUNCTION refuse_test_recipient() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.recipient_id = '${bad!.recipient_id}' THEN RAISE EXCEPTION 'refused for the test'; END IF;
        RETURN NEW;
      END $$;
      CREATE TRIGGER refuse_test_recipient BEFORE INSERT ON notification FOR EACH ROW EXECUTE FUNCTION refuse_test_recipient();
    `);
    const task = await reminderTask({ pollIntervalMs: 200, fireBatch: 10, lanes: 1 }).start({
      dataSource: h.dataSource,
      redisUrl: testServices().redisUrl,
      prefix: newPrefix('failing'),
      log: createLogger('reminders-test', 'silent'),
    });
    try {
      await waitFor('every other step to fire', async () => (await tally(steps.filter((id) => id !== steps[7]))).fired === 29);
      expect(await tally([steps[7]!])).toEqual({ fired: 0, messages: 0, perStepMax: 0 });
      await h.dataSource.query(`DROP TRIGGER refuse_test_recipient ON notification; DROP FUNCTION refuse_test_recipient()`);
      await waitFor('the held-back step to fire', async () => (await tally([steps[7]!])).fired === 1);
      expect(await tally(steps)).toEqual({ fired: 30, messages: 30, perStepMax: 1 });
    } finally {
      await task.stop();
      await h.dataSource.query(
        `DROP TRIGGER IF EXISTS refuse_test_recipient ON notification; DROP FUNCTION IF EXISTS refuse_test_recipient()`,
      );
    }
  }, 240_000);
});

describe('the worker process is killed with kill -9 in the middle of a batch', () => {
  it('a restarted worker fires the rest: no step lost, none twice', async () => {
    const prefix = newPrefix('crash');
    const total = 600;
    const steps = await plannedSteps(total, 0);
    const env = {
      NOTIFICATIONS_DATABASE_URL: (h.dataSource.options as { url: string }).url,
      REDIS_URL: testServices().redisUrl,
      EVENTS_PREFIX: prefix,
      REMINDERS_POLL_INTERVAL_MS: '200',
      // Small batches, so that the kill lands between two commits and inside a third.
      REMINDERS_FIRE_BATCH: '4',
      REMINDERS_LANES: '2',
    };
    const first = spawnNotificationsWorker(env);
    children.push(first);
    await waitFor('the first worker to be mid-batch', async () => (await tally(steps)).fired >= 100, 60_000, 10).catch((error) => {
      throw new Error(`${(error as Error).message}\n${first.output()}`);
    });
    first.proc.kill('SIGKILL');
    expect(await first.exited).toEqual({ code: null, signal: 'SIGKILL' });
    expect((await tally(steps)).fired).toBeLessThan(total);

    const second = spawnNotificationsWorker(env);
    children.push(second);
    await waitFor('every step to fire after the restart', async () => (await tally(steps)).fired === total, 120_000).catch((error) => {
      throw new Error(`${(error as Error).message}\n${second.output()}`);
    });
    expect(await tally(steps)).toEqual({ fired: total, messages: total, perStepMax: 1 });
    second.proc.kill('SIGTERM');
    await second.exited;
  }, 300_000);
});
