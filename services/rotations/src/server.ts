import { auditSink } from '@medcollab/events';
import { uniqueRefusals } from './data/unique-refusals';
import { type SubgraphModule, readSchema } from '@medcollab/kit';
import { mountCalendarRoutes } from './calendar/routes';
import { createRotationsContext, type RotationsContext } from './context';
import { entities, type Placement } from './entities';
import { migrations } from './migrations';
import { resolvers } from './resolvers';

/** The rotations subgraph: blocks, seats, placements, preferences, swaps and calendar feeds. */
export const rotationsSubgraph: SubgraphModule<RotationsContext> = {
  name: 'rotations',
  defaultPort: 4003,
  typeDefs: readSchema(__dirname),
  resolvers,
  entities,
  migrations,
  uniqueRefusals,
  // Who read or changed which student record (ADR 0008): AuditRecorded events in this service's outbox.
  audit: auditSink(),
  audited: { Placement: (p: Placement) => ({ id: p.id, studentId: p.studentId, schoolId: p.schoolId }) },
  context: (base) => createRotationsContext(base),
  // Calendar apps fetch feeds directly, with the secret in the URL (not through the gateway).
  routes: (app, deps) => mountCalendarRoutes(app, deps),
};

export type { RotationsContext };
