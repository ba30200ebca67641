import { eventAdminResolvers } from '@medcollab/events';
import { type NetworkContext } from '../context';
import { agreementResolvers } from './agreement';
import { departmentResolvers } from './department';
import { institutionResolvers } from './institution';
import { scalarResolvers } from './scalars';
import { staffMemberResolvers } from './staff-member';
import { studentResolvers } from './student';
import { viewerResolvers } from './viewer';

type ResolverPart = Record<string, object>;
const parts: ResolverPart[] = [
  viewerResolvers,
  institutionResolvers,
  departmentResolvers,
  studentResolvers,
  staffMemberResolvers,
  agreementResolvers,
  eventAdminResolvers('network', (ctx: NetworkContext) => ctx.dataSource),
];

/** Each file contributes its own Query/Mutation fields and type resolvers; merged here. */
export const resolvers: ResolverPart = { ...scalarResolvers };
for (const part of parts) {
  for (const [typeName, fields] of Object.entries(part)) {
    resolvers[typeName] = { ...(resolvers[typeName] ?? {}), ...fields };
  }
}
