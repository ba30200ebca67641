import { networkFactHandlers } from '@medcollab/projections';
import { type DataSource, type EntityManager } from 'typeorm';
import { KnownAgreement } from '../entities';

/**
 * The consumer's handlers (src/worker.ts): the network's students and agreements, kept by the
 * shared projections of @medcollab/projections (ADR 0011), which the demo seed calls too.
 */
export const projectionHandlers = networkFactHandlers(['student', 'agreement']);

/** Hospitals with an ACTIVE agreement with each of `schoolIds` (one statement). */
export async function activePartnersOf(ds: DataSource, schoolIds: readonly string[]): Promise<Map<string, Set<string>>> {
  const rows = schoolIds.length
    ? await ds
        .getRepository(KnownAgreement)
        .createQueryBuilder('a')
        .where('a.school_id IN (:...ids)', { ids: schoolIds })
        .andWhere(`a.status = 'ACTIVE'`)
        .getMany()
    : [];
  const partners = new Map<string, Set<string>>(schoolIds.map((id) => [id, new Set<string>()]));
  for (const row of rows) partners.get(row.schoolId)?.add(row.hospitalId);
  return partners;
}

/** Schools a hospital holds an ACTIVE agreement with. */
export async function activeSchoolsOfHospital(ds: DataSource, hospitalId: string): Promise<string[]> {
  const rows = await ds.getRepository(KnownAgreement).findBy({ hospitalId, status: 'ACTIVE' });
  return [...new Set(rows.map((r) => r.schoolId))];
}

/** True when some agreement names the institution as its hospital (it cannot own a curriculum). */
export async function isKnownHospital(em: EntityManager, institutionId: string): Promise<boolean> {
  return em.getRepository(KnownAgreement).existsBy({ hospitalId: institutionId });
}
