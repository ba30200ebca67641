import { startLoop, type WorkerTask } from '@medcollab/events';
import { evaluateAlertRules } from '../data/alerts';
import { type QualitySettings } from '../settings';

/** Evaluates the institutions' alert rules against the current figures; each alert is raised once. */
export const alertTask = (settings: QualitySettings): WorkerTask => ({
  name: 'quality-alerts',
  start: ({ dataSource, log }) =>
    startLoop({
      name: 'quality-alerts',
      log,
      intervalMs: settings.alertIntervalMs,
      run: async () => {
        const raised = await evaluateAlertRules(dataSource, settings.minEvaluators, new Date());
        if (raised) log.info({ raised }, 'quality alerts raised');
        return false;
      },
    }),
});
