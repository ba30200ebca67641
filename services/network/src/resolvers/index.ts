import { mergeResolvers } from '@medcollab/kit';
import { eventAdminResolvers } from '@medcollab/events';
import { type NetworkContext } from '../context';
import { agreementResolvers } from './agreement';
import { departmentResolvers } from './department';
import { institutionResolvers } from './institution';
import { peopleResolvers } from './people';
import { placementResolvers } from './placement';
import { rosterImportResolvers } from './roster-import';
import { staffMemberResolvers } from './staff-member';
import { studentResolvers } from './student';
import { viewerResolvers } from './viewer';

/** Each file contributes its own Query/Mutation fields and type resolvers. */
export const resolvers = mergeResolvers(
  viewerResolvers,
  institutionResolvers,
  departmentResolvers,
  studentResolvers,
  placementResolvers,
  staffMemberResolvers,
  peopleResolvers,
  rosterImportResolvers,
  agreementResolvers,
  eventAdminResolvers('network', (ctx: NetworkContext) => ctx.dataSource),
);
