import {
  type EventEnvelope,
  type PayloadOf,
  type AgreementActivated,
  type AgreementEnded,
  type StudentRegistered,
} from '@medcollab/events';
import { type DataSource, type EntityManager } from 'typeorm';
import { KnownAgreement } from '../entities';

/**
 * Projections of network events. Each handler runs inside the consumer's inbox transaction
 * (or the demo seed's), is idempotent and keyed by the record's id, so a redelivered or
 * replayed event changes nothing more.
 */

export async function applyStudentRegistered(em: EntityManager, payload: PayloadOf<typeof StudentRegistered>): Promise<void> {
  await em.query(
    `INSERT INTO known_student (id, school_id, cohort_year, prior_clinical_years) VALUES ($1, $2, $3, $4)
     ON CONFLICT (id) DO UPDATE SET school_id = EXCLUDED.school_id, cohort_year = EXCLUDED.cohort_year,
       prior_clinical_years = EXCLUDED.prior_clinical_years, updated_at = now()`,
    [payload.studentId, payload.schoolId, payload.cohortYear, payload.priorClinicalYears],
  );
}

export async function applyAgreementActivated(em: EntityManager, payload: PayloadOf<typeof AgreementActivated>): Promise<void> {
  // An AgreementEnded of the same agreement is always applied after this one (per-aggregate order),
  // so ACTIVE here never overwrites a later end.
  await em.query(
    `INSERT INTO known_agreement (id, school_id, hospital_id, status, starts_on, ends_on) VALUES ($1, $2, $3, 'ACTIVE', $4, $5)
     ON CONFLICT (id) DO UPDATE SET school_id = EXCLUDED.school_id, hospital_id = EXCLUDED.hospital_id,
       starts_on = EXCLUDED.starts_on, ends_on = EXCLUDED.ends_on, updated_at = now()
     WHERE known_agreement.status = 'ACTIVE'`,
    [payload.agreementId, payload.schoolId, payload.hospitalId, payload.startsOn, payload.endsOn],
  );
}

export async function applyAgreementEnded(em: EntityManager, payload: PayloadOf<typeof AgreementEnded>): Promise<void> {
  // Dates of an agreement we never saw activated are unknown; its end day stands in for both.
  await em.query(
    `INSERT INTO known_agreement (id, school_id, hospital_id, status, starts_on, ends_on, ended_on) VALUES ($1, $2, $3, 'ENDED', $4, $4, $4)
     ON CONFLICT (id) DO UPDATE SET status = 'ENDED', ended_on = EXCLUDED.ended_on, updated_at = now()`,
    [payload.agreementId, payload.schoolId, payload.hospitalId, payload.endedOn],
  );
}

/** The consumer's handlers (src/worker.ts) — the same functions the demo seed calls. */
export const projectionHandlers = {
  StudentRegistered: (em: EntityManager, e: EventEnvelope<PayloadOf<typeof StudentRegistered>>) => applyStudentRegistered(em, e.payload),
  AgreementActivated: (em: EntityManager, e: EventEnvelope<PayloadOf<typeof AgreementActivated>>) => applyAgreementActivated(em, e.payload),
  AgreementEnded: (em: EntityManager, e: EventEnvelope<PayloadOf<typeof AgreementEnded>>) => applyAgreementEnded(em, e.payload),
};

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
