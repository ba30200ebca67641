import { type RequestContext, SUBGRAPHS, type SubgraphModule } from '@medcollab/kit';
import { assessmentSubgraph } from '@medcollab/assessment';
import { auditSubgraph } from '@medcollab/audit';
import { curriculumSubgraph } from '@medcollab/curriculum';
import { mentorshipSubgraph } from '@medcollab/mentorship';
import { networkSubgraph } from '@medcollab/network';
import { notificationsSubgraph } from '@medcollab/notifications';
import { qualitySubgraph } from '@medcollab/quality';
import { rotationsSubgraph } from '@medcollab/rotations';

/** Every subgraph module by its registry name (the bench starts each one as its own process). */
export const SUBGRAPH_MODULES: Record<string, SubgraphModule<RequestContext>> = {
  network: networkSubgraph as unknown as SubgraphModule<RequestContext>,
  curriculum: curriculumSubgraph as unknown as SubgraphModule<RequestContext>,
  rotations: rotationsSubgraph as unknown as SubgraphModule<RequestContext>,
  assessment: assessmentSubgraph as unknown as SubgraphModule<RequestContext>,
  mentorship: mentorshipSubgraph as unknown as SubgraphModule<RequestContext>,
  notifications: notificationsSubgraph as unknown as SubgraphModule<RequestContext>,
  quality: qualitySubgraph as unknown as SubgraphModule<RequestContext>,
  audit: auditSubgraph as unknown as SubgraphModule<RequestContext>,
};

export const SUBGRAPH_NAMES = SUBGRAPHS.map((s) => s.name);
