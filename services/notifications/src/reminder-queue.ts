import { Queue, Worker } from 'bullmq';
import { bullConnection, observeQueueJobs, createMicroBatcher, startLoop, type WorkerTask, type WorkerTaskDeps } from '@medcollab/events';
import { Histogram, type Registry } from 'prom-client';
import { type DataSource } from 'typeorm';
import { z } from 'zod';
import { fireDigest } from './data/digest';
import { fireStep, type FireOutcome } from './data/fire';
import { fireSteps } from './data/fire-batch';
import { notificationSettings } from './settings';

/** The BullMQ queue of reminder steps (ARCHITECTURE: `reminders`). */
export const REMINDER_QUEUE = 'reminders';

export interface ReminderQueueSettings {
  /** How often the scheduler (re)derives delayed jobs from the plan. */
  scheduleIntervalMs: number;
  /** Steps firing within this horizon get their delayed job now. */
  horizonMs: number;
  /** Steps per scheduler pass. */
  batch: number;
  /** Jobs one worker holds at once (the steps a batch is gathered from). */
  concurrency: number;
  /**
   * Due steps fired in one transaction at most (1: one at a time); never more than `concurrency`,
   * and `concurrency / fireBatch` batches run at once (each holds a database connection).
   */
  fireBatch: number;
  lockDurationMs: number;
  stalledIntervalMs: number;
}

export const DEFAULT_REMINDER_SETTINGS: ReminderQueueSettings = {
  scheduleIntervalMs: 5_000,
  horizonMs: 10 * 60_000,
  batch: 5_000,
  concurrency: 64,
  fireBatch: 32,
  lockDurationMs: 10_000,
  stalledIntervalMs: 5_000,
};

const ms = (fallback: number) => z.coerce.number().int().positive().default(fallback);

/** The reminders task's settings from the environment (REMINDERS_*), the defaults otherwise. */
export function reminderSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): ReminderQueueSettings {
  const d = DEFAULT_REMINDER_SETTINGS;
  const parsed = z
    .object({
      REMINDERS_SCHEDULE_INTERVAL_MS: ms(d.scheduleIntervalMs),
      REMINDERS_HORIZON_MS: ms(d.horizonMs),
      REMINDERS_BATCH: ms(d.batch),
      REMINDERS_CONCURRENCY: ms(d.concurrency),
      REMINDERS_FIRE_BATCH: ms(d.fireBatch),
      REMINDERS_LOCK_DURATION_MS: ms(d.lockDurationMs),
      REMINDERS_STALLED_INTERVAL_MS: ms(d.stalledIntervalMs),
    })
    .parse(env);
  return {
    scheduleIntervalMs: parsed.REMINDERS_SCHEDULE_INTERVAL_MS,
    horizonMs: parsed.REMINDERS_HORIZON_MS,
    batch: parsed.REMINDERS_BATCH,
    concurrency: parsed.REMINDERS_CONCURRENCY,
    fireBatch: parsed.REMINDERS_FIRE_BATCH,
    lockDurationMs: parsed.REMINDERS_LOCK_DURATION_MS,
    stalledIntervalMs: parsed.REMINDERS_STALLED_INTERVAL_MS,
  };
}

/**
 * The job of a step: deterministic from the plan row (step id and fire time), so adding it again
 * is a no-op while it exists, and a step moved to another time (daily cap) gets a job of its own.
 */
export const reminderJobId = (stepId: string, fireAt: Date): string => `${stepId}.${fireAt.getTime()}`;

/** The job of a daily digest, deterministic like a step's. */
export const digestJobId = (digestId: string, fireAt: Date): string => `digest.${digestId}.${fireAt.getTime()}`;

/** What a reminder job carries: a step or a digest, and the time it was planned to fire (lateness). */
export type ReminderJobData = { stepId: string; fireAt?: number } | { digestId: string; fireAt?: number };

const JOB_OPTIONS = {
  removeOnComplete: { age: 3600 },
  removeOnFail: { age: 24 * 3600 },
  attempts: 5,
  backoff: { type: 'exponential', delay: 1_000 },
} as const;

/** Lateness buckets (seconds): from on time to a sweeper pass after a lost job, and a day late. */
export const LATENESS_BUCKETS = [0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 300, 900, 3600, 86_400];

/**
 * `medcollab_reminder_lateness_seconds`: sent minus planned time of every reminder and digest
 * that sent something, labelled only by `kind` (step or digest); never by an id.
 */
export function reminderLatenessHistogram(registry?: Registry): Histogram<'kind'> {
  return new Histogram({
    name: 'medcollab_reminder_lateness_seconds',
    help: 'Seconds between the planned fire time of a reminder step or daily digest and the moment it was sent',
    labelNames: ['kind'],
    buckets: LATENESS_BUCKETS,
    registers: registry ? [registry] : [],
  });
}

/**
 * Derives delayed jobs from the plan in PostgreSQL: every planned step due within the horizon
 * gets its job (BullMQ ignores an id it already has). The plan is the truth and Redis only a
 * timer, so a flushed Redis or a lost job is re-created on the next pass and fires late, not never.
 */
export async function scheduleDueSteps(ds: DataSource, queue: Queue, now: Date, s: ReminderQueueSettings): Promise<number> {
  const rows = (await ds.query(
    `SELECT id, fire_at FROM reminder_step WHERE status = 'PLANNED' AND fire_at <= $1 ORDER BY fire_at LIMIT $2`,
    [new Date(now.getTime() + s.horizonMs), s.batch],
  )) as { id: string; fire_at: Date }[];
  const digests = (await ds.query(
    `SELECT id, fire_at FROM reminder_digest WHERE status = 'PLANNED' AND fire_at <= $1 ORDER BY fire_at LIMIT $2`,
    [new Date(now.getTime() + s.horizonMs), s.batch],
  )) as { id: string; fire_at: Date }[];
  if (!rows.length && !digests.length) return 0;
  const delay = (at: Date) => Math.max(0, at.getTime() - now.getTime());
  await queue.addBulk([
    ...rows.map((r) => ({
      name: 'fire',
      data: { stepId: r.id, fireAt: new Date(r.fire_at).getTime() } satisfies ReminderJobData,
      opts: { jobId: reminderJobId(r.id, new Date(r.fire_at)), delay: delay(new Date(r.fire_at)), ...JOB_OPTIONS },
    })),
    ...digests.map((d) => ({
      name: 'digest',
      data: { digestId: d.id, fireAt: new Date(d.fire_at).getTime() } satisfies ReminderJobData,
      opts: { jobId: digestJobId(d.id, new Date(d.fire_at)), delay: delay(new Date(d.fire_at)), ...JOB_OPTIONS },
    })),
  ]);
  return Math.max(rows.length, digests.length);
}

/** The reminders task of the notifications worker: the scheduler loop and the BullMQ worker firing steps. */
export function reminderTask(settings: Partial<ReminderQueueSettings> = {}): WorkerTask {
  const s = { ...DEFAULT_REMINDER_SETTINGS, ...settings };
  return {
    name: 'reminders',
    start({ dataSource, redisUrl, prefix, log, metrics }: WorkerTaskDeps) {
      const connection = bullConnection(redisUrl);
      const queue = new Queue(REMINDER_QUEUE, { connection, prefix });
      queue.on('error', (err) => log.warn({ err }, 'reminder queue error'));
      const unobserve = metrics ? observeQueueJobs(metrics, REMINDER_QUEUE, () => queue) : undefined;
      const lateness = reminderLatenessHistogram(metrics);
      const settings = notificationSettings();
      // Steps falling due together (a burst) fire a batch per transaction; a failed batch fires its steps one by one.
      // Jobs wait in the batcher holding their BullMQ lock: it never holds more than `concurrency` of them.
      const batchSize = Math.min(s.fireBatch, s.concurrency);
      const batcher =
        batchSize > 1
          ? createMicroBatcher<string, FireOutcome>(
              { maxSize: batchSize, waitMs: 5, maxInFlight: Math.max(1, Math.min(4, Math.floor(s.concurrency / batchSize))) },
              (ids) => fireSteps(dataSource, ids, new Date(), settings),
              (id) => fireStep(dataSource, id, new Date(), settings),
              (err, size) => log.warn({ err, size }, 'reminder batch failed; firing its steps one by one'),
            )
          : undefined;
      const worker = new Worker(
        REMINDER_QUEUE,
        async (job) => {
          const data = job.data as ReminderJobData;
          const outcome =
            'digestId' in data
              ? await fireDigest(dataSource, data.digestId, new Date(), settings)
              : await (batcher ? batcher.submit(data.stepId) : fireStep(dataSource, data.stepId, new Date(), settings));
          const now = new Date();
          if (outcome === 'DEFERRED' || outcome === 'NOT_YET' || outcome === 'DIGESTED') loop.wake();
          if ((outcome === 'FIRED' || outcome === 'SENT') && data.fireAt !== undefined)
            lateness.observe({ kind: 'digestId' in data ? 'digest' : 'step' }, Math.max(0, now.getTime() - data.fireAt) / 1000);
          return outcome;
        },
        {
          connection,
          prefix,
          concurrency: s.concurrency,
          lockDuration: s.lockDurationMs,
          stalledInterval: s.stalledIntervalMs,
        },
      );
      worker.on('error', (err) => log.warn({ err }, 'reminder worker error'));
      worker.on('failed', (job, err) => log.warn({ err, jobId: job?.id }, 'reminder job failed'));
      const loop = startLoop({
        name: 'reminder-scheduler',
        log,
        intervalMs: s.scheduleIntervalMs,
        run: async () => (await scheduleDueSteps(dataSource, queue, new Date(), s)) >= s.batch,
      });
      return {
        async stop() {
          await loop.stop();
          await worker.close();
          unobserve?.();
          await queue.close();
        },
      };
    },
  };
}
