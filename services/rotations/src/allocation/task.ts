import { type WorkerTask } from '@medcollab/events';
import { allocationSolveMetric } from './metrics';
import { startAllocationLoop } from './processor';

/**
 * The rotations worker's background task beside its events: solving queued allocation runs
 * (ADR 0005, 0014). Exported (src/public.ts) so pipelines in other services' tests run the
 * real worker, not a stand-in.
 */
export const allocationTask: WorkerTask = {
  name: 'allocation',
  start: ({ dataSource, log, metrics }) =>
    startAllocationLoop(dataSource, log, metrics ? { solveMetric: allocationSolveMetric(metrics) } : {}),
};
