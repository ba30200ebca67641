import {
  type AgreementActivated,
  type AgreementEnded,
  type PayloadOf,
  type StaffRegistered,
  type StudentRegistered,
} from '@medcollab/events';
import { type EntityManager } from 'typeorm';

/**
 * Projections of the network's events: students' schools, staff (institution, department,
 * roles) and which schools partner which hospitals. Each handler runs inside the consumer's
 * inbox transaction and is an idempotent upsert keyed by ids, so the demo seed may feed the same
 * payloads through them first and the real events change nothing when they arrive.
 */

export async function projectStudentRegistered(em: EntityManager, p: PayloadOf<typeof StudentRegistered>): Promise<void> {
  await em.query(
    `INSERT INTO known_student (id, school_id) VALUES ($1, $2) ON CONFLICT (id) DO UPDATE SET school_id = EXCLUDED.school_id`,
    [p.studentId, p.schoolId],
  );
}

export async function projectStaffRegistered(em: EntityManager, p: PayloadOf<typeof StaffRegistered>): Promise<void> {
  await em.query(
    `INSERT INTO known_staff (id, institution_id, department_id, roles) VALUES ($1, $2, $3, $4)
     ON CONFLICT (id) DO UPDATE SET institution_id = EXCLUDED.institution_id, department_id = EXCLUDED.department_id, roles = EXCLUDED.roles`,
    [p.staffId, p.institutionId, p.departmentId, p.roles],
  );
}

/** An activation never revives an agreement already seen ended (a replayed old event). */
export async function projectAgreementActivated(em: EntityManager, p: PayloadOf<typeof AgreementActivated>): Promise<void> {
  await em.query(
    `INSERT INTO known_agreement (id, school_id, hospital_id, status) VALUES ($1, $2, $3, 'ACTIVE')
     ON CONFLICT (id) DO UPDATE SET school_id = EXCLUDED.school_id, hospital_id = EXCLUDED.hospital_id WHERE known_agreement.status = 'ACTIVE'`,
    [p.agreementId, p.schoolId, p.hospitalId],
  );
}

export async function projectAgreementEnded(em: EntityManager, p: PayloadOf<typeof AgreementEnded>): Promise<void> {
  await em.query(
    `INSERT INTO known_agreement (id, school_id, hospital_id, status) VALUES ($1, $2, $3, 'ENDED')
     ON CONFLICT (id) DO UPDATE SET status = 'ENDED'`,
    [p.agreementId, p.schoolId, p.hospitalId],
  );
}
