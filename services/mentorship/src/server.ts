import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type SubgraphModule } from '@medcollab/kit';
import { parse } from 'graphql';
import { createMentorshipContext, type MentorshipContext } from './context';
import { entities } from './entities';
import { migrations } from './migrations';
import { resolvers } from './resolvers';

/** The mentorship subgraph: mentor profiles, matching, mentorships, meetings, development goals. */
export const mentorshipSubgraph: SubgraphModule<MentorshipContext> = {
  name: 'mentorship',
  defaultPort: 4005,
  typeDefs: parse(readFileSync(join(__dirname, '..', 'schema.graphql'), 'utf8')),
  resolvers,
  entities,
  migrations,
  context: (base, deps) => createMentorshipContext(base, deps),
};

export type { MentorshipContext };
