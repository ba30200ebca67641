import { type DemoNetworkSummary } from '@medcollab/demo-world';
import { assessmentSubgraph, seedDemoAssessment } from '@medcollab/assessment';
import { curriculumSubgraph, seedDemoCurriculum } from '@medcollab/curriculum';
import { mentorshipSubgraph, seedDemoMentorship } from '@medcollab/mentorship';
import { networkSubgraph, seedDemoNetwork } from '@medcollab/network';
import { notificationsSubgraph } from '@medcollab/notifications';
import { qualitySubgraph } from '@medcollab/quality';
import { rotationsSubgraph, seedDemoRotations } from '@medcollab/rotations';
import { startPipeline, type Pipeline } from '@medcollab/testing';

export interface WholeNetwork {
  pipeline: Pipeline;
  demo: DemoNetworkSummary;
  stop(): Promise<void>;
}

/**
 * Every subgraph behind the real gateway, each on a fresh database holding the demo world, as
 * `pnpm start` serves it. No worker consumes events here: these tests look at what one request
 * can get out of the supergraph, not at what events do later.
 */
export async function startWholeNetwork(): Promise<WholeNetwork> {
  // The network from a template seeded once per run (seedDemoNetwork below returns its summary).
  const pipeline = await startPipeline([
    { module: networkSubgraph, seed: { name: 'demo', load: seedDemoNetwork } },
    ...[curriculumSubgraph, rotationsSubgraph, assessmentSubgraph, mentorshipSubgraph, notificationsSubgraph, qualitySubgraph].map(
      (module) => ({
        module,
      }),
    ),
  ]);
  const ds = (name: string) => pipeline.subgraphs[name]!.dataSource;
  const demo = await seedDemoNetwork(ds('network'));
  await seedDemoCurriculum(ds('curriculum'), demo);
  await seedDemoRotations(ds('rotations'), demo);
  await seedDemoAssessment(ds('assessment'), demo);
  await seedDemoMentorship(ds('mentorship'), demo);
  return { pipeline, demo, stop: () => pipeline.stop() };
}
