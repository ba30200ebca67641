import { type SubgraphModule, readSchema } from '@medcollab/kit';
import { createAuditContext, type AuditContext } from './context';
import { storeSink } from './data/trail-reads';
import { entities } from './entities';
import { migrations } from './migrations';
import { resolvers } from './resolvers';
import { exportRoute } from './routes/export-route';
import { type AuditSettings, auditSettings } from './settings';

/** The audit subgraph with the given settings (tests pass their own). */
export function createAuditSubgraph(settings: AuditSettings = auditSettings()): SubgraphModule<AuditContext> {
  return {
    name: 'audit',
    defaultPort: 4008,
    typeDefs: readSchema(__dirname),
    resolvers,
    entities,
    migrations,
    // Reads of the trail are audited into the trail itself (ADR 0008 §7): straight to the chains.
    audit: storeSink,
    context: (base) => createAuditContext(base, settings),
    routes: (app, deps) => exportRoute(app, deps, settings),
  };
}

/** The audit subgraph: who read or changed which student record, for the student and their school. */
export const auditSubgraph: SubgraphModule<AuditContext> = createAuditSubgraph();

export type { AuditContext };
