import { type RunningSubgraph } from '@medcollab/kit';
import { startPipeline as startServices, type RunningSupergraph, type SqlCounter } from '@medcollab/testing';
import { projectionHandlers as curriculumHandlers } from '@medcollab/curriculum/src/data/projections';
import { curriculumSubgraph } from '@medcollab/curriculum/src/server';
import { placementGrantHandlers } from '@medcollab/network/src/projections/placement-grants';
import { networkSubgraph } from '@medcollab/network/src/server';
import { rotationsEventHandlers } from '@medcollab/rotations/src/projections';
import { rotationsSubgraph } from '@medcollab/rotations/src/server';
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

export async function startPipeline(overrides: Partial<AssessmentSettings> = {}): Promise<Pipeline> {
  const settings = { ...TEST_SETTINGS, ...overrides };
  const p = await startServices([
    { module: networkSubgraph, handlers: placementGrantHandlers },
    { module: curriculumSubgraph, handlers: curriculumHandlers },
    { module: rotationsSubgraph, handlers: rotationsEventHandlers },
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
