import { type DataSource } from 'typeorm';
import { assessmentSubgraph } from '@medcollab/assessment';
import { curriculumSubgraph } from '@medcollab/curriculum';
import { mentorshipSubgraph } from '@medcollab/mentorship';
import { networkSubgraph } from '@medcollab/network';
import { rotationsSubgraph } from '@medcollab/rotations';
import { notificationsSubgraph } from '@medcollab/notifications';
import { qualitySubgraph } from '@medcollab/quality';
import { auditSubgraph } from '@medcollab/audit';
import {
  createDataSource,
  ensureDatabase,
  initializeDataSource,
  serviceDatabaseName,
  SUBGRAPHS,
  type SubgraphModule,
  type RequestContext,
  withDatabase,
} from '@medcollab/kit';

/** The module of each subgraph named in the registry. */
export async function loadSubgraph(name: string): Promise<SubgraphModule<RequestContext>> {
  switch (name) {
    case 'network':
      return networkSubgraph as unknown as SubgraphModule<RequestContext>;
    case 'curriculum':
      return curriculumSubgraph as unknown as SubgraphModule<RequestContext>;
    case 'rotations':
      return rotationsSubgraph as unknown as SubgraphModule<RequestContext>;
    case 'assessment':
      return assessmentSubgraph as unknown as SubgraphModule<RequestContext>;
    case 'mentorship':
      return mentorshipSubgraph as unknown as SubgraphModule<RequestContext>;
    case 'notifications':
      return notificationsSubgraph as unknown as SubgraphModule<RequestContext>;
    case 'quality':
      return qualitySubgraph as unknown as SubgraphModule<RequestContext>;
    case 'audit':
      return auditSubgraph as unknown as SubgraphModule<RequestContext>;
    default:
      throw new Error(`Unknown subgraph ${name}; known: ${SUBGRAPHS.map((s) => s.name).join(', ')}`);
  }
}

/** Creates the service's database when missing and applies its pending migrations. */
export async function migrateService(serverUrl: string, name: string): Promise<DataSource> {
  const mod = await loadSubgraph(name);
  const database = serviceDatabaseName(name);
  await ensureDatabase(serverUrl, database);
  const ds = createDataSource({ url: withDatabase(serverUrl, database), entities: mod.entities, migrations: mod.migrations, poolSize: 2 });
  await initializeDataSource(ds, { migrate: true });
  return ds;
}
