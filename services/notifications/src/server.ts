import { auditSink } from '@medcollab/events';
import { type SubgraphModule, readSchema } from '@medcollab/kit';
import { auditedTypes } from './audited';
import { createNotificationsContext, type NotificationsContext } from './context';
import { uniqueRefusals } from './data/unique-refusals';
import { entities } from './entities';
import { migrations } from './migrations';
import { resolvers } from './resolvers';
import { mountUnsubscribe } from './routes/unsubscribe';
import { notificationSettings } from './settings';

/** The notifications subgraph: reminder policies and plans, and each person's inbox. */
export const notificationsSubgraph: SubgraphModule<NotificationsContext> = {
  name: 'notifications',
  defaultPort: 4006,
  typeDefs: readSchema(__dirname),
  resolvers,
  entities,
  migrations,
  uniqueRefusals,
  // Who read which student record (ADR 0008): AuditRecorded events in this service's outbox.
  audit: auditSink(),
  // Notifications about a student (mentor notices, mentee reminders): that student's record (src/audited.ts).
  audited: auditedTypes,
  context: (base) => createNotificationsContext(base),
  routes: (app, { dataSource, log }) => mountUnsubscribe(app, { dataSource, log, secret: notificationSettings().secret }),
};

export type { NotificationsContext };
