import { startLoop, type WorkerTask } from '@medcollab/events';
import { type DataSource } from 'typeorm';
import { writeCheckpoints } from '../data/checkpoints';
import { ensurePartitions } from '../data/partitions';
import { applyRetention } from '../data/retention';
import { type AuditSettings } from '../settings';

/** A chain upkeep job the worker runs every `intervalMs` (and once at start). */
function chainTask(name: string, intervalMs: number, work: (ds: DataSource, now: Date) => Promise<number>, done: string): WorkerTask {
  return {
    name,
    start: ({ dataSource, log }) =>
      startLoop({
        name,
        log,
        intervalMs,
        run: async () => {
          const count = await work(dataSource, new Date());
          if (count) log.info({ count }, done);
          return false;
        },
      }),
  };
}

/**
 * Applies the institutions' retention policies now and then (anchors keep pruned chains verifiable;
 * past months no institution keeps are retired as whole partitions, ADR 0028).
 */
export const retentionTask = (settings: AuditSettings): WorkerTask =>
  chainTask(
    'audit-retention',
    settings.retentionIntervalMs,
    (ds, now) => applyRetention(ds, now, { retired: settings.retiredPartitions ?? 'drop' }),
    'audit entries past retention removed',
  );

/** Checkpoints each grown chain (daily by default) and sends the checkpoint to its institution. */
export const checkpointTask = (settings: AuditSettings): WorkerTask =>
  chainTask('audit-checkpoints', settings.checkpointIntervalMs, writeCheckpoints, 'audit chain checkpoints written');

/** How often the monthly partitions ahead are checked (they are needed once a month; daily leaves room for outages). */
export const PARTITION_INTERVAL_MS = 86_400_000;

/** Creates the trail's monthly partitions ahead (ADR 0023), at start and daily. */
export const partitionTask = (intervalMs = PARTITION_INTERVAL_MS): WorkerTask => ({
  name: 'audit-partitions',
  start: ({ dataSource, log }) =>
    startLoop({
      name: 'audit-partitions',
      log,
      intervalMs,
      run: async () => {
        const count = await ensurePartitions(dataSource, new Date(), (month) =>
          log.warn({ partition: month }, 'audit entries of this month are in the default partition; its own partition was not created'),
        );
        if (count) log.info({ count }, 'audit partitions created');
        return false;
      },
    }),
});
