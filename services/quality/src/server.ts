import { uniqueRefusals } from './data/unique-refusals';
import { type SubgraphModule, readSchema } from '@medcollab/kit';
import { createQualityContext, type QualityContext } from './context';
import { entities } from './entities';
import { migrations } from './migrations';
import { resolvers } from './resolvers';
import { exportRoute } from './routes/export-route';
import { type QualitySettings, qualitySettings } from './settings';

/** The quality subgraph with the given settings (tests pass their own). */
export function createQualitySubgraph(settings: QualitySettings = qualitySettings()): SubgraphModule<QualityContext> {
  return {
    name: 'quality',
    defaultPort: 4007,
    typeDefs: readSchema(__dirname),
    resolvers,
    entities,
    migrations,
    uniqueRefusals,
    context: (base) => createQualityContext(base, settings),
    routes: (app, deps) => exportRoute(app, deps, settings),
  };
}

/** The quality subgraph: rollups of the network's events, reports with drill-down, trends, rebuilds. */
export const qualitySubgraph: SubgraphModule<QualityContext> = createQualitySubgraph();

export type { QualityContext };
