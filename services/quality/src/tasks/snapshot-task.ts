import { Queue, Worker } from 'bullmq';
import { bullConnection, observeQueueJobs, type WorkerTask, type WorkerTaskDeps } from '@medcollab/events';
import { evaluateAlertsForPeriod } from '../data/alerts';
import { markMentorshipBlocks } from '../data/mentorship-blocks';
import { markMentorshipTerms } from '../data/mentorship-terms';
import { freezeDuePeriods } from '../data/snapshots';
import { type QualitySettings } from '../settings';

export const SNAPSHOT_QUEUE = 'quality-snapshots';
const SCHEDULER_ID = 'close-ended-periods';

/**
 * Freezes the periods that have ended (block, term, year; plus the grace days late evaluations
 * get) as snapshots, and turns late changes of frozen periods into revisions (then judges the
 * alert rules watching them). A BullMQ job scheduler (`upsertJobScheduler`, one id, so any number of
 * worker replicas keep exactly one schedule) enqueues the sweep every `snapshotEveryMs`; the
 * sweep itself is idempotent (a frozen period is skipped), so a repeated or late job is harmless.
 * It first marks active mentorships as running in the current term (`markMentorshipTerms`) and
 * tells mentorships of their school's started rotation blocks (`markMentorshipBlocks`).
 */
export const snapshotTask = (settings: QualitySettings): WorkerTask => ({
  name: 'quality-snapshots',
  async start({ dataSource, redisUrl, prefix, log, metrics }: WorkerTaskDeps) {
    const connection = bullConnection(redisUrl);
    const queue = new Queue(SNAPSHOT_QUEUE, { connection, prefix });
    queue.on('error', (err) => log.warn({ err }, 'snapshot queue error'));
    const unobserve = metrics ? observeQueueJobs(metrics, SNAPSHOT_QUEUE, () => queue) : undefined;
    await queue.upsertJobScheduler(
      SCHEDULER_ID,
      { every: settings.snapshotEveryMs },
      { name: 'freeze-due-periods', opts: { removeOnComplete: { count: 100 }, removeOnFail: { count: 100 } } },
    );
    const worker = new Worker(
      SNAPSHOT_QUEUE,
      async () => {
        const now = new Date();
        const marked = await markMentorshipTerms(dataSource, now, settings);
        if (marked) log.info({ mentorships: marked }, 'mentorships marked in the current term');
        const blocks = await markMentorshipBlocks(dataSource, now, settings);
        if (blocks) log.info({ markers: blocks }, "mentorships told of their school's rotation blocks");
        const frozen = await freezeDuePeriods(dataSource, now, settings.minEvaluators, settings.snapshotGraceDays, (em, period) =>
          evaluateAlertsForPeriod(em, period, settings.minEvaluators, now),
        );
        if (frozen.length) log.info({ periods: frozen.length }, 'quality periods frozen');
        return frozen.length;
      },
      { connection, prefix, concurrency: 1 },
    );
    worker.on('error', (err) => log.warn({ err }, 'snapshot worker error'));
    worker.on('failed', (job, err) => log.warn({ err, jobId: job?.id }, 'snapshot job failed'));
    return {
      async stop() {
        await worker.close();
        unobserve?.();
        await queue.close();
      },
    };
  },
});
