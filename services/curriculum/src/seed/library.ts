import { parseInput } from '@medcollab/kit';
import { type DataSource, type EntityManager } from 'typeorm';
import { createFramework } from '../data/frameworks';
import { createFrameworkSchema } from '../domain/validation/frameworks';
import { CompetencyFramework } from '../entities';
import { LIBRARY, libraryIds, type SeededFramework } from '@medcollab/demo-world';

/**
 * Creates the network's competency library (CanMEDS roles, AAMC Core EPAs, NOTSS) where it is
 * missing, through the same validation and command as the API, in one transaction. Idempotent:
 * frameworks already there (by their stable id) are left as they are.
 */
export async function seedCompetencyLibrary(dataSource: DataSource): Promise<Record<string, SeededFramework>> {
  return dataSource.transaction((em) => createCompetencyLibrary(em));
}

/** The same in the caller's transaction (a scale world's load creates it in its own). */
export async function createCompetencyLibrary(em: EntityManager): Promise<Record<string, SeededFramework>> {
  await em.query(`SELECT pg_advisory_xact_lock(hashtext('curriculum.library-seed'))`);
  for (const framework of LIBRARY) {
    const ids = libraryIds(framework);
    if (await em.getRepository(CompetencyFramework).existsBy({ id: ids.id })) continue;
    const input = parseInput(createFrameworkSchema, {
      name: framework.name,
      version: framework.version,
      description: framework.description,
      competencies: framework.competencies,
    });
    await createFramework(em, input, null, { id: ids.id, competencyId: (code) => ids.competencyIds[code] as string });
  }
  return Object.fromEntries(LIBRARY.map((f) => [f.key, libraryIds(f)]));
}
