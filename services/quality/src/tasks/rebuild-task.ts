import { startLoop, type WorkerTask } from '@medcollab/events';
import { queueRebuildOnKeyChange, runNextRebuild } from '../data/rebuild-runs';
import { type QualitySettings } from '../settings';

/**
 * Runs the rebuilds network admins ask for (rebuildQualityRollups), one at a time — and, first,
 * the one a new pseudonym key needs (ADR 0047).
 */
export const rebuildTask = (settings: QualitySettings): WorkerTask => ({
  name: 'rollup-rebuild',
  start: ({ dataSource, log }) => {
    let keyChecked = false;
    return startLoop({
      name: 'rollup-rebuild',
      log,
      intervalMs: settings.rebuildPollMs,
      run: async () => {
        if (!keyChecked) {
          if (await queueRebuildOnKeyChange(dataSource, settings.pseudonymKey)) log.warn('pseudonym key changed: rollups rebuild queued');
          keyChecked = true;
        }
        const ran = await runNextRebuild(dataSource, settings);
        if (ran) log.info('quality rollups rebuilt');
        return ran;
      },
    });
  },
});
