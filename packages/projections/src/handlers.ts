import {
  type AgreementActivated,
  type AgreementEnded,
  type EVENT_CONTRACTS,
  type EventEnvelope,
  type EventHandler,
  type Handlers,
  type PayloadOf,
  type StaffRegistered,
  type StaffStatusChanged,
  type StaffUpdated,
  type StudentRegistered,
  type StudentStatusChanged,
  type StudentUpdated,
} from '@medcollab/events';
import { type EntityManager } from 'typeorm';

/**
 * The handlers of the network's events, shared by every service that keeps its facts
 * (ADR 0011). Each runs inside the consumer's inbox transaction (or the demo seed's, or a
 * rebuild's) and is an idempotent upsert keyed by the record's id: a redelivered or replayed
 * event changes nothing more. Events of one aggregate arrive in order (the outbox threads
 * them), so a later event may overwrite an earlier one's values.
 */

/** A student registered, or their record changed: the record as it now is. Names only overwrite when carried (older events carry none). */
export async function projectStudent(
  em: EntityManager,
  p: PayloadOf<typeof StudentRegistered> | PayloadOf<typeof StudentUpdated>,
): Promise<void> {
  await em.query(
    `INSERT INTO known_student (id, school_id, cohort_year, prior_clinical_years, given_name, family_name, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, now())
     ON CONFLICT (id) DO UPDATE SET school_id = EXCLUDED.school_id, cohort_year = EXCLUDED.cohort_year,
       prior_clinical_years = EXCLUDED.prior_clinical_years, given_name = COALESCE(EXCLUDED.given_name, known_student.given_name),
       family_name = COALESCE(EXCLUDED.family_name, known_student.family_name), updated_at = now()`,
    [p.studentId, p.schoolId, p.cohortYear, p.priorClinicalYears, p.givenName ?? null, p.familyName ?? null],
  );
}

/** A staff member registered, or their record or roles changed: the record as it now is. */
export async function projectStaff(
  em: EntityManager,
  p: PayloadOf<typeof StaffRegistered> | PayloadOf<typeof StaffUpdated>,
): Promise<void> {
  await em.query(
    `INSERT INTO known_staff (id, institution_id, department_id, roles, given_name, family_name, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, now())
     ON CONFLICT (id) DO UPDATE SET institution_id = EXCLUDED.institution_id, department_id = EXCLUDED.department_id,
       roles = EXCLUDED.roles, given_name = COALESCE(EXCLUDED.given_name, known_staff.given_name),
       family_name = COALESCE(EXCLUDED.family_name, known_staff.family_name), updated_at = now()`,
    [p.staffId, p.institutionId, p.departmentId, p.roles, p.givenName ?? null, p.familyName ?? null],
  );
}

/** Deactivated or reactivated. A status for a student never seen registered has no row to change: nothing is invented. */
export async function projectStudentStatus(em: EntityManager, p: PayloadOf<typeof StudentStatusChanged>): Promise<void> {
  await em.query(`UPDATE known_student SET active = $2, updated_at = now() WHERE id = $1 AND active <> $2`, [p.studentId, p.active]);
}

export async function projectStaffStatus(em: EntityManager, p: PayloadOf<typeof StaffStatusChanged>): Promise<void> {
  await em.query(`UPDATE known_staff SET active = $2, updated_at = now() WHERE id = $1 AND active <> $2`, [p.staffId, p.active]);
}

/** An activation never revives an agreement already seen ended (a replayed old event). */
export async function projectAgreementActivated(em: EntityManager, p: PayloadOf<typeof AgreementActivated>): Promise<void> {
  await em.query(
    `INSERT INTO known_agreement (id, school_id, hospital_id, status, starts_on, ends_on, ended_on, department_ids, updated_at)
     VALUES ($1, $2, $3, 'ACTIVE', $4, $5, NULL, $6, now())
     ON CONFLICT (id) DO UPDATE SET school_id = EXCLUDED.school_id, hospital_id = EXCLUDED.hospital_id,
       starts_on = EXCLUDED.starts_on, ends_on = EXCLUDED.ends_on, department_ids = EXCLUDED.department_ids, updated_at = now()
     WHERE known_agreement.status = 'ACTIVE'`,
    [p.agreementId, p.schoolId, p.hospitalId, p.startsOn, p.endsOn, p.departmentIds],
  );
}

/**
 * The end of an agreement never seen active is still recorded (its end day stands in for its
 * dates, it covers no department), so a late activation cannot make it active.
 */
export async function projectAgreementEnded(em: EntityManager, p: PayloadOf<typeof AgreementEnded>): Promise<void> {
  await em.query(
    `INSERT INTO known_agreement (id, school_id, hospital_id, status, starts_on, ends_on, ended_on, department_ids, updated_at)
     VALUES ($1, $2, $3, 'ENDED', $4, $4, $4, '{}', now())
     ON CONFLICT (id) DO UPDATE SET status = 'ENDED', ended_on = EXCLUDED.ended_on, updated_at = now()`,
    [p.agreementId, p.schoolId, p.hospitalId, p.endedOn],
  );
}

type Contracts = typeof EVENT_CONTRACTS;

const payload =
  <P>(handler: (em: EntityManager, p: P) => Promise<void>) =>
  (em: EntityManager, envelope: EventEnvelope<P>) =>
    handler(em, envelope.payload);

/** The network facts a service may keep; each is one table. */
export type NetworkFact = 'student' | 'staff' | 'agreement';

export const NETWORK_FACT_EVENTS = {
  student: ['StudentRegistered', 'StudentUpdated', 'StudentStatusChanged'],
  staff: ['StaffRegistered', 'StaffUpdated', 'StaffStatusChanged'],
  agreement: ['AgreementActivated', 'AgreementEnded'],
} as const satisfies Record<NetworkFact, readonly (keyof Contracts)[]>;

const FACT_HANDLERS: Record<NetworkFact, Handlers<Contracts>> = {
  student: {
    StudentRegistered: payload(projectStudent),
    StudentUpdated: payload(projectStudent),
    StudentStatusChanged: payload(projectStudentStatus),
  },
  staff: {
    StaffRegistered: payload(projectStaff),
    StaffUpdated: payload(projectStaff),
    StaffStatusChanged: payload(projectStaffStatus),
  },
  agreement: {
    AgreementActivated: payload(projectAgreementActivated),
    AgreementEnded: payload(projectAgreementEnded),
  },
};

/**
 * The consumer's handlers for the facts a service keeps, e.g. `networkFactHandlers(['student',
 * 'agreement'])`. A service that does more on one of these events (rotations learns
 * departments' hospitals, assessment reassigns a deactivated assessor's tasks) chains its own
 * step after the shared one with `andThen`.
 */
export function networkFactHandlers(facts: readonly NetworkFact[]): Handlers<Contracts> {
  return Object.assign({}, ...facts.map((fact) => FACT_HANDLERS[fact])) as Handlers<Contracts>;
}

/** `first` followed by `next` in the same transaction (the shared projection first, then the service's own effect). */
export function andThen<P>(first: EventHandler<P> | undefined, next: EventHandler<P>): EventHandler<P> {
  if (!first) throw new Error('andThen: no shared handler to chain after');
  return async (em, envelope) => {
    await first(em, envelope);
    await next(em, envelope);
  };
}
