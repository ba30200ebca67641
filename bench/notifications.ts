/**
 * Notifications benchmark: reminder plans and reminder lateness, on this machine's PostgreSQL and Redis.
 *
 *   pnpm bench:notifications                           # 10,000 tasks, 2,000 reminders in one minute
 *   pnpm bench:notifications --tasks 100000 --burst 10000
 *
 * 1. Plans: N AssessmentTaskAssigned events across 10 schools go through the real consumer
 *    (inbox + projection + planner, one transaction each, 8 at a time); figure: plans per second
 *    and the time for N.
 * 2. Burst: M planned steps all due at the same instant (30 s ahead) are fired by the real
 *    reminders task (scheduler + BullMQ delayed jobs + fireStep); figures: lateness (fired_at
 *    minus fire_at) p50/p99/max, and duplicates (messages minus distinct steps; must be 0).
 * A fresh database (dropped at the end) and a private BullMQ prefix; nothing else is touched.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { Client } from 'pg';
import { AssessmentTaskAssigned, createConsumer, InstitutionCreated, StaffRegistered } from '@medcollab/events';
import { createDataSource, createLogger, initializeDataSource, withDatabase } from '@medcollab/kit';
import { notificationEventHandlers, notificationsSubgraph, reminderTask } from '@medcollab/notifications';
import { Redis } from 'ioredis';

const { values: args } = parseArgs({
  options: { tasks: { type: 'string', default: '10000' }, burst: { type: 'string', default: '2000' } },
});
const TASKS = Number(args.tasks);
const BURST = Number(args.burst);
const serverUrl = process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const redisUrl = process.env.TEST_REDIS_URL ?? process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const run = randomBytes(4).toString('hex');
const database = `mcbench_notifications_${run}`;
const prefix = `mcbench-notif-${run}`;
const log = createLogger('bench-notifications', 'warn');

async function admin(sql: string): Promise<void> {
  const c = new Client({ connectionString: serverUrl });
  await c.connect();
  await c.query(sql).finally(() => c.end());
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;

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
    const consumer = createConsumer({ service: 'notifications', dataSource: ds, handlers: notificationEventHandlers });
    const apply = (
      contract: { name: string; version: number; aggregateType: string },
      aggregateId: string,
      payload: unknown,
      at = new Date(),
    ) =>
      consumer.apply({
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
      });
    const zones = ['Europe/Paris', 'Asia/Shanghai', 'America/New_York', 'Europe/London', 'Asia/Tokyo'];
    const schools = Array.from({ length: 10 }, (_, i) => ({ id: randomUUID(), tz: zones[i % zones.length]! }));
    const assessors: string[] = [];
    for (const s of schools) {
      await apply(InstitutionCreated, s.id, { institutionId: s.id, name: `School ${s.id.slice(0, 4)}`, kind: 'SCHOOL', timezone: s.tz });
      for (const roles of [['COORDINATOR'], ['COORDINATOR'], ['QUALITY_OFFICER']]) {
        const id = randomUUID();
        await apply(StaffRegistered, id, {
          staffId: id,
          institutionId: s.id,
          departmentId: null,
          roles,
          givenName: 'Staff',
          familyName: id.slice(0, 4),
        });
      }
      for (let i = 0; i < 50; i++) {
        const id = randomUUID();
        assessors.push(id);
        await apply(StaffRegistered, id, {
          staffId: id,
          institutionId: s.id,
          departmentId: null,
          roles: ['TEACHER'],
          givenName: 'T',
          familyName: id.slice(0, 4),
        });
      }
    }

    // 1. Plans.
    const assignedAt = new Date();
    const started = Date.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (next < TASKS) {
          const i = next++;
          const school = schools[i % schools.length]!;
          const taskId = randomUUID();
          await apply(
            AssessmentTaskAssigned,
            taskId,
            {
              taskId,
              assessorId: assessors[i % assessors.length]!,
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
      }),
    );
    const planSeconds = (Date.now() - started) / 1000;
    const [{ steps }] = (await ds.query(`SELECT count(*)::int AS steps FROM reminder_step`)) as [{ steps: number }];
    console.log(`plans: ${TASKS} tasks (${steps} steps) in ${planSeconds.toFixed(1)} s = ${(TASKS / planSeconds).toFixed(0)} plans/s`);

    // 2. Burst: BURST steps due at one instant, each to its own recipient (no daily cap in the way).
    await ds.query(`UPDATE reminder_step SET status = 'CANCELLED', cancel_reason = 'BENCH' WHERE status = 'PLANNED'`);
    const fireAt = new Date(Date.now() + 30_000);
    const taskIds = (await ds.query(`SELECT task_id FROM reminder_task LIMIT $1`, [BURST])) as { task_id: string }[];
    await ds.query(
      `INSERT INTO reminder_step (id, task_id, step_key, audience, recipient_id, nominal_at, fire_at, status, created_at)
       SELECT gen_random_uuid(), t, 'BURST', 'ASSESSOR', gen_random_uuid(), $2, $2, 'PLANNED', now() FROM unnest($1::uuid[]) AS t`,
      [taskIds.map((t) => t.task_id), fireAt],
    );
    const task = await reminderTask({ scheduleIntervalMs: 1_000 }).start({ dataSource: ds, redisUrl, prefix, log });
    const deadline = Date.now() + 180_000;
    for (;;) {
      const [{ n }] = (await ds.query(`SELECT count(*)::int AS n FROM reminder_step WHERE step_key = 'BURST' AND status = 'FIRED'`)) as [
        { n: number },
      ];
      if (n >= taskIds.length || Date.now() > deadline) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    await task.stop();
    const late = (
      (await ds.query(
        `SELECT EXTRACT(EPOCH FROM (fired_at - fire_at)) * 1000 AS ms FROM reminder_step WHERE step_key = 'BURST' AND status = 'FIRED' ORDER BY 1`,
      )) as { ms: string }[]
    ).map((r) => Number(r.ms));
    const [{ messages, distinct }] = (await ds.query(
      `SELECT count(*)::int AS messages, count(DISTINCT dedupe_key)::int AS distinct FROM notification WHERE dedupe_key LIKE 'step:%'`,
    )) as [{ messages: number; distinct: number }];
    console.log(
      `burst: ${late.length}/${taskIds.length} fired; lateness p50 ${percentile(late, 50).toFixed(0)} ms, p99 ${percentile(late, 99).toFixed(0)} ms, max ${(late.at(-1) ?? 0).toFixed(0)} ms; duplicates ${messages - distinct}`,
    );
  } finally {
    await ds.destroy();
    await admin(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
    const redis = new Redis(redisUrl);
    let cursor = '0';
    do {
      const [nextCursor, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      cursor = nextCursor;
      if (keys.length) await redis.del(...keys);
    } while (cursor !== '0');
    redis.disconnect();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
