import { type RunningSubgraph } from '@medcollab/kit';
import { startPipeline as startServices, type RunningSupergraph, type SqlCounter } from '@medcollab/testing';
import { curriculumEventHandlers as curriculumHandlers, curriculumSubgraph } from '@medcollab/curriculum';
import { placementGrantHandlers, networkSubgraph, seedDemoNetwork } from '@medcollab/network';
import { allocationTask, rotationsEventHandlers, rotationsSubgraph } from '@medcollab/rotations';
import { assessmentEventHandlers } from '../../src/projections';
import { createAssessmentSubgraph } from '../../src/server';
import { type AssessmentSettings } from '../../src/settings';
import { TEST_SETTINGS } from './harness';

export { waitFor } from '@medcollab/testing';

/** Network, curriculum, rotations and assessment behind the real gateway, each worker exchanging events in-process. */
export interface Pipeline {
  network: RunningSubgraph;
  curriculum: RunningSubgraph;
  rotations: RunningSubgraph;
  assessment: RunningSubgraph;
  supergraph: RunningSupergraph;
  /** Counts the assessment subgraph's SQL statements. */
  counter: SqlCounter;
  settings: AssessmentSettings;
  stop(): Promise<void>;
}

/**
 * `allocation`: rotations' worker also solves allocation runs (its allocation task), as in
 * production. `demo`: network starts on the demo network (seeded once per run; the test's
 * seedDemoNetwork returns its summary).
 */
export async function startPipeline(
  overrides: Partial<AssessmentSettings> = {},
  opts: { allocation?: boolean; demo?: boolean } = {},
): Promise<Pipeline> {
  const settings = { ...TEST_SETTINGS, ...overrides };
  const p = await startServices([
    { module: networkSubgraph, handlers: placementGrantHandlers, seed: opts.demo ? { name: 'demo', load: seedDemoNetwork } : undefined },
    { module: curriculumSubgraph, handlers: curriculumHandlers },
    { module: rotationsSubgraph, handlers: rotationsEventHandlers, tasks: opts.allocation ? [allocationTask] : [] },
    { module: createAssessmentSubgraph(settings), handlers: assessmentEventHandlers(settings) },
  ]);
  return {
    network: p.subgraphs.network!,
    curriculum: p.subgraphs.curriculum!,
    rotations: p.subgraphs.rotations!,
    assessment: p.subgraphs.assessment!,
    supergraph: p.supergraph,
    counter: p.counters.assessment!,
    settings,
    stop: p.stop,
  };
}
