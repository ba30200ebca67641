import { bulkInsert, type ScaleWorld } from '@medcollab/scale-world';
import { type DataSource } from 'typeorm';

/**
 * Writes quality's projections of a generated world (agreements, hospital departments) in
 * one transaction. Its rollups are not generated: they are folded from applied events by
 * rebuildRollups, which does not yet reach this scale in minutes (bench/README.md, quality.ts).
 */
export async function loadScaleQuality(ds: DataSource, world: ScaleWorld): Promise<Record<string, number>> {
  return ds.transaction(async (em) => {
    const counts: Record<string, number> = {};
    counts.known_agreement = await bulkInsert(
      em,
      'known_agreement',
      [
        ['id', 'uuid'],
        ['school_id', 'uuid'],
        ['hospital_id', 'uuid'],
        ['status', 'text'],
      ],
      world.agreements.map((a) => [a.id, a.schoolId, a.hospitalId, 'ACTIVE']),
    );
    counts.known_department = await bulkInsert(
      em,
      'known_department',
      [
        ['id', 'uuid'],
        ['hospital_id', 'uuid'],
        ['specialty', 'text'],
      ],
      world.departments.map((d) => [d.id, d.institutionId, d.specialty]),
    );
    return counts;
  });
}
