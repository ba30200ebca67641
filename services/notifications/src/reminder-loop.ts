import { startLoop, type WorkerTask, type WorkerTaskDeps } from '@medcollab/events';
import { type Logger } from '@medcollab/kit';
import { Histogram, type Registry } from 'prom-client';
import { type DataSource } from 'typeorm';
import { z } from 'zod';
import { fireDigest } from './data/digest';
import { fireStep, type FireOutcome } from './data/fire';
import { fireDueSteps } from './data/fire-batch';
import { notificationSettings, type NotificationSettings } from './settings';

export interface ReminderLoopSettings {
  /** The longest the loop sleeps: a step planned meanwhile to fire at once waits at most this long. */
  pollIntervalMs: number;
  /** Due steps claimed and fired per transaction (1: one at a time). */
  fireBatch: number;
  /** Claims run at once per pass (each holds a database connection): how a burst is shared out. */
  lanes: number;
}

export const DEFAULT_REMINDER_SETTINGS: ReminderLoopSettings = {
  pollIntervalMs: 1_000,
  fireBatch: 200,
  lanes: 2,
};

const positive = (fallback: number) => z.coerce.number().int().positive().default(fallback);

/** The reminders task's settings from the environment (REMINDERS_*), the defaults otherwise. */
export function reminderSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): ReminderLoopSettings {
  const d = DEFAULT_REMINDER_SETTINGS;
  const parsed = z
    .object({
      REMINDERS_POLL_INTERVAL_MS: positive(d.pollIntervalMs),
      REMINDERS_FIRE_BATCH: positive(d.fireBatch),
      REMINDERS_LANES: positive(d.lanes),
    })
    .parse(env);
  return { pollIntervalMs: parsed.REMINDERS_POLL_INTERVAL_MS, fireBatch: parsed.REMINDERS_FIRE_BATCH, lanes: parsed.REMINDERS_LANES };
}

/** Lateness buckets (seconds): from on time to a worker that was down for a while, and a day late. */
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

/** A step or digest whose firing threw is held back (doubling from 1 s to 5 min) instead of being retried at every pass. */
class HeldBack {
  private readonly until = new Map<string, { at: number; failures: number }>();
  hold(id: string, now: number): number {
    const failures = (this.until.get(id)?.failures ?? 0) + 1;
    const delay = Math.min(300_000, 1_000 * 2 ** (failures - 1));
    this.until.set(id, { at: now + delay, failures });
    return failures;
  }
  release(id: string): void {
    this.until.delete(id);
  }
  ids(now: number): string[] {
    for (const [id, h] of this.until) if (h.at <= now) this.until.delete(id);
    return [...this.until.keys()];
  }
}

/**
 * One pass of the firing loop (ADR 0029): due steps are claimed from the plan's due index in
 * batches, `lanes` claims at once (SKIP LOCKED shares them out, with other workers too), each
 * fired in its claim's transaction; the kinds the batch leaves to `fireStep` and the due daily
 * digests are fired one by one. Resolves the milliseconds to sleep: 0 while claims come back
 * full, else until the next planned step or digest falls due, at most `pollIntervalMs`.
 */
export function firingPass(
  ds: DataSource,
  s: ReminderLoopSettings,
  settings: NotificationSettings,
  log: Logger,
  lateness: Histogram<'kind'>,
): () => Promise<number> {
  const held = new HeldBack();
  const observe = (kind: 'step' | 'digest', fireAt: Date, at: Date) =>
    lateness.observe({ kind }, Math.max(0, at.getTime() - fireAt.getTime()) / 1000);
  const failed = (id: string, err: unknown) => {
    const failures = held.hold(id, Date.now());
    log.warn({ err, id, failures }, 'reminder firing failed; held back before the next try');
  };
  const one = async (kind: 'step' | 'digest', id: string, fireAt: Date) => {
    try {
      const now = new Date();
      const outcome: FireOutcome | string =
        kind === 'step' ? await fireStep(ds, id, now, settings) : await fireDigest(ds, id, now, settings);
      held.release(id);
      if (outcome === 'FIRED' || outcome === 'SENT') observe(kind, fireAt, new Date());
    } catch (err) {
      failed(id, err);
    }
  };

  return async () => {
    const now = new Date();
    const skip = held.ids(now.getTime());
    const claims = await Promise.all(
      Array.from({ length: s.lanes }, async () => {
        try {
          return await fireDueSteps(ds, now, s.fireBatch, skip, settings);
        } catch (err) {
          // The claim rolled back whole: its steps are PLANNED again; hold back none (which one failed is unknown),
          // but fire one at a time next pass, where a bad step fails alone.
          log.warn({ err }, 'reminder batch failed; its steps are fired one by one');
          return undefined;
        }
      }),
    );
    const firedAt = new Date();
    const byId = new Map<string, Date>();
    let full = false;
    for (const claim of claims) {
      if (!claim) continue;
      if (claim.claimed.length >= s.fireBatch) full = true;
      for (const c of claim.claimed) {
        byId.set(c.id, c.fireAt);
        if (claim.outcome.get(c.id) === 'FIRED') observe('step', c.fireAt, firedAt);
      }
    }
    for (const claim of claims) for (const id of claim?.single ?? []) await one('step', id, byId.get(id)!);
    if (claims.some((c) => !c)) {
      // One step at a time: the failing one is found and held back, the others fire.
      const due = (await ds.query(
        `SELECT id, fire_at FROM reminder_step WHERE status = 'PLANNED' AND fire_at <= $1 AND NOT (id = ANY($2::uuid[]))
          ORDER BY fire_at LIMIT $3`,
        [now, held.ids(Date.now()), s.fireBatch],
      )) as { id: string; fire_at: Date }[];
      for (const d of due) await one('step', d.id, new Date(d.fire_at));
    }
    const digests = (await ds.query(
      `SELECT id, fire_at FROM reminder_digest WHERE status = 'PLANNED' AND fire_at <= $1 AND NOT (id = ANY($2::uuid[]))
        ORDER BY fire_at LIMIT $3`,
      [now, skip, s.fireBatch],
    )) as { id: string; fire_at: Date }[];
    for (const d of digests) await one('digest', d.id, new Date(d.fire_at));
    if (full || digests.length >= s.fireBatch) return 0;

    const [next] = (await ds.query(
      `SELECT LEAST((SELECT min(fire_at) FROM reminder_step WHERE status = 'PLANNED' AND NOT (id = ANY($1::uuid[]))),
                    (SELECT min(fire_at) FROM reminder_digest WHERE status = 'PLANNED' AND NOT (id = ANY($1::uuid[])))) AS at`,
      [held.ids(Date.now())],
    )) as { at: Date | null }[];
    if (!next?.at) return s.pollIntervalMs;
    const wait = new Date(next.at).getTime() - Date.now();
    // Due already but not claimed: another worker holds it (or it fell due meanwhile); look again shortly.
    return wait <= 0 ? 10 : Math.min(wait, s.pollIntervalMs);
  };
}

/**
 * The reminders task of the notifications worker (ADR 0029): a loop that sleeps until the next
 * planned step or digest of the plan in PostgreSQL falls due and fires what is due. The plan is
 * both the truth and the timer, so nothing in Redis can be lost, and a burst due together fires
 * a batch per transaction.
 */
export function reminderTask(settings: Partial<ReminderLoopSettings> = {}): WorkerTask {
  const s = { ...DEFAULT_REMINDER_SETTINGS, ...settings };
  return {
    name: 'reminders',
    start({ dataSource, log, metrics }: WorkerTaskDeps) {
      const lateness = reminderLatenessHistogram(metrics);
      const loop = startLoop({
        name: 'reminder-firing',
        log,
        intervalMs: s.pollIntervalMs,
        run: firingPass(dataSource, s, notificationSettings(), log, lateness),
      });
      return { stop: () => loop.stop() };
    },
  };
}
