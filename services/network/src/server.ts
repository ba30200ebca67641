import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type SubgraphModule } from '@medcollab/kit';
import { parse } from 'graphql';
import { createNetworkContext, type NetworkContext } from './context';
import { entities } from './entities';
import { migrations } from './migrations';
import { resolvers } from './resolvers';
import { mountRosterUploadRoute } from './roster/upload-route';

/** The network subgraph: institutions, departments, people and agreements. */
export const networkSubgraph: SubgraphModule<NetworkContext> = {
  name: 'network',
  defaultPort: 4001,
  typeDefs: parse(readFileSync(join(__dirname, '..', 'schema.graphql'), 'utf8')),
  resolvers,
  entities,
  migrations,
  context: (base, deps) => createNetworkContext(base, deps),
  routes: (app, deps) => mountRosterUploadRoute(app, deps),
};

export type { NetworkContext };
