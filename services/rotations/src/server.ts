import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type SubgraphModule } from '@medcollab/kit';
import { parse } from 'graphql';
import { mountCalendarRoutes } from './calendar/routes';
import { createRotationsContext, type RotationsContext } from './context';
import { entities } from './entities';
import { migrations } from './migrations';
import { resolvers } from './resolvers';

/** The rotations subgraph: blocks, seats, placements, preferences, swaps and calendar feeds. */
export const rotationsSubgraph: SubgraphModule<RotationsContext> = {
  name: 'rotations',
  defaultPort: 4003,
  typeDefs: parse(readFileSync(join(__dirname, '..', 'schema.graphql'), 'utf8')),
  resolvers,
  entities,
  migrations,
  context: (base, deps) => createRotationsContext(base, deps),
  // Calendar apps fetch feeds directly, with the secret in the URL (not through the gateway).
  routes: (app, deps) => mountCalendarRoutes(app, deps),
};

export type { RotationsContext };
