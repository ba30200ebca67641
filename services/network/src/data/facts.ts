import { type Specialty } from '@medcollab/kit';
import { type FactEvent, type NetworkFact } from '@medcollab/projections';
import { type EntityManager } from 'typeorm';

/**
 * The network's people and agreements as they stand now, written as the events that produce
 * them (registered or activated, then deactivated or ended): what a consuming service's
 * projection rebuild replays (ADR 0011). The outbox cannot serve for this: consumed events
 * are purged after the retention period, and a projection must hold every student ever
 * registered. Read in one REPEATABLE READ transaction, so the three sets agree.
 */
export async function networkFactSnapshot(em: EntityManager, facts: readonly NetworkFact[]): Promise<FactEvent[]> {
  const events: FactEvent[] = [];
  if (facts.includes('student')) {
    const rows = (await em.query(
      `SELECT id, school_id, email, cohort_year, prior_clinical_years, given_name, family_name, status, status_reason
         FROM student ORDER BY created_at, id`,
    )) as {
      id: string;
      school_id: string;
      email: string;
      cohort_year: number;
      prior_clinical_years: number;
      given_name: string;
      family_name: string;
      status: string;
      status_reason: string | null;
    }[];
    for (const s of rows) {
      events.push({
        type: 'StudentRegistered',
        payload: {
          studentId: s.id,
          schoolId: s.school_id,
          email: s.email,
          cohortYear: s.cohort_year,
          priorClinicalYears: s.prior_clinical_years,
          givenName: s.given_name,
          familyName: s.family_name,
        },
      });
      if (s.status !== 'ACTIVE')
        events.push({
          type: 'StudentStatusChanged',
          payload: { studentId: s.id, schoolId: s.school_id, active: false, reason: s.status_reason ?? 'Deactivated' },
        });
    }
  }
  if (facts.includes('staff')) {
    const rows = (await em.query(
      `SELECT id, institution_id, department_id, roles, email, given_name, family_name, status, status_reason
         FROM staff_member ORDER BY created_at, id`,
    )) as {
      id: string;
      institution_id: string;
      department_id: string | null;
      roles: string[];
      email: string;
      given_name: string;
      family_name: string;
      status: string;
      status_reason: string | null;
    }[];
    for (const s of rows) {
      events.push({
        type: 'StaffRegistered',
        payload: {
          staffId: s.id,
          institutionId: s.institution_id,
          departmentId: s.department_id,
          roles: s.roles,
          email: s.email,
          givenName: s.given_name,
          familyName: s.family_name,
        },
      });
      if (s.status !== 'ACTIVE')
        events.push({
          type: 'StaffStatusChanged',
          payload: { staffId: s.id, institutionId: s.institution_id, active: false, reason: s.status_reason ?? 'Deactivated' },
        });
    }
  }
  if (facts.includes('agreement')) {
    // Only agreements that were ever activated were ever announced (a PROPOSED one is the network's alone).
    const rows = (await em.query(
      `SELECT a.id, a.school_id, a.hospital_id, a.starts_on::text AS starts_on, a.ends_on::text AS ends_on, a.status,
              a.ended_on::text AS ended_on, h.name AS hospital_name,
              COALESCE(json_agg(json_build_object('id', d.id, 'name', d.name, 'specialty', d.specialty) ORDER BY d.id)
                       FILTER (WHERE d.id IS NOT NULL), '[]') AS departments
         FROM collaboration_agreement a
         JOIN institution h ON h.id = a.hospital_id
         LEFT JOIN agreement_department ad ON ad.agreement_id = a.id
         LEFT JOIN department d ON d.id = ad.department_id
        WHERE a.activated_at IS NOT NULL
        GROUP BY a.id, h.name ORDER BY a.activated_at, a.id`,
    )) as {
      id: string;
      school_id: string;
      hospital_id: string;
      starts_on: string;
      ends_on: string;
      status: string;
      ended_on: string | null;
      hospital_name: string;
      departments: { id: string; name: string; specialty: Specialty | null }[];
    }[];
    for (const a of rows) {
      events.push({
        type: 'AgreementActivated',
        payload: {
          agreementId: a.id,
          schoolId: a.school_id,
          hospitalId: a.hospital_id,
          departmentIds: a.departments.map((d) => d.id),
          startsOn: a.starts_on,
          endsOn: a.ends_on,
          departmentSpecialties: a.departments.map((d) => ({ departmentId: d.id, specialty: d.specialty })),
          departmentNames: a.departments.map((d) => ({ departmentId: d.id, name: d.name })),
          hospitalName: a.hospital_name,
        },
      });
      if (a.status === 'ENDED' && a.ended_on)
        events.push({
          type: 'AgreementEnded',
          payload: { agreementId: a.id, schoolId: a.school_id, hospitalId: a.hospital_id, endedOn: a.ended_on },
        });
    }
  }
  return events;
}
