import { startLoop, type WorkerTask } from '@medcollab/events';
import { applyRetention } from '../data/retention';
import { type AuditSettings } from '../settings';

/** Applies the institutions' retention policies now and then (anchors keep pruned chains verifiable). */
export const retentionTask = (settings: AuditSettings): WorkerTask => ({
  name: 'audit-retention',
  start: ({ dataSource, log }) =>
    startLoop({
      name: 'audit-retention',
      log,
      intervalMs: settings.retentionIntervalMs,
      run: async () => {
        const removed = await applyRetention(dataSource, new Date());
        if (removed) log.info({ removed }, 'audit entries past retention removed');
        return false;
      },
    }),
});
