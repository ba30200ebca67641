import { type RunningSubgraph } from '@medcollab/kit';
import { startPipeline as startServices, type RunningSupergraph, type SqlCounter } from '@medcollab/testing';
import { placementGrantHandlers } from '@medcollab/network/src/projections/placement-grants';
import { networkSubgraph } from '@medcollab/network/src/server';
import { networkEventHandlers } from '../../src/projections/network-events';
import { rotationsSubgraph } from '../../src/server';

export { waitFor } from '@medcollab/testing';

/** Network and rotations behind the real gateway, with both workers exchanging events in-process. */
export interface Pipeline {
  network: RunningSubgraph;
  rotations: RunningSubgraph;
  supergraph: RunningSupergraph;
  /** Counts the rotations subgraph's SQL statements. */
  rotationsCounter: SqlCounter;
  stop(): Promise<void>;
}

export async function startPipeline(): Promise<Pipeline> {
  const p = await startServices([
    { module: networkSubgraph, handlers: placementGrantHandlers },
    { module: rotationsSubgraph, handlers: networkEventHandlers },
  ]);
  return { network: p.subgraphs.network!, rotations: p.subgraphs.rotations!, supergraph: p.supergraph, rotationsCounter: p.counters.rotations!, stop: p.stop };
}
