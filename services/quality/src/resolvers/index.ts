import { mergeResolvers } from '@medcollab/kit';
import { eventAdminResolvers } from '@medcollab/events';
import { type QualityContext } from '../context';
import { alertResolvers } from './alerts';
import { allocationRunResolvers } from './allocation-runs';
import { curriculumResolvers } from './curriculum';
import { federatedResolvers } from './federated';
import { rebuildResolvers } from './rebuild';
import { reportResolvers } from './report';

/** Each file contributes its own Query/Mutation fields and type resolvers. */
export const resolvers = mergeResolvers(
  reportResolvers,
  allocationRunResolvers,
  federatedResolvers,
  rebuildResolvers,
  alertResolvers,
  curriculumResolvers,
  eventAdminResolvers('quality', (ctx: QualityContext) => ctx.dataSource),
);
