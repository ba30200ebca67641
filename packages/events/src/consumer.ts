import { type Job } from 'bullmq';
import { bullmq } from './bullmq';
import { type DataSource, type EntityManager } from 'typeorm';
import { createLogger, type Logger } from '@medcollab/kit';
import { deferDelay, type BackoffPolicy, type DeferPolicy } from './backoff';
import { type ContractMap, type EventEnvelope, type EventJobData, InvalidEventError, type PayloadOf, validateEnvelope } from './contract';
import { EVENT_CONTRACTS } from './contracts';
import { applyEventBatch, type BatchHandlers } from './batch-apply';
import { logError } from './log-error';
import { createMicroBatcher, type MicroBatchSettings } from './micro-batch';
import { describeError, parkEvent } from './parking';
import { eventQueueName } from './routes';
import { isTransientError } from './transient';

/** Applies one event's effect inside the consumer's transaction (`em`). */
export type EventHandler<P = unknown> = (em: EntityManager, envelope: EventEnvelope<P>) => Promise<void>;

export type Handlers<C extends ContractMap> = { [K in keyof C & string]?: EventHandler<PayloadOf<C[K]>> };

export interface ConsumerSettings {
  /** Attempts before an event that keeps failing is parked (transient database errors never park). */
  maxAttempts: number;
  /** Wait between attempts. */
  retryBackoff: BackoffPolicy;
  /** Wait of an event whose predecessor has not been applied yet. */
  defer: DeferPolicy;
}

export const DEFAULT_CONSUMER_SETTINGS: ConsumerSettings = {
  maxAttempts: 5,
  retryBackoff: { baseMs: 1_000, maxMs: 60_000 },
  defer: { minMs: 50, maxMs: 1_000 },
};

export interface ConsumerOptions<C extends ContractMap> {
  service: string;
  dataSource: DataSource;
  handlers: NoInfer<Handlers<C>>;
  /** The contracts incoming events are checked against; defaults to every known event. */
  contracts?: C;
  log?: Logger;
  settings?: Partial<ConsumerSettings>;
  /**
   * Micro-batching: the events of the jobs in flight are applied together (applyEventBatch: one
   * transaction, one multi-row inbox insert, set-at-a-time handlers where given). A batch that
   * fails is applied again one event at a time, so a bad event is retried and parked alone.
   */
  batch?: MicroBatchSettings & { handlers?: NoInfer<BatchHandlers<C>> };
}

/** applied: effect committed; duplicate: already in the inbox; waiting: predecessor not applied yet. */
export type ApplyOutcome = 'applied' | 'duplicate' | 'waiting';
export type JobOutcome = Exclude<ApplyOutcome, 'waiting'> | 'parked';

export interface Consumer {
  readonly service: string;
  readonly queueName: string;
  readonly settings: ConsumerSettings;
  readonly log: Logger;
  /** Validates the event and applies it: inbox row + handler in ONE transaction. */
  apply(data: EventJobData): Promise<ApplyOutcome>;
  /** The BullMQ processor: apply, defer, retry or park; one log line per job attempt. */
  process(job: Job<EventJobData>, token?: string): Promise<JobOutcome>;
  /** Applies replays an admin asked for (see replayParked); returns how many it looked at. */
  applyReplays(limit?: number): Promise<number>;
}

/** The inbox side of one consuming service. */
export function createConsumer<C extends ContractMap = typeof EVENT_CONTRACTS>(opts: ConsumerOptions<C>): Consumer {
  const { service, dataSource } = opts;
  const contracts: ContractMap = opts.contracts ?? EVENT_CONTRACTS;
  const handlers = opts.handlers as Partial<Record<string, EventHandler>>;
  const settings: ConsumerSettings = { ...DEFAULT_CONSUMER_SETTINGS, ...opts.settings };
  const log = opts.log ?? createLogger(service);
  // Successors this process deferred, by the predecessor they wait for: applying the predecessor
  // promotes them at once instead of after their delay. Other processes fall back on the delay.
  const waiting = new Map<string, Job<EventJobData>>();
  const MAX_WAITING = 10_000;

  function promoteSuccessor(eventId: string): void {
    const next = waiting.get(eventId);
    if (!next) return;
    waiting.delete(eventId);
    // Fails harmlessly when the successor already left the delayed set.
    next.promote().catch(() => undefined);
  }

  function prepare(raw: EventEnvelope): { envelope: EventEnvelope; handler: EventHandler } {
    const envelope = validateEnvelope(contracts, raw);
    const handler = Object.hasOwn(handlers, envelope.type) ? handlers[envelope.type] : undefined;
    if (!handler) throw new InvalidEventError(`${service} has no handler for ${envelope.type}`);
    return { envelope, handler };
  }

  /**
   * The inbox insert only succeeds when the predecessor is already in the inbox; a conflict on
   * the event id means the event was applied before (redelivery): no second effect.
   */
  async function applyIn(
    em: EntityManager,
    envelope: EventEnvelope,
    previousEventId: string | null,
    handler: EventHandler,
  ): Promise<ApplyOutcome> {
    const inserted = (await em.query(
      `INSERT INTO inbox (event_id, source, event_type, aggregate_type, aggregate_id, sequence)
       SELECT $1, $2, $3, $4, $5, $6
        WHERE $7::uuid IS NULL OR EXISTS (SELECT 1 FROM inbox WHERE event_id = $7::uuid)
       ON CONFLICT (event_id) DO NOTHING
       RETURNING event_id`,
      [envelope.id, envelope.source, envelope.type, envelope.aggregateType, envelope.aggregateId, envelope.sequence, previousEventId],
    )) as unknown[];
    if (inserted.length) {
      await handler(em, envelope);
      return 'applied';
    }
    const seen = (await em.query('SELECT 1 FROM inbox WHERE event_id = $1', [envelope.id])) as unknown[];
    return seen.length ? 'duplicate' : 'waiting';
  }

  async function apply(data: EventJobData): Promise<ApplyOutcome> {
    const { envelope, handler } = prepare(data.envelope);
    return dataSource.transaction((em) => applyIn(em, envelope, data.previousEventId, handler));
  }

  const batcher =
    opts.batch && opts.batch.maxSize > 1
      ? createMicroBatcher<EventJobData, ApplyOutcome>(
          opts.batch,
          (items) =>
            applyEventBatch<C>(
              { dataSource, handlers: opts.handlers, batchHandlers: opts.batch?.handlers, contracts: opts.contracts },
              items,
            ),
          apply,
          (error, size) =>
            log.info({ consumer: service, size, err: logError(error) }, 'event batch failed; applying its events one by one'),
        )
      : undefined;

  async function process(job: Job<EventJobData>, token?: string): Promise<JobOutcome> {
    const started = Date.now();
    if (!job.data?.envelope?.id) {
      // Not something our relay wrote: nothing to park it under. BullMQ keeps it in `failed`.
      log.error({ jobId: job.id, consumer: service, outcome: 'rejected' }, 'event job without an envelope');
      throw new (bullmq().UnrecoverableError)('event job without an envelope');
    }
    const { envelope, previousEventId } = job.data;
    const attempt = job.attemptsMade + 1;
    const fields = {
      eventId: envelope.id,
      eventType: envelope.type,
      aggregateId: envelope.aggregateId,
      sequence: envelope.sequence,
      consumer: service,
      attempt,
    };
    let outcome: ApplyOutcome;
    try {
      outcome = await (batcher ? batcher.submit(job.data) : apply(job.data));
    } catch (error) {
      const transient = isTransientError(error);
      if (error instanceof InvalidEventError || (!transient && attempt >= settings.maxAttempts)) {
        try {
          await parkEvent(dataSource, job.data, error, attempt);
        } catch (parkError) {
          log.warn(
            { ...fields, outcome: 'retry', err: logError(parkError), cause: describeError(error) },
            'event could not be parked; will retry',
          );
          throw parkError;
        }
        log.warn({ ...fields, outcome: 'parked', err: logError(error), ms: Date.now() - started }, 'event parked');
        // Completing the job tells the producer's sweeper the consumer has taken custody.
        return 'parked';
      }
      log.warn({ ...fields, outcome: 'retry', transient, err: logError(error), ms: Date.now() - started }, 'event failed; will retry');
      throw error;
    }
    if (outcome === 'waiting') {
      // Back to delayed WITHOUT consuming an attempt (attemptsStarted counts the deferrals).
      const deferrals = Math.max(0, job.attemptsStarted - job.attemptsMade - 1);
      const delay = deferDelay(deferrals, settings.defer);
      await job.moveToDelayed(Date.now() + delay, token);
      if (previousEventId) {
        if (waiting.size >= MAX_WAITING) waiting.clear();
        waiting.set(previousEventId, job);
      }
      log.info({ ...fields, outcome: 'deferred', previousEventId, delayMs: delay }, 'event waits for its predecessor');
      throw new (bullmq().DelayedError)();
    }
    promoteSuccessor(envelope.id);
    log.info({ ...fields, outcome, ms: Date.now() - started }, 'event consumed');
    return outcome;
  }

  async function replayOne(eventId: string): Promise<void> {
    let outcome: ApplyOutcome | 'skipped';
    try {
      outcome = await dataSource.transaction(async (em) => {
        const [row] = (await em.query(
          `SELECT envelope, previous_event_id FROM parked_event
            WHERE event_id = $1 AND replayed_at IS NOT NULL AND applied_at IS NULL
            FOR UPDATE SKIP LOCKED`,
          [eventId],
        )) as { envelope: EventEnvelope; previous_event_id: string | null }[];
        if (!row) return 'skipped';
        const { envelope, handler } = prepare(row.envelope);
        const result = await applyIn(em, envelope, row.previous_event_id, handler);
        if (result !== 'waiting') await em.query('UPDATE parked_event SET applied_at = now() WHERE event_id = $1', [eventId]);
        return result;
      });
    } catch (error) {
      if (isTransientError(error)) throw error; // the replay stays pending; the loop retries
      await dataSource.query(
        `UPDATE parked_event SET replayed_at = NULL, error = $2, attempts = attempts + 1, parked_at = now()
          WHERE event_id = $1 AND applied_at IS NULL`,
        [eventId, describeError(error)],
      );
      log.warn(
        { eventId, consumer: service, replay: true, outcome: 'parked', err: logError(error) },
        'replayed event failed again; parked',
      );
      return;
    }
    if (outcome === 'skipped') return;
    if (outcome !== 'waiting') promoteSuccessor(eventId);
    const level = outcome === 'waiting' ? 'debug' : 'info';
    log[level]({ eventId, consumer: service, replay: true, outcome }, 'parked event replayed');
  }

  async function applyReplays(limit = 50): Promise<number> {
    const pending = (await dataSource.query(
      `SELECT event_id FROM parked_event WHERE replayed_at IS NOT NULL AND applied_at IS NULL ORDER BY replayed_at LIMIT $1`,
      [limit],
    )) as { event_id: string }[];
    for (const { event_id } of pending) await replayOne(event_id);
    return pending.length;
  }

  return { service, queueName: eventQueueName(service), settings, log, apply, process, applyReplays };
}
