import { startLoop, type WorkerTask } from '@medcollab/events';
import { runNextRebuild } from '../data/rebuild-runs';
import { type QualitySettings } from '../settings';

/** Runs the rebuilds network admins ask for (rebuildQualityRollups), one at a time. */
export const rebuildTask = (settings: QualitySettings): WorkerTask => ({
  name: 'rollup-rebuild',
  start: ({ dataSource, log }) =>
    startLoop({
      name: 'rollup-rebuild',
      log,
      intervalMs: settings.rebuildPollMs,
      run: async () => {
        const ran = await runNextRebuild(dataSource, settings);
        if (ran) log.info('quality rollups rebuilt');
        return ran;
      },
    }),
});
