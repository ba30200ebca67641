import {
  type AgreementActivated,
  type AgreementEnded,
  type PayloadOf,
  type StaffRegistered,
  type StudentRegistered,
} from '@medcollab/events';
import { type EntityManager } from 'typeorm';

/**
 * Projections of the network's events. Each handler runs inside the consumer's inbox
 * transaction and is idempotent on its own (upserts keyed by ids), so the demo seed can feed
 * the same payloads through them before the real events arrive, and the real ones then
 * change nothing.
 */

export async function projectStudentRegistered(em: EntityManager, p: PayloadOf<typeof StudentRegistered>): Promise<void> {
  await em.query(
    `INSERT INTO known_student (id, school_id, cohort_year, prior_clinical_years) VALUES ($1, $2, $3, $4)
     ON CONFLICT (id) DO UPDATE SET school_id = EXCLUDED.school_id, cohort_year = EXCLUDED.cohort_year,
       prior_clinical_years = EXCLUDED.prior_clinical_years`,
    [p.studentId, p.schoolId, p.cohortYear, p.priorClinicalYears],
  );
}

export async function projectStaffRegistered(em: EntityManager, p: PayloadOf<typeof StaffRegistered>): Promise<void> {
  await em.query(
    `INSERT INTO known_staff (id, institution_id, department_id, roles) VALUES ($1, $2, $3, $4)
     ON CONFLICT (id) DO UPDATE SET institution_id = EXCLUDED.institution_id, department_id = EXCLUDED.department_id, roles = EXCLUDED.roles`,
    [p.staffId, p.institutionId, p.departmentId, p.roles],
  );
}

/** An activation never revives an agreement this service already saw end (a replayed old event). */
export async function projectAgreementActivated(em: EntityManager, p: PayloadOf<typeof AgreementActivated>): Promise<void> {
  await em.query(
    `INSERT INTO known_agreement (id, school_id, hospital_id, starts_on, ends_on, status, ended_on)
     VALUES ($1, $2, $3, $4, $5, 'ACTIVE', NULL)
     ON CONFLICT (id) DO UPDATE SET school_id = EXCLUDED.school_id, hospital_id = EXCLUDED.hospital_id,
       starts_on = EXCLUDED.starts_on, ends_on = EXCLUDED.ends_on
     WHERE known_agreement.status = 'ACTIVE'`,
    [p.agreementId, p.schoolId, p.hospitalId, p.startsOn, p.endsOn],
  );
}

/**
 * Events of one agreement arrive in order (activation first). An end of an agreement never
 * seen active is still recorded, so a late activation cannot make it active.
 */
export async function projectAgreementEnded(em: EntityManager, p: PayloadOf<typeof AgreementEnded>): Promise<void> {
  await em.query(
    `INSERT INTO known_agreement (id, school_id, hospital_id, starts_on, ends_on, status, ended_on)
     VALUES ($1, $2, $3, $4, $4, 'ENDED', $4)
     ON CONFLICT (id) DO UPDATE SET status = 'ENDED', ended_on = EXCLUDED.ended_on`,
    [p.agreementId, p.schoolId, p.hospitalId, p.endedOn],
  );
}
