import { auditSink } from '@medcollab/events';
import { uniqueRefusals } from './data/unique-refusals';
import { type SubgraphModule, readSchema } from '@medcollab/kit';
import { auditedTypes } from './audited';
import { createMentorshipContext, type MentorshipContext } from './context';
import { entities } from './entities';
import { migrations } from './migrations';
import { resolvers } from './resolvers';

/** The mentorship subgraph: mentor profiles, matching, mentorships, meetings, development goals. */
export const mentorshipSubgraph: SubgraphModule<MentorshipContext> = {
  name: 'mentorship',
  defaultPort: 4005,
  typeDefs: readSchema(__dirname),
  resolvers,
  entities,
  migrations,
  uniqueRefusals,
  // Who read or changed which student record (ADR 0008): AuditRecorded events in this service's outbox.
  audit: auditSink(),
  // Mentorships, their meetings (notes included) and development goals: the mentees' records (src/audited.ts).
  audited: auditedTypes,
  context: (base) => createMentorshipContext(base),
};

export type { MentorshipContext };
