import { mergeResolvers } from '@medcollab/kit';
import { eventAdminResolvers } from '@medcollab/events';
import { type RotationsContext } from '../context';
import { allocationResolvers } from './allocation';
import { blockResolvers } from './block';
import { calendarResolvers } from './calendar';
import { capacityResolvers } from './capacity';
import { federatedResolvers } from './federated';
import { placementResolvers } from './placement';
import { preferenceResolvers } from './preference';
import { requirementResolvers } from './requirement';
import { supervisorResolvers } from './supervisor';
import { swapResolvers } from './swap';

/** Each file contributes its own Query/Mutation fields and type resolvers. */
export const resolvers = mergeResolvers(
  blockResolvers,
  capacityResolvers,
  placementResolvers,
  federatedResolvers,
  preferenceResolvers,
  swapResolvers,
  calendarResolvers,
  requirementResolvers,
  allocationResolvers,
  supervisorResolvers,
  eventAdminResolvers('rotations', (ctx: RotationsContext) => ctx.dataSource),
);
