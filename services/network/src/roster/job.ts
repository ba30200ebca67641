import { type Job, Worker } from 'bullmq';
import {
  backoffDelay,
  bullConnection,
  type EventJobData,
  eventQueueName,
  InvalidEventError,
  logError,
  RosterImportQueued,
  ROUTES,
  validateEnvelope,
  type WorkerTask,
  type WorkerTaskDeps,
} from '@medcollab/events';
import { runRosterImport, type RosterRunOutcome } from './processor';

/**
 * Roster imports as BullMQ jobs (ADR 0026). The upload writes a RosterImportQueued event in its
 * transaction; the network's relay publishes it to `events.network-roster-imports` (job id
 * `<event id>.network-roster-imports`) and its sweeper publishes it again if Redis lost it, or
 * retries it if BullMQ failed it. This queue is not the network's event inbox: an import holds
 * its job for seconds to minutes, so it gets its own worker, one import at a time, with a lock
 * long enough that a busy event loop (parsing 20,000 rows) never lets it lapse.
 */

/** The consumer name the routing table gives RosterImportQueued. */
export const ROSTER_IMPORT_CONSUMER = ROUTES.RosterImportQueued![0]!;
export const ROSTER_IMPORT_QUEUE = eventQueueName(ROSTER_IMPORT_CONSUMER);

export interface RosterJobSettings {
  /** Imports one worker process runs at once. */
  concurrency: number;
  /**
   * The job's lock, renewed every half of it while the import runs; a killed worker's import is
   * taken up again about this long after it died (the advisory lock it held is gone at once).
   */
  lockDurationMs: number;
  stalledIntervalMs: number;
  /** Wait before a job whose import another runner holds is tried again. */
  retry: { baseMs: number; maxMs: number };
}

export const DEFAULT_ROSTER_JOB_SETTINGS: RosterJobSettings = {
  concurrency: 1,
  lockDurationMs: 60_000,
  stalledIntervalMs: 30_000,
  retry: { baseMs: 1_000, maxMs: 60_000 },
};

/** What a job returns (BullMQ keeps it as the job's return value). */
export type RosterJobOutcome = RosterRunOutcome | 'invalid';

export class RosterImportBusyError extends Error {
  override name = 'RosterImportBusyError';
}

/** Processes one delivery: the row decides what is left to do (runRosterImport). */
export function rosterJobProcessor(deps: Pick<WorkerTaskDeps, 'dataSource' | 'log'>) {
  return async (job: Job<EventJobData>): Promise<RosterJobOutcome> => {
    let importId: string;
    try {
      if (!job.data?.envelope) throw new InvalidEventError('no event envelope');
      importId = (validateEnvelope({ RosterImportQueued }, job.data.envelope).payload as { importId: string }).importId;
    } catch (error) {
      // Only our relay writes this queue; a bad job is a bug to read about, not to retry forever.
      if (!(error instanceof InvalidEventError)) throw error;
      deps.log.error({ jobId: job.id, err: logError(error) }, 'roster import job without a valid RosterImportQueued event');
      return 'invalid';
    }
    const outcome = await runRosterImport(deps.dataSource, importId, deps.log);
    deps.log.info({ jobId: job.id, importId, outcome, attempt: job.attemptsMade + 1 }, 'roster import job');
    if (outcome === 'busy') throw new RosterImportBusyError(`roster import ${importId} is being run by another worker; trying again later`);
    return outcome;
  };
}

/** Starts the network worker's roster import worker; stop() waits for the import in progress. */
export function startRosterImportWorker(deps: WorkerTaskDeps, settings: Partial<RosterJobSettings> = {}): { stop(): Promise<void> } {
  const s = { ...DEFAULT_ROSTER_JOB_SETTINGS, ...settings };
  const worker = new Worker<EventJobData, RosterJobOutcome>(ROSTER_IMPORT_QUEUE, rosterJobProcessor(deps), {
    connection: bullConnection(deps.redisUrl),
    prefix: deps.prefix,
    concurrency: s.concurrency,
    lockDuration: s.lockDurationMs,
    stalledInterval: s.stalledIntervalMs,
    maxStalledCount: 3,
    // The relay's jobs ask for the events' custom backoff type (EVENT_BACKOFF): 'busy' retries use it.
    settings: { backoffStrategy: (attemptsMade: number) => backoffDelay(attemptsMade, s.retry) },
  });
  worker.on('error', (error) => deps.log.warn({ err: logError(error), queue: ROSTER_IMPORT_QUEUE }, 'roster import worker error'));
  worker.on('stalled', (jobId) => deps.log.warn({ jobId, queue: ROSTER_IMPORT_QUEUE }, 'roster import job stalled; it runs again'));
  return { stop: () => worker.close() };
}

/** The network worker's task (src/worker.ts). */
export const rosterImportTask: WorkerTask = {
  name: 'roster-imports',
  start: (deps) => startRosterImportWorker(deps),
};
