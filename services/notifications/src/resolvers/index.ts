import { mergeResolvers } from '@medcollab/kit';
import { eventAdminResolvers } from '@medcollab/events';
import { type NotificationsContext } from '../context';
import { inboxResolvers } from './inbox';
import { policyResolvers } from './policy';
import { preferenceResolvers } from './preferences';
import { reminderResolvers } from './reminders';
import { webhookResolvers } from './webhooks';

/** Each file contributes its own Query/Mutation fields and type resolvers. */
export const resolvers = mergeResolvers(
  inboxResolvers,
  policyResolvers,
  preferenceResolvers,
  reminderResolvers,
  webhookResolvers,
  eventAdminResolvers('notifications', (ctx: NotificationsContext) => ctx.dataSource),
);
