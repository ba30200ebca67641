import { type RunningSubgraph } from '@medcollab/kit';
import { startPipeline as startServices, type RunningSupergraph, type SqlCounter } from '@medcollab/testing';
import { curriculumEventHandlers as curriculumHandlers, curriculumSubgraph } from '@medcollab/curriculum';
import { placementGrantHandlers, networkSubgraph, seedDemoNetwork } from '@medcollab/network';
import { rotationsEventHandlers } from '../../src/projections';
import { rotationsSubgraph } from '../../src/server';

export { waitFor } from '@medcollab/testing';

/**
 * Network (on the demo network, seeded once per run: the test's seedDemoNetwork returns its
 * summary) and rotations behind the real gateway, with both workers exchanging events in-process.
 */
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
    { module: networkSubgraph, handlers: placementGrantHandlers, seed: { name: 'demo', load: seedDemoNetwork } },
    { module: rotationsSubgraph, handlers: rotationsEventHandlers },
  ]);
  return {
    network: p.subgraphs.network!,
    rotations: p.subgraphs.rotations!,
    supergraph: p.supergraph,
    rotationsCounter: p.counters.rotations!,
    stop: p.stop,
  };
}

/** Network (on the demo network), curriculum and rotations behind the gateway: enrolments and completions reach rotations' projections. */
export interface CurriculumPipeline {
  network: RunningSubgraph;
  curriculum: RunningSubgraph;
  rotations: RunningSubgraph;
  supergraph: RunningSupergraph;
  stop(): Promise<void>;
}

export async function startCurriculumPipeline(): Promise<CurriculumPipeline> {
  const p = await startServices([
    { module: networkSubgraph, handlers: placementGrantHandlers, seed: { name: 'demo', load: seedDemoNetwork } },
    { module: curriculumSubgraph, handlers: curriculumHandlers },
    { module: rotationsSubgraph, handlers: rotationsEventHandlers },
  ]);
  return {
    network: p.subgraphs.network!,
    curriculum: p.subgraphs.curriculum!,
    rotations: p.subgraphs.rotations!,
    supergraph: p.supergraph,
    stop: p.stop,
  };
}
