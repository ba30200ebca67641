import { eventAdminResolvers } from '@medcollab/events';
import { type RotationsContext } from '../context';
import { blockResolvers } from './block';
import { calendarResolvers } from './calendar';
import { capacityResolvers } from './capacity';
import { federatedResolvers } from './federated';
import { placementResolvers } from './placement';
import { preferenceResolvers } from './preference';
import { requirementResolvers } from './requirement';
import { scalarResolvers } from './scalars';
import { swapResolvers } from './swap';

type ResolverPart = Record<string, object>;
const parts: ResolverPart[] = [
  blockResolvers,
  capacityResolvers,
  placementResolvers,
  federatedResolvers,
  preferenceResolvers,
  swapResolvers,
  calendarResolvers,
  requirementResolvers,
  eventAdminResolvers('rotations', (ctx: RotationsContext) => ctx.dataSource),
];

/** Each file contributes its own Query/Mutation fields and type resolvers; merged here. */
export const resolvers: ResolverPart = { ...scalarResolvers };
for (const part of parts) {
  for (const [typeName, fields] of Object.entries(part)) {
    resolvers[typeName] = { ...(resolvers[typeName] ?? {}), ...fields };
  }
}
