import { type EVENT_CONTRACTS, type EventEnvelope, type Handlers, type PayloadOf } from '@medcollab/events';
import { type AgreementActivated, type AgreementEnded, type StaffRegistered, type StudentRegistered } from '@medcollab/events';
import { type EntityManager } from 'typeorm';

/**
 * Projections of the network's events. Each handler runs inside the consumer's inbox
 * transaction and is idempotent on its own (upserts keyed by ids), so the demo seed can feed
 * the same payloads through them before the real events arrive, and the real ones change
 * nothing when they do.
 */

/**
 * Remembers which institution a department belongs to (agreements and staff both tell) and,
 * when an agreement says so, its specialty. A department's specialty never changes in the
 * network, so an event that does not tell (a staff registration, an older agreement event)
 * keeps the one already known. Names (department, hospital) are kept the same way.
 */
async function knowDepartments(
  em: EntityManager,
  institutionId: string,
  departmentIds: readonly string[],
  specialties: ReadonlyMap<string, string | null> = new Map(),
  names: { departments?: ReadonlyMap<string, string>; hospital?: string } = {},
): Promise<void> {
  if (!departmentIds.length) return;
  await em.query(
    `INSERT INTO known_department (id, institution_id, specialty, name, hospital_name)
     SELECT d.id, $2, d.specialty, d.name, $5 FROM unnest($1::uuid[], $3::text[], $4::text[]) AS d(id, specialty, name)
     ON CONFLICT (id) DO UPDATE SET institution_id = EXCLUDED.institution_id, specialty = COALESCE(EXCLUDED.specialty, known_department.specialty),
       name = COALESCE(EXCLUDED.name, known_department.name), hospital_name = COALESCE(EXCLUDED.hospital_name, known_department.hospital_name)`,
    [
      departmentIds,
      institutionId,
      departmentIds.map((id) => specialties.get(id) ?? null),
      departmentIds.map((id) => names.departments?.get(id) ?? null),
      names.hospital ?? null,
    ],
  );
}

export async function projectStudentRegistered(em: EntityManager, p: PayloadOf<typeof StudentRegistered>): Promise<void> {
  // Names only overwrite when the event carries them (events written before the fields carry none).
  await em.query(
    `INSERT INTO known_student (id, school_id, given_name, family_name) VALUES ($1, $2, $3, $4)
     ON CONFLICT (id) DO UPDATE SET school_id = EXCLUDED.school_id, given_name = COALESCE(EXCLUDED.given_name, known_student.given_name),
       family_name = COALESCE(EXCLUDED.family_name, known_student.family_name)`,
    [p.studentId, p.schoolId, p.givenName ?? null, p.familyName ?? null],
  );
}

export async function projectStaffRegistered(em: EntityManager, p: PayloadOf<typeof StaffRegistered>): Promise<void> {
  await em.query(
    `INSERT INTO known_staff (id, institution_id, department_id, roles) VALUES ($1, $2, $3, $4)
     ON CONFLICT (id) DO UPDATE SET institution_id = EXCLUDED.institution_id, department_id = EXCLUDED.department_id, roles = EXCLUDED.roles`,
    [p.staffId, p.institutionId, p.departmentId, p.roles],
  );
  if (p.departmentId) await knowDepartments(em, p.institutionId, [p.departmentId]);
}

/** An activation never revives an agreement this service already saw end (a replayed old event). */
export async function projectAgreementActivated(em: EntityManager, p: PayloadOf<typeof AgreementActivated>): Promise<void> {
  await em.query(
    `INSERT INTO known_agreement (id, school_id, hospital_id, starts_on, ends_on, status, ended_on, department_ids)
     VALUES ($1, $2, $3, $4, $5, 'ACTIVE', NULL, $6)
     ON CONFLICT (id) DO UPDATE SET school_id = EXCLUDED.school_id, hospital_id = EXCLUDED.hospital_id,
       starts_on = EXCLUDED.starts_on, ends_on = EXCLUDED.ends_on, department_ids = EXCLUDED.department_ids
     WHERE known_agreement.status = 'ACTIVE'`,
    [p.agreementId, p.schoolId, p.hospitalId, p.startsOn, p.endsOn, p.departmentIds],
  );
  const specialties = new Map((p.departmentSpecialties ?? []).map((d) => [d.departmentId, d.specialty] as const));
  await knowDepartments(em, p.hospitalId, p.departmentIds, specialties, {
    departments: new Map((p.departmentNames ?? []).map((d) => [d.departmentId, d.name] as const)),
    hospital: p.hospitalName,
  });
}

/**
 * Events of one agreement arrive in order (activation first), so the row exists; if it does
 * not (an agreement rotations never saw active), there is nothing to end.
 */
export async function projectAgreementEnded(em: EntityManager, p: PayloadOf<typeof AgreementEnded>): Promise<void> {
  await em.query(`UPDATE known_agreement SET status = 'ENDED', ended_on = $2 WHERE id = $1`, [p.agreementId, p.endedOn]);
}

const payload =
  <P>(handler: (em: EntityManager, p: P) => Promise<void>) =>
  (em: EntityManager, envelope: EventEnvelope<P>) =>
    handler(em, envelope.payload);

/** The consumer's handlers (src/worker.ts), one per network event rotations subscribes to. */
export const networkEventHandlers: Handlers<typeof EVENT_CONTRACTS> = {
  StudentRegistered: payload(projectStudentRegistered),
  StaffRegistered: payload(projectStaffRegistered),
  AgreementActivated: payload(projectAgreementActivated),
  AgreementEnded: payload(projectAgreementEnded),
};
