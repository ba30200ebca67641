import { type DataSource } from 'typeorm';
import { SUBGRAPHS } from '@medcollab/kit';
import { migrateService } from './services';

/** Creates and migrates every service database; the caller destroys the returned DataSources. */
export async function migrateAll(serverUrl: string): Promise<Record<string, DataSource>> {
  const dataSources: Record<string, DataSource> = {};
  for (const { name } of SUBGRAPHS) dataSources[name] = await migrateService(serverUrl, name);
  return dataSources;
}

export async function closeAll(dataSources: Record<string, DataSource>): Promise<void> {
  await Promise.all(Object.values(dataSources).map((ds) => ds.destroy()));
}
