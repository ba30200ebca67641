/**
 * Notifications benchmark: plan creation, reminder lateness, a worker killed with kill -9, and
 * webhook delivery throughput, on this machine's PostgreSQL and Redis. Every figure is printed
 * with the issue's target and whether it was met.
 *
 *   pnpm bench:notifications                                  # reduced sizes (see the defaults below)
 *   pnpm bench:notifications --tasks 100000 --burst 10000     # the issue's sizes
 *   pnpm bench:notifications --phases webhooks --webhooks 2000 # one phase (plans,burst,crash,webhooks)
 *
 * 1. Plans: --tasks AssessmentTaskAssigned events across 10 schools are applied through the
 *    batch path (`applyEventBatch`: one transaction, one multi-row inbox insert and a constant
 *    number of planning statements per --batch events, --plan-concurrency batches at a time).
 *    A --single sample goes through the one-event-per-transaction consumer for comparison, and a
 *    --worker-tasks sample through the real worker process (src/worker.ts: BullMQ jobs on its
 *    events queue, applied in micro-batches), timed from its first applied event to its last.
 *    Target: 100,000 tasks planned in ≤ 60 s (judged on the measured rate when --tasks is smaller).
 * 2. Burst: --burst planned steps due within one minute (from 30 s ahead) fire through the real
 *    reminders task (a loop claiming due steps from the plan's due index, a batch per transaction,
 *    ADR 0029). Targets: p99 lateness (fired_at − fire_at) ≤ 1 s; 0 duplicates (steps with more
 *    than one message).
 * 3. Crash: --crash-steps steps due now are fired by the real worker process (src/worker.ts),
 *    which is killed with SIGKILL once half have fired; a second worker finishes. Targets: 0 lost
 *    (every step FIRED with its message), 0 duplicated.
 * 4. Webhooks: --webhooks deliveries to 10 subscriptions on a local receiver, which refuses the
 *    first attempt of every --webhook-fail-every-th delivery (503); the retry schedule is scaled
 *    by --retry-scale so retries happen within the run; --webhook-lanes senders at once. Figures: deliveries per second until all
 *    are DELIVERED, retries, lost, duplicates at the receiver (by webhook-id). No target in the issue.
 * A fresh database (dropped at the end) and private BullMQ prefixes; nothing else is touched.
 */
import { spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Client } from 'pg';
import {
  applyEventBatch,
  AssessmentTaskAssigned,
  createConsumer,
  EVENT_BACKOFF,
  eventJobId,
  EventQueues,
  JOB_ATTEMPTS,
  type EventJobData,
  InstitutionCreated,
  StaffRegistered,
} from '@medcollab/events';
import { createDataSource, createLogger, initializeDataSource, withDatabase } from '@medcollab/kit';
import {
  notificationBatchHandlers,
  notificationEventHandlers,
  notificationSettings,
  notificationsSubgraph,
  reminderTask,
  webhookTask,
} from '@medcollab/notifications';
import { Redis } from 'ioredis';
import { type DataSource } from 'typeorm';

const { values: args } = parseArgs({
  options: {
    tasks: { type: 'string', default: '10000' },
    batch: { type: 'string', default: '500' },
    'plan-concurrency': { type: 'string', default: '2' },
    single: { type: 'string', default: '500' },
    'worker-tasks': { type: 'string', default: '5000' },
    burst: { type: 'string', default: '2000' },
    'crash-steps': { type: 'string', default: '1000' },
    webhooks: { type: 'string', default: '1000' },
    'webhook-fail-every': { type: 'string', default: '5' },
    'retry-scale': { type: 'string', default: '0.001' },
    phases: { type: 'string', default: 'plans,burst,crash,webhooks' },
    'webhook-lanes': { type: 'string', default: '4' },
  },
});
const num = (name: keyof typeof args) => Number(args[name]);
const TASKS = num('tasks');
const BATCH = num('batch');
const PLAN_CONCURRENCY = num('plan-concurrency');
const SINGLE = num('single');
const WORKER_TASKS = num('worker-tasks');
const BURST = num('burst');
const CRASH_STEPS = num('crash-steps');
const WEBHOOKS = num('webhooks');
const FAIL_EVERY = num('webhook-fail-every');
const RETRY_SCALE = num('retry-scale');
const WEBHOOK_LANES = num('webhook-lanes');
const PHASES = new Set(String(args.phases).split(','));

const serverUrl = process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const redisUrl = process.env.TEST_REDIS_URL ?? process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const run = randomBytes(4).toString('hex');
const database = `mcbench_notifications_${run}`;
const prefixes: string[] = [];
const newPrefix = (label: string) => {
  const prefix = `mcbench-notif-${label}-${run}`;
  prefixes.push(prefix);
  return prefix;
};
const log = createLogger('bench-notifications', 'warn');
const verdicts: string[] = [];
const judge = (figure: string, met: boolean, target: string) => {
  const line = `${met ? 'MET   ' : 'MISSED'} ${figure} (target ${target})`;
  verdicts.push(line);
  console.log(`  → ${line}`);
};

async function admin(sql: string): Promise<void> {
  const c = new Client({ connectionString: serverUrl });
  await c.connect();
  await c.query(sql).finally(() => c.end());
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
const count = async (ds: DataSource, sql: string, params: unknown[] = []) => ((await ds.query(sql, params)) as [{ n: number }])[0].n;
async function waitUntil(check: () => Promise<boolean>, timeoutMs: number, everyMs = 250): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, everyMs));
  }
  return check();
}

function envelope(contract: { name: string; version: number; aggregateType: string }, aggregateId: string, payload: unknown, at: Date) {
  return {
    envelope: {
      id: randomUUID(),
      type: contract.name,
      version: contract.version,
      source: 'bench',
      aggregateType: contract.aggregateType,
      aggregateId,
      sequence: 1,
      occurredAt: at.toISOString(),
      payload,
      metadata: {},
    },
    previousEventId: null,
  } satisfies EventJobData;
}

async function world(ds: DataSource) {
  const consumer = createConsumer({ service: 'notifications', dataSource: ds, handlers: notificationEventHandlers });
  const zones = ['Europe/Paris', 'Asia/Shanghai', 'America/New_York', 'Europe/London', 'Asia/Tokyo'];
  const schools = Array.from({ length: 10 }, (_, i) => ({ id: randomUUID(), tz: zones[i % zones.length]! }));
  const assessors: string[] = [];
  const now = new Date();
  for (const s of schools) {
    await consumer.apply(
      envelope(InstitutionCreated, s.id, { institutionId: s.id, name: `School ${s.id.slice(0, 4)}`, kind: 'SCHOOL', timezone: s.tz }, now),
    );
    const staff = [['COORDINATOR'], ['COORDINATOR'], ['QUALITY_OFFICER'], ...Array.from({ length: 50 }, () => ['TEACHER'])];
    for (const roles of staff) {
      const id = randomUUID();
      if (roles[0] === 'TEACHER') assessors.push(id);
      await consumer.apply(
        envelope(
          StaffRegistered,
          id,
          { staffId: id, institutionId: s.id, departmentId: null, roles, givenName: 'Staff', familyName: id.slice(0, 4) },
          now,
        ),
      );
    }
  }
  return { consumer, schools, assessors };
}

function assignedEvent(w: Awaited<ReturnType<typeof world>>, i: number, assignedAt: Date): EventJobData {
  const school = w.schools[i % w.schools.length]!;
  const taskId = randomUUID();
  return envelope(
    AssessmentTaskAssigned,
    taskId,
    {
      taskId,
      assessorId: w.assessors[i % w.assessors.length]!,
      role: 'ASSIGNED',
      instrumentId: randomUUID(),
      instrumentKind: 'MINI_CEX',
      instrumentTitle: 'Mini-CEX',
      purpose: 'FORMATIVE',
      studentId: randomUUID(),
      schoolId: school.id,
      subjectStaffId: null,
      departmentId: null,
      placementId: null,
      hospitalId: null,
      blockId: null,
      dueAt: new Date(assignedAt.getTime() + (7 + (i % 21)) * 86_400_000).toISOString(),
      assignedAt: assignedAt.toISOString(),
    },
    assignedAt,
  );
}

async function plans(ds: DataSource, w: Awaited<ReturnType<typeof world>>): Promise<void> {
  console.log(`\n1. Plans: ${TASKS} tasks across 10 schools, batches of ${BATCH}, ${PLAN_CONCURRENCY} at a time`);
  const assignedAt = new Date();
  const events = Array.from({ length: TASKS }, (_, i) => assignedEvent(w, i, assignedAt));
  const started = Date.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: PLAN_CONCURRENCY }, async () => {
      while (next < events.length) {
        const slice = events.slice(next, next + BATCH);
        next += BATCH;
        await applyEventBatch({ dataSource: ds, handlers: notificationEventHandlers, batchHandlers: notificationBatchHandlers }, slice);
      }
    }),
  );
  const seconds = (Date.now() - started) / 1000;
  const steps = await count(ds, `SELECT count(*)::int AS n FROM reminder_step`);
  const planned = await count(ds, `SELECT count(DISTINCT task_id)::int AS n FROM reminder_step`);
  const rate = TASKS / seconds;
  console.log(`  batch path: ${planned}/${TASKS} tasks planned (${steps} steps) in ${seconds.toFixed(1)} s = ${rate.toFixed(0)} plans/s`);
  const for100k = 100_000 / rate;
  judge(
    `plans: ${TASKS === 100_000 ? 'measured' : 'projected from the measured rate'} ${for100k.toFixed(1)} s for 100,000 tasks`,
    for100k <= 60 && planned === TASKS,
    '≤ 60 s',
  );

  if (SINGLE > 0) {
    const sample = Array.from({ length: SINGLE }, (_, i) => assignedEvent(w, i, assignedAt));
    const t0 = Date.now();
    let k = 0;
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (k < sample.length) await w.consumer.apply(sample[k++]!);
      }),
    );
    const s = (Date.now() - t0) / 1000;
    console.log(
      `  one event per transaction (the consumer without batching), ${SINGLE} tasks, 8 at a time: ${(SINGLE / s).toFixed(0)} plans/s`,
    );
  }
  if (WORKER_TASKS > 0) await plansThroughWorker(ds, w);
}

/** The real worker process planning a queue full of assigned tasks (the relay's jobs), in micro-batches. */
async function plansThroughWorker(ds: DataSource, w: Awaited<ReturnType<typeof world>>): Promise<void> {
  const prefix = newPrefix('plans');
  const queues = new EventQueues({ redisUrl, prefix }, log);
  const queue = queues.get('notifications');
  const sample = Array.from({ length: WORKER_TASKS }, (_, i) => assignedEvent(w, i, new Date()));
  for (let i = 0; i < sample.length; i += 1_000)
    await queue.addBulk(
      sample.slice(i, i + 1_000).map((data) => ({
        name: data.envelope.type,
        data,
        opts: { jobId: eventJobId(data.envelope.id, 'notifications'), attempts: JOB_ATTEMPTS, backoff: { type: EVENT_BACKOFF } },
      })),
    );
  const ids = sample.map((e) => e.envelope.id);
  const worker = spawnWorker(prefix);
  const done = await waitUntil(
    async () => (await count(ds, `SELECT count(*)::int AS n FROM inbox WHERE event_id = ANY($1::uuid[])`, [ids])) === ids.length,
    600_000,
  );
  worker.proc.kill('SIGTERM');
  await worker.exited;
  await queues.close();
  const [span] = (await ds.query(
    `SELECT EXTRACT(EPOCH FROM max(processed_at) - min(processed_at)) AS s, count(DISTINCT processed_at)::int AS transactions
       FROM inbox WHERE event_id = ANY($1::uuid[])`,
    [ids],
  )) as { s: string; transactions: number }[];
  const seconds = Math.max(0.001, Number(span!.s));
  const rate = WORKER_TASKS / seconds;
  console.log(
    `  real worker (micro-batches), ${WORKER_TASKS} tasks${done ? '' : ' (NOT all applied in time)'}: ${seconds.toFixed(1)} s from first to last applied = ` +
      `${rate.toFixed(0)} plans/s in ${span!.transactions} transactions (${(100_000 / rate).toFixed(0)} s per 100,000)`,
  );
}

/** Steps due at `fireAt[i]` for tasks already planned, each to its own recipient (no daily cap in the way). */
async function insertSteps(ds: DataSource, key: string, fireAts: Date[]): Promise<void> {
  const tasks = (await ds.query(`SELECT task_id FROM reminder_task LIMIT 1`)) as { task_id: string }[];
  await ds.query(
    `INSERT INTO reminder_step (id, task_id, step_key, audience, recipient_id, nominal_at, fire_at, status, created_at)
     SELECT gen_random_uuid(), $1, $2, 'ASSESSOR', gen_random_uuid(), f, f, 'PLANNED', now() FROM unnest($3::timestamptz[]) AS f`,
    [tasks[0]!.task_id, key, fireAts],
  );
}

/** Steps of `key` fired, lost (not fired) and with more than one message on a channel. */
async function tally(ds: DataSource, key: string) {
  const fired = await count(ds, `SELECT count(*)::int AS n FROM reminder_step WHERE step_key = $1 AND status = 'FIRED'`, [key]);
  const duplicated = await count(
    ds,
    `SELECT count(*)::int AS n FROM (SELECT n.dedupe_key FROM notification n JOIN reminder_step s ON n.dedupe_key = 'step:' || s.id
      WHERE s.step_key = $1 GROUP BY n.dedupe_key, n.channel HAVING count(*) > 1) d`,
    [key],
  );
  const withMessage = await count(
    ds,
    `SELECT count(DISTINCT s.id)::int AS n FROM reminder_step s JOIN notification n ON n.dedupe_key = 'step:' || s.id WHERE s.step_key = $1`,
    [key],
  );
  return { fired, duplicated, withMessage };
}

async function burst(ds: DataSource): Promise<void> {
  console.log(`\n2. Burst: ${BURST} reminders due within one minute`);
  await ds.query(`UPDATE reminder_step SET status = 'CANCELLED', cancel_reason = 'BENCH' WHERE status = 'PLANNED'`);
  const start = Date.now() + 30_000;
  await insertSteps(
    ds,
    'BURST',
    Array.from({ length: BURST }, (_, i) => new Date(start + Math.floor((i * 60_000) / BURST))),
  );
  const task = await reminderTask().start({ dataSource: ds, redisUrl, prefix: newPrefix('burst'), log });
  await waitUntil(async () => (await tally(ds, 'BURST')).fired >= BURST, 90_000 + 240_000);
  await task.stop();
  const late = (
    (await ds.query(
      `SELECT EXTRACT(EPOCH FROM (fired_at - fire_at)) * 1000 AS ms FROM reminder_step WHERE step_key = 'BURST' AND status = 'FIRED' ORDER BY 1`,
    )) as { ms: string }[]
  ).map((r) => Number(r.ms));
  const t = await tally(ds, 'BURST');
  const p99 = percentile(late, 99);
  console.log(
    `  ${t.fired}/${BURST} fired; lateness p50 ${percentile(late, 50).toFixed(0)} ms, p99 ${p99.toFixed(0)} ms, max ${(late.at(-1) ?? 0).toFixed(0)} ms`,
  );
  judge(
    `burst p99 lateness ${(p99 / 1000).toFixed(2)} s${t.fired < BURST ? ` (${BURST - t.fired} never fired)` : ''}`,
    p99 <= 1_000 && t.fired === BURST,
    '≤ 1 s',
  );
  judge(`burst duplicates ${t.duplicated}`, t.duplicated === 0, '0');
}

function spawnWorker(prefix: string, env: Record<string, string> = {}) {
  const proc = spawn(process.execPath, ['--import', 'tsx', join(__dirname, '..', 'services', 'notifications', 'src', 'worker.ts')], {
    cwd: join(__dirname, '..'),
    env: {
      ...process.env,
      LOG_LEVEL: 'warn',
      HEALTH_PORT: '0',
      NOTIFICATIONS_DATABASE_URL: withDatabase(serverUrl, database),
      REDIS_URL: redisUrl,
      EVENTS_PREFIX: prefix,
      ...env,
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  return { proc, exited };
}

async function crash(ds: DataSource): Promise<void> {
  console.log(`\n3. Crash: ${CRASH_STEPS} reminders due now, the worker process killed with SIGKILL halfway`);
  const prefix = newPrefix('crash');
  await insertSteps(
    ds,
    'CRASH',
    Array.from({ length: CRASH_STEPS }, () => new Date()),
  );
  // Claims of 10 steps, watched every 10 ms: the kill lands with about half fired, most likely inside a claim's transaction.
  const crashEnv = { REMINDERS_FIRE_BATCH: '10' };
  const first = spawnWorker(prefix, crashEnv);
  const fired = () => count(ds, `SELECT count(*)::int AS n FROM reminder_step WHERE step_key = 'CRASH' AND status = 'FIRED'`);
  const halfway = await waitUntil(async () => (await fired()) >= CRASH_STEPS / 2, 300_000, 10);
  first.proc.kill('SIGKILL');
  await first.exited;
  const atKill = (await tally(ds, 'CRASH')).fired;
  console.log(`  killed with ${atKill}/${CRASH_STEPS} fired${halfway ? '' : ' (halfway was not reached in time)'}`);
  const second = spawnWorker(prefix, crashEnv);
  await waitUntil(async () => (await tally(ds, 'CRASH')).fired >= CRASH_STEPS, 300_000);
  second.proc.kill('SIGTERM');
  await second.exited;
  const t = await tally(ds, 'CRASH');
  const lost = CRASH_STEPS - Math.min(t.fired, t.withMessage);
  console.log(`  after the restart: ${t.fired} fired, ${t.withMessage} with their message`);
  judge(`crash lost ${lost}`, lost === 0, '0');
  judge(`crash duplicated ${t.duplicated}`, t.duplicated === 0, '0');
}

async function webhooks(ds: DataSource, schools: { id: string }[]): Promise<void> {
  console.log(`\n4. Webhooks: ${WEBHOOKS} deliveries to a local receiver; the first attempt of every ${FAIL_EVERY}th fails (503)`);
  const received = new Map<string, number>();
  const refused = new Set<string>();
  let arrivals = 0;
  const server = createServer((req, res) => {
    const id = String(req.headers['webhook-id']);
    req.resume();
    req.on('end', () => {
      if (!refused.has(id) && arrivals++ % FAIL_EVERY === 0) {
        refused.add(id);
        res.writeHead(503).end();
        return;
      }
      received.set(id, (received.get(id) ?? 0) + 1);
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  const subscriptions = schools.map((s) => ({ id: randomUUID(), institutionId: s.id }));
  for (const s of subscriptions)
    await ds.query(
      `INSERT INTO webhook_subscription (id, institution_id, url, event_kinds, secret, status, created_by, created_at)
       VALUES ($1, $2, $3, ARRAY['assessment_task.reminder_fired'], $4, 'ACTIVE', $5, now())`,
      [s.id, s.institutionId, url, `whsec_${randomBytes(24).toString('base64')}`, randomUUID()],
    );
  await ds.query(
    `INSERT INTO webhook_delivery (id, subscription_id, event_kind, dedupe_key, payload, status, next_attempt_at, created_at)
     SELECT gen_random_uuid(), ($1::uuid[])[1 + (i % $2)], 'assessment_task.reminder_fired', 'bench:' || i,
            jsonb_build_object('type', 'assessment_task.reminder_fired', 'data', jsonb_build_object('n', i)), 'PENDING', now(), now()
       FROM generate_series(0, $3 - 1) AS i`,
    [subscriptions.map((s) => s.id), subscriptions.length, WEBHOOKS],
  );
  const settings = { ...notificationSettings(), allowPrivateWebhookTargets: true };
  const started = Date.now();
  const task = await webhookTask(settings, { intervalMs: 50, retryScale: RETRY_SCALE, concurrency: WEBHOOK_LANES }).start({
    dataSource: ds,
    redisUrl,
    prefix: newPrefix('webhooks'),
    log,
  });
  await waitUntil(
    async () => (await count(ds, `SELECT count(*)::int AS n FROM webhook_delivery WHERE status <> 'DELIVERED'`)) === 0,
    600_000,
  );
  const seconds = (Date.now() - started) / 1000;
  await task.stop();
  server.close();
  const delivered = await count(ds, `SELECT count(*)::int AS n FROM webhook_delivery WHERE status = 'DELIVERED'`);
  const attempts = await count(ds, `SELECT COALESCE(sum(attempts), 0)::int AS n FROM webhook_delivery`);
  const duplicates = [...received.values()].reduce((sum, n) => sum + n - 1, 0);
  console.log(
    `  ${delivered}/${WEBHOOKS} delivered in ${seconds.toFixed(1)} s = ${(delivered / seconds).toFixed(0)} deliveries/s; ` +
      `${attempts - delivered} retries (${refused.size} refused first attempts), ${WEBHOOK_LANES} lanes, retry delays scaled by ${RETRY_SCALE}`,
  );
  judge(`webhooks lost ${WEBHOOKS - delivered}`, delivered === WEBHOOKS, '0');
  judge(`webhooks duplicates at the receiver ${duplicates}`, duplicates === 0, '0');
}

async function main(): Promise<void> {
  await admin(`CREATE DATABASE "${database}"`);
  const ds = await initializeDataSource(
    createDataSource({
      url: withDatabase(serverUrl, database),
      entities: notificationsSubgraph.entities,
      migrations: notificationsSubgraph.migrations,
      poolSize: 12,
    }),
    { migrate: true },
  );
  try {
    const w = await world(ds);
    if (PHASES.has('plans')) await plans(ds, w);
    // The burst and crash steps belong to an open task: plan a few when the plans phase is skipped.
    else await applyEventBatch({ dataSource: ds, handlers: notificationEventHandlers }, [assignedEvent(w, 0, new Date())]);
    if (PHASES.has('burst')) await burst(ds);
    if (PHASES.has('crash')) await crash(ds);
    if (PHASES.has('webhooks')) await webhooks(ds, w.schools);
    console.log(`\nVerdicts:\n${verdicts.map((v) => `  ${v}`).join('\n')}`);
  } finally {
    await ds.destroy();
    await admin(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
    const redis = new Redis(redisUrl);
    for (const prefix of prefixes) {
      let cursor = '0';
      do {
        const [nextCursor, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
        cursor = nextCursor;
        if (keys.length) await redis.del(...keys);
      } while (cursor !== '0');
    }
    redis.disconnect();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
