import { auditSink } from '@medcollab/events';
import { uniqueRefusals } from './data/unique-refusals';
import { type SubgraphModule, readSchema } from '@medcollab/kit';
import { createNetworkContext, type NetworkContext } from './context';
import { entities, type Student } from './entities';
import { migrations } from './migrations';
import { resolvers } from './resolvers';
import { mountRosterUploadRoute } from './roster/upload-route';

/** The network subgraph: institutions, departments, people and agreements. */
export const networkSubgraph: SubgraphModule<NetworkContext> = {
  name: 'network',
  defaultPort: 4001,
  typeDefs: readSchema(__dirname),
  resolvers,
  entities,
  migrations,
  uniqueRefusals,
  // Who read or changed which student record (ADR 0008): AuditRecorded events in this service's outbox.
  audit: auditSink(),
  audited: { Student: (s: Student) => ({ id: s.id, studentId: s.id, schoolId: s.schoolId }) },
  context: (base) => createNetworkContext(base),
  routes: (app, deps) => mountRosterUploadRoute(app, deps),
};

export type { NetworkContext };
