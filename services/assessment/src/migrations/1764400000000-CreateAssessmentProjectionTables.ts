import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * What assessment knows of other services, filled only by their events (a service never reads
 * another's database): the network's students, staff and agreements; rotations' placements;
 * curriculum's enrolments, competencies and post profiles.
 */
export class CreateAssessmentProjectionTables1764400000000 implements MigrationInterface {
  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE known_student (id uuid PRIMARY KEY, school_id uuid NOT NULL)`);
    await q.query(`
      CREATE TABLE known_staff (
        id uuid PRIMARY KEY,
        institution_id uuid NOT NULL,
        department_id uuid,
        roles text[] NOT NULL
      )`);
    await q.query(`
      CREATE TABLE known_agreement (
        id uuid PRIMARY KEY,
        school_id uuid NOT NULL,
        hospital_id uuid NOT NULL,
        status text NOT NULL CHECK (status IN ('ACTIVE', 'ENDED'))
      )`);
    await q.query(`CREATE INDEX known_agreement_hospital ON known_agreement (hospital_id, status)`);
    await q.query(`CREATE INDEX known_agreement_school ON known_agreement (school_id, status)`);
    await q.query(`
      CREATE TABLE known_placement (
        id uuid PRIMARY KEY,
        student_id uuid NOT NULL,
        school_id uuid NOT NULL,
        hospital_id uuid NOT NULL,
        department_id uuid NOT NULL,
        block_id uuid NOT NULL,
        supervisor_id uuid,
        starts_on date NOT NULL,
        ends_on date NOT NULL,
        status text NOT NULL CHECK (status IN ('CONFIRMED', 'IN_PROGRESS', 'COMPLETED', 'CANCELLED')),
        access_until timestamptz,
        changed_at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX known_placement_student ON known_placement (student_id)`);
    await q.query(`CREATE INDEX known_placement_hospital_block ON known_placement (hospital_id, block_id)`);
    await q.query(`CREATE INDEX known_placement_supervisor ON known_placement (supervisor_id) WHERE supervisor_id IS NOT NULL`);
    await q.query(`
      CREATE TABLE known_enrollment (
        id uuid PRIMARY KEY,
        student_id uuid NOT NULL,
        program_id uuid NOT NULL,
        school_id uuid NOT NULL,
        status text NOT NULL CHECK (status IN ('ACTIVE', 'WITHDRAWN')),
        changed_at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX known_enrollment_student ON known_enrollment (student_id, status)`);
    await q.query(`
      CREATE TABLE known_competency (
        id uuid PRIMARY KEY,
        framework_id uuid NOT NULL,
        code text NOT NULL,
        domain text NOT NULL CHECK (domain IN ('TECHNICAL', 'NON_TECHNICAL')),
        parent_id uuid
      )`);
    await q.query(`CREATE INDEX known_competency_framework ON known_competency (framework_id)`);
    await q.query(`
      CREATE TABLE known_post_profile (
        id uuid PRIMARY KEY,
        title text NOT NULL,
        scale_name text NOT NULL,
        scale_min double precision NOT NULL,
        scale_max double precision NOT NULL,
        requirements jsonb NOT NULL
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of [
      'known_post_profile',
      'known_competency',
      'known_enrollment',
      'known_placement',
      'known_agreement',
      'known_staff',
      'known_student',
    ]) {
      await q.query(`DROP TABLE ${table}`);
    }
  }
}
