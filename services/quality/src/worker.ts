/**
 * The quality worker process (no GraphQL API). It consumes the events quality rolls up (task
 * lifecycle, evaluations, placements) and the agreements it needs for access and peers
 * (src/projections), runs requested rollup rebuilds and evaluates alert rules. Probes: /healthz and /readyz on
 * HEALTH_PORT (default 4107).
 */
import { startWorkerProcess } from '@medcollab/events';
import { qualityEventHandlers } from './projections';
import { qualitySubgraph } from './server';
import { qualitySettings } from './settings';
import { alertTask } from './tasks/alert-task';
import { rebuildTask } from './tasks/rebuild-task';

const settings = qualitySettings();

startWorkerProcess({
  module: qualitySubgraph,
  handlers: qualityEventHandlers(settings),
  tasks: [rebuildTask(settings), alertTask(settings)],
});
