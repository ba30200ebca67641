import { type RunningSubgraph } from '@medcollab/kit';
import { startPipeline as startServices, type RunningSupergraph } from '@medcollab/testing';
import { networkSubgraph, seedDemoNetwork } from '@medcollab/network';
import { mentorshipEventHandlers } from '../../src/projections';
import { mentorshipSubgraph } from '../../src/server';

export { waitFor } from '@medcollab/testing';

/** Network (on the demo network, seeded once per run) and mentorship behind the real gateway; network events reach mentorship's inbox. */
export interface Pipeline {
  network: RunningSubgraph;
  mentorship: RunningSubgraph;
  supergraph: RunningSupergraph;
  stop(): Promise<void>;
}

export async function startPipeline(): Promise<Pipeline> {
  const p = await startServices([
    { module: networkSubgraph, seed: { name: 'demo', load: seedDemoNetwork } },
    { module: mentorshipSubgraph, handlers: mentorshipEventHandlers },
  ]);
  return { network: p.subgraphs.network!, mentorship: p.subgraphs.mentorship!, supergraph: p.supergraph, stop: p.stop };
}
