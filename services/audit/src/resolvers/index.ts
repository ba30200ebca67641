import { mergeResolvers } from '@medcollab/kit';
import { eventAdminResolvers } from '@medcollab/events';
import { type AuditContext } from '../context';
import { entryResolvers } from './entries';

/** Each file contributes its own Query/Mutation fields and type resolvers. */
export const resolvers = mergeResolvers(
  entryResolvers,
  eventAdminResolvers('audit', (ctx: AuditContext) => ctx.dataSource),
);
