import { assessmentSubgraph, loadScaleAssessment } from '@medcollab/assessment';
import { curriculumSubgraph, loadScaleCurriculum } from '@medcollab/curriculum';
import { loadScaleMentorship, mentorshipSubgraph } from '@medcollab/mentorship';
import { loadScaleNetwork, networkSubgraph } from '@medcollab/network';
import { loadScaleQuality, qualitySubgraph } from '@medcollab/quality';
import { loadScaleRotations, rotationsSubgraph } from '@medcollab/rotations';
import { createDataSource, type DataSourceOptions } from '@medcollab/kit';
import { loadScaleWorld, type ScaleLoader, type ScaleWorld } from '@medcollab/scale-world';
import { createTestDatabase, type TestDatabase } from '@medcollab/testing';
import { type DataSource } from 'typeorm';

/** The services that keep a part of the generated world: module and loader. */
export const SCALE_SERVICES = [
  { module: networkSubgraph, load: loadScaleNetwork },
  { module: curriculumSubgraph, load: loadScaleCurriculum },
  { module: rotationsSubgraph, load: loadScaleRotations },
  { module: assessmentSubgraph, load: loadScaleAssessment },
  { module: mentorshipSubgraph, load: loadScaleMentorship },
  { module: qualitySubgraph, load: loadScaleQuality },
] as { module: { name: string; entities: unknown; migrations: unknown }; load: ScaleLoader<DataSource> }[];

/** A generated world loaded into one fresh test database per service, and how to drop them again. */
export interface LoadedWorld {
  /** Each service's data source, by service name. */
  ds: Record<string, DataSource>;
  drop(): Promise<void>;
}

/** Loads `world` with every service's own loader into fresh test databases (each file its own). */
export async function loadWorldIntoTestDatabases(world: ScaleWorld): Promise<LoadedWorld> {
  const databases: TestDatabase[] = [];
  const ds: Record<string, DataSource> = {};
  for (const { module } of SCALE_SERVICES) {
    const opts = { entities: module.entities, migrations: module.migrations } as Pick<DataSourceOptions, 'entities' | 'migrations'>;
    const db = await createTestDatabase(module.name, opts);
    databases.push(db);
    ds[module.name] = await createDataSource({ url: db.url, ...opts, poolSize: 2 }).initialize();
  }
  await loadScaleWorld(
    world,
    SCALE_SERVICES.map(({ module, load }) => ({ service: module.name, dataSource: ds[module.name]!, load })),
  );
  return {
    ds,
    drop: async () => {
      await Promise.all(Object.values(ds).map((d) => d.destroy()));
      await Promise.all(databases.map((db) => db.drop()));
    },
  };
}
