import { mergeResolvers } from '@medcollab/kit';
import { eventAdminResolvers } from '@medcollab/events';
import { type AssessmentContext } from '../context';
import { federatedResolvers } from './federated';
import { instrumentResolvers } from './instrument';
import { progressResolvers, readinessResolvers } from './progress';
import { qualityResolvers } from './quality';
import { submissionResolvers } from './submission';
import { taskResolvers } from './task';

/** Each file contributes its own Query/Mutation fields and type resolvers. */
export const resolvers = mergeResolvers(
  instrumentResolvers,
  taskResolvers,
  submissionResolvers,
  progressResolvers,
  readinessResolvers,
  federatedResolvers,
  qualityResolvers,
  eventAdminResolvers('assessment', (ctx: AssessmentContext) => ctx.dataSource),
);
