import { type SubgraphModule, readSchema } from '@medcollab/kit';
import { createNotificationsContext, type NotificationsContext } from './context';
import { uniqueRefusals } from './data/unique-refusals';
import { entities } from './entities';
import { migrations } from './migrations';
import { resolvers } from './resolvers';

/** The notifications subgraph: reminder policies and plans, and each person's inbox. */
export const notificationsSubgraph: SubgraphModule<NotificationsContext> = {
  name: 'notifications',
  defaultPort: 4006,
  typeDefs: readSchema(__dirname),
  resolvers,
  entities,
  migrations,
  uniqueRefusals,
  context: (base) => createNotificationsContext(base),
};

export type { NotificationsContext };
