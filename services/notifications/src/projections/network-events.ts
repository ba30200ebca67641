import {
  type DepartmentCreated,
  type InstitutionCreated,
  type PayloadOf,
  type StaffRegistered,
  type StudentRegistered,
} from '@medcollab/events';
import { type EntityManager } from 'typeorm';

/**
 * The directory notifications keeps from the network's events: names and emails to address
 * people, institutions' time zones for quiet hours, departments' names for messages. Upserts,
 * so a replayed event changes nothing.
 */
export async function projectInstitutionCreated(em: EntityManager, p: PayloadOf<typeof InstitutionCreated>): Promise<void> {
  await em.query(
    `INSERT INTO known_institution (id, name, kind, timezone) VALUES ($1, $2, $3, $4)
     ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, kind = EXCLUDED.kind, timezone = EXCLUDED.timezone`,
    [p.institutionId, p.name, p.kind, p.timezone],
  );
}

export async function projectDepartmentCreated(em: EntityManager, p: PayloadOf<typeof DepartmentCreated>): Promise<void> {
  await em.query(
    `INSERT INTO known_department (id, institution_id, name) VALUES ($1, $2, $3)
     ON CONFLICT (id) DO UPDATE SET institution_id = EXCLUDED.institution_id, name = EXCLUDED.name`,
    [p.departmentId, p.institutionId, p.name],
  );
}

export async function projectStudentRegistered(em: EntityManager, p: PayloadOf<typeof StudentRegistered>): Promise<void> {
  await em.query(
    `INSERT INTO known_person (id, kind, institution_id, department_id, roles, given_name, family_name, email)
     VALUES ($1, 'STUDENT', $2, NULL, '{STUDENT}', $3, $4, $5)
     ON CONFLICT (id) DO UPDATE SET institution_id = EXCLUDED.institution_id,
       given_name = COALESCE(EXCLUDED.given_name, known_person.given_name),
       family_name = COALESCE(EXCLUDED.family_name, known_person.family_name), email = EXCLUDED.email`,
    [p.studentId, p.schoolId, p.givenName ?? null, p.familyName ?? null, p.email],
  );
}

export async function projectStaffRegistered(em: EntityManager, p: PayloadOf<typeof StaffRegistered>): Promise<void> {
  await em.query(
    `INSERT INTO known_person (id, kind, institution_id, department_id, roles, given_name, family_name, email)
     VALUES ($1, 'STAFF', $2, $3, $4, $5, $6, $7)
     ON CONFLICT (id) DO UPDATE SET institution_id = EXCLUDED.institution_id, department_id = EXCLUDED.department_id,
       roles = EXCLUDED.roles, given_name = COALESCE(EXCLUDED.given_name, known_person.given_name),
       family_name = COALESCE(EXCLUDED.family_name, known_person.family_name), email = COALESCE(EXCLUDED.email, known_person.email)`,
    [p.staffId, p.institutionId, p.departmentId, p.roles, p.givenName ?? null, p.familyName ?? null, p.email ?? null],
  );
}
