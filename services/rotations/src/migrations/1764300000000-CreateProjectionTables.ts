import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * What rotations knows of the network, filled only by the network's events (a service never
 * reads another's database): students' schools, staff, departments' institutions, agreements.
 */
export class CreateProjectionTables1764300000000 implements MigrationInterface {
  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE known_student (id uuid PRIMARY KEY, school_id uuid NOT NULL)`);
    await q.query(`CREATE INDEX known_student_school ON known_student (school_id)`);
    await q.query(`
      CREATE TABLE known_staff (
        id uuid PRIMARY KEY,
        institution_id uuid NOT NULL,
        department_id uuid,
        roles text[] NOT NULL
      )`);
    await q.query(`CREATE INDEX known_staff_department ON known_staff (department_id)`);
    await q.query(`CREATE TABLE known_department (id uuid PRIMARY KEY, institution_id uuid NOT NULL)`);
    await q.query(`
      CREATE TABLE known_agreement (
        id uuid PRIMARY KEY,
        school_id uuid NOT NULL,
        hospital_id uuid NOT NULL,
        starts_on date NOT NULL,
        ends_on date NOT NULL,
        status text NOT NULL CHECK (status IN ('ACTIVE', 'ENDED')),
        ended_on date,
        department_ids uuid[] NOT NULL
      )`);
    await q.query(`CREATE INDEX known_agreement_school ON known_agreement (school_id, status)`);
    await q.query(`CREATE INDEX known_agreement_departments ON known_agreement USING gin (department_ids)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE known_agreement');
    await q.query('DROP TABLE known_department');
    await q.query('DROP TABLE known_staff');
    await q.query('DROP TABLE known_student');
  }
}
