/**
 * The quality worker process (no GraphQL API). It consumes the events quality rolls up (task
 * lifecycle, evaluations, placements) and the agreements it needs for access and peers
 * (src/projections) — judging alert rules and revising frozen periods as each event lands —,
 * runs requested rollup rebuilds, and freezes periods that ended (a BullMQ job scheduler). Probes: /healthz and /readyz on
 * HEALTH_PORT (default 4107).
 */
import { startWorkerProcess } from '@medcollab/events';
import { qualityEventHandlers } from './projections';
import { qualitySubgraph } from './server';
import { qualitySettings } from './settings';
import { rollupMetricsTask } from './metrics';
import { snapshotTask } from './tasks/snapshot-task';
import { rebuildTask } from './tasks/rebuild-task';

const settings = qualitySettings();

startWorkerProcess({
  module: qualitySubgraph,
  handlers: qualityEventHandlers(settings),
  tasks: [rollupMetricsTask(), rebuildTask(settings), snapshotTask(settings)],
});
