import { type AgreementActivated, type AgreementEnded, type InstitutionCreated, type PayloadOf } from '@medcollab/events';
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

/** A time zone the runtime (and PostgreSQL, which shares the IANA names) knows; null otherwise. */
function knownZone(zone: string): string | null {
  try {
    return new Intl.DateTimeFormat('en', { timeZone: zone }).resolvedOptions().timeZone;
  } catch {
    return null;
  }
}

/**
 * An institution's time zone: a period closes at local midnight of every institution with
 * figures in it (data/snapshots freezeDuePeriods). An unknown zone is kept as none (UTC).
 */
export async function projectInstitutionCreated(em: EntityManager, p: PayloadOf<typeof InstitutionCreated>): Promise<void> {
  await em.query(
    `INSERT INTO known_institution (id, timezone) VALUES ($1, $2) ON CONFLICT (id) DO UPDATE SET timezone = EXCLUDED.timezone`,
    [p.institutionId, knownZone(p.timezone)],
  );
}
