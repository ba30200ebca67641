import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type SubgraphModule } from '@medcollab/kit';
import { parse } from 'graphql';
import { createCurriculumContext, type CurriculumContext } from './context';
import { entities } from './entities';
import { migrations } from './migrations';
import { resolvers } from './resolvers';

/** The curriculum subgraph: frameworks, post profiles, programs, maps, tracks and enrolments. */
export const curriculumSubgraph: SubgraphModule<CurriculumContext> = {
  name: 'curriculum',
  defaultPort: 4002,
  typeDefs: parse(readFileSync(join(__dirname, '..', 'schema.graphql'), 'utf8')),
  resolvers,
  entities,
  migrations,
  context: (base, deps) => createCurriculumContext(base, deps),
};

export type { CurriculumContext };
