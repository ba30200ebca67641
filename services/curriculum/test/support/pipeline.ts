import { type RunningSubgraph } from '@medcollab/kit';
import { startPipeline as startServices, type RunningSupergraph, type SqlCounter } from '@medcollab/testing';
import { networkSubgraph, seedDemoNetwork } from '@medcollab/network';
import { projectionHandlers } from '../../src/data/projections';
import { curriculumSubgraph } from '../../src/server';

export { waitFor } from '@medcollab/testing';

/** Network (on the demo network, seeded once per run) and curriculum behind the real gateway; network events reach curriculum's projections. */
export interface Pipeline {
  network: RunningSubgraph;
  curriculum: RunningSubgraph;
  supergraph: RunningSupergraph;
  /** Counts the curriculum subgraph's SQL statements (its worker has its own connections). */
  counter: SqlCounter;
  stop(): Promise<void>;
}

export async function startPipeline(): Promise<Pipeline> {
  const p = await startServices([
    { module: networkSubgraph, seed: { name: 'demo', load: seedDemoNetwork } },
    { module: curriculumSubgraph, handlers: projectionHandlers },
  ]);
  return {
    network: p.subgraphs.network!,
    curriculum: p.subgraphs.curriculum!,
    supergraph: p.supergraph,
    counter: p.counters.curriculum!,
    stop: p.stop,
  };
}
