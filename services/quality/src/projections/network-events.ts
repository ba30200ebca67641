import { type AgreementActivated, type AgreementEnded, type PayloadOf } from '@medcollab/events';
import { type EntityManager } from 'typeorm';

/**
 * What quality knows of the network, for access and the peer benchmark: each listed
 * department's hospital and specialty, and which schools and hospitals work together (a
 * school's quality office sees its students' figures at its partner hospitals). Idempotent upserts.
 */
export async function projectAgreementActivated(em: EntityManager, p: PayloadOf<typeof AgreementActivated>): Promise<void> {
  await em.query(
    `INSERT INTO known_agreement (id, school_id, hospital_id, status) VALUES ($1, $2, $3, 'ACTIVE')
     ON CONFLICT (id) DO UPDATE SET school_id = EXCLUDED.school_id, hospital_id = EXCLUDED.hospital_id
     WHERE known_agreement.status = 'ACTIVE'`,
    [p.agreementId, p.schoolId, p.hospitalId],
  );
  const specialties = new Map((p.departmentSpecialties ?? []).map((d) => [d.departmentId, d.specialty]));
  if (!p.departmentIds.length) return;
  await em.query(
    `INSERT INTO known_department (id, hospital_id, specialty)
     SELECT d, $2, s FROM unnest($1::uuid[], $3::text[]) AS x(d, s)
     ON CONFLICT (id) DO UPDATE SET hospital_id = EXCLUDED.hospital_id, specialty = COALESCE(EXCLUDED.specialty, known_department.specialty)`,
    [p.departmentIds, p.hospitalId, p.departmentIds.map((d) => specialties.get(d) ?? null)],
  );
}

/** An ended agreement still counts for figures of the past (the students were there), so it is only marked. */
export async function projectAgreementEnded(em: EntityManager, p: PayloadOf<typeof AgreementEnded>): Promise<void> {
  await em.query(
    `INSERT INTO known_agreement (id, school_id, hospital_id, status) VALUES ($1, $2, $3, 'ENDED')
     ON CONFLICT (id) DO UPDATE SET status = 'ENDED'`,
    [p.agreementId, p.schoolId, p.hospitalId],
  );
}
