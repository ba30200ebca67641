import { uniqueRefusals } from './data/unique-refusals';
import { type SubgraphModule, readSchema } from '@medcollab/kit';
import { createCurriculumContext, type CurriculumContext } from './context';
import { entities } from './entities';
import { migrations } from './migrations';
import { resolvers } from './resolvers';

/** The curriculum subgraph: frameworks, post profiles, programs, maps, tracks and enrolments. */
export const curriculumSubgraph: SubgraphModule<CurriculumContext> = {
  name: 'curriculum',
  defaultPort: 4002,
  typeDefs: readSchema(__dirname),
  resolvers,
  entities,
  migrations,
  uniqueRefusals,
  context: (base) => createCurriculumContext(base),
};

export type { CurriculumContext };
