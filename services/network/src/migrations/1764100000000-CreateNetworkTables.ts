import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Institutions, departments, people and agreements. The database repeats the rules it can
 * hold on its own (kinds, statuses, date order, one login per email within a table) so a
 * bug in the service cannot store what the domain refuses.
 */
export class CreateNetworkTables1764100000000 implements MigrationInterface {
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE institution (
        id uuid PRIMARY KEY,
        name text NOT NULL,
        kind text NOT NULL CHECK (kind IN ('SCHOOL', 'HOSPITAL')),
        timezone text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE UNIQUE INDEX institution_name_unique ON institution (lower(name))`);

    await q.query(`
      CREATE TABLE department (
        id uuid PRIMARY KEY,
        institution_id uuid NOT NULL REFERENCES institution (id),
        name text NOT NULL,
        specialty text,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE UNIQUE INDEX department_name_unique ON department (institution_id, lower(name))`);

    await q.query(`
      CREATE TABLE student (
        id uuid PRIMARY KEY,
        school_id uuid NOT NULL REFERENCES institution (id),
        given_name text NOT NULL,
        family_name text NOT NULL,
        email text NOT NULL,
        cohort_year int NOT NULL,
        prior_clinical_years int NOT NULL CHECK (prior_clinical_years >= 0),
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE UNIQUE INDEX student_email_unique ON student (lower(email))`);
    // Listing is keyset-paginated by name within a school.
    await q.query(`CREATE INDEX student_school_name ON student (school_id, family_name, given_name, id)`);
    await q.query(`CREATE INDEX student_name ON student (family_name, given_name, id)`);

    await q.query(`
      CREATE TABLE staff_member (
        id uuid PRIMARY KEY,
        institution_id uuid NOT NULL REFERENCES institution (id),
        department_id uuid REFERENCES department (id),
        given_name text NOT NULL,
        family_name text NOT NULL,
        email text NOT NULL,
        roles text[] NOT NULL CHECK (cardinality(roles) > 0 AND NOT ('STUDENT' = ANY (roles))),
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE UNIQUE INDEX staff_member_email_unique ON staff_member (lower(email))`);
    await q.query(`CREATE INDEX staff_member_institution_name ON staff_member (institution_id, family_name, given_name, id)`);
    await q.query(`CREATE INDEX staff_member_name ON staff_member (family_name, given_name, id)`);

    await q.query(`
      CREATE TABLE collaboration_agreement (
        id uuid PRIMARY KEY,
        school_id uuid NOT NULL REFERENCES institution (id),
        hospital_id uuid NOT NULL REFERENCES institution (id),
        starts_on date NOT NULL,
        ends_on date NOT NULL,
        status text NOT NULL CHECK (status IN ('PROPOSED', 'ACTIVE', 'ENDED')),
        activated_at timestamptz,
        ended_on date,
        created_at timestamptz NOT NULL DEFAULT now(),
        CHECK (ends_on > starts_on),
        CHECK (school_id <> hospital_id),
        CHECK ((status = 'ENDED') = (ended_on IS NOT NULL))
      )`);
    await q.query(`CREATE INDEX collaboration_agreement_pair ON collaboration_agreement (school_id, hospital_id, status)`);
    await q.query(`CREATE INDEX collaboration_agreement_hospital ON collaboration_agreement (hospital_id)`);

    await q.query(`
      CREATE TABLE agreement_department (
        agreement_id uuid NOT NULL REFERENCES collaboration_agreement (id) ON DELETE CASCADE,
        department_id uuid NOT NULL REFERENCES department (id),
        PRIMARY KEY (agreement_id, department_id)
      )`);
    await q.query(`CREATE INDEX agreement_department_department ON agreement_department (department_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE agreement_department');
    await q.query('DROP TABLE collaboration_agreement');
    await q.query('DROP TABLE staff_member');
    await q.query('DROP TABLE student');
    await q.query('DROP TABLE department');
    await q.query('DROP TABLE institution');
  }
}
