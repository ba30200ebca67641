import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * What rotations knows of the curriculum (EnrollmentChanged, ModuleCompleted) and of a
 * department's specialty (AgreementActivated), filled only by events: the facts the
 * prerequisite check of rotation requirements needs.
 */
export class CreateCurriculumProjections1764300000003 implements MigrationInterface {
  async up(q: QueryRunner): Promise<void> {
    // Null while unknown (a staff registration, or an agreement announced before specialties were).
    await q.query(`ALTER TABLE known_department ADD COLUMN specialty text`);
    await q.query(`
      CREATE TABLE known_enrollment (
        id uuid PRIMARY KEY,
        student_id uuid NOT NULL,
        program_id uuid NOT NULL,
        school_id uuid NOT NULL,
        track_id uuid,
        status text NOT NULL CHECK (status IN ('ACTIVE', 'WITHDRAWN'))
      )`);
    await q.query(`CREATE INDEX known_enrollment_student ON known_enrollment (student_id) WHERE status = 'ACTIVE'`);
    await q.query(`
      CREATE TABLE known_module_completion (
        student_id uuid NOT NULL,
        module_id uuid NOT NULL,
        enrollment_id uuid NOT NULL,
        program_id uuid NOT NULL,
        completed_on date NOT NULL,
        PRIMARY KEY (student_id, module_id)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE known_module_completion');
    await q.query('DROP TABLE known_enrollment');
    await q.query('ALTER TABLE known_department DROP COLUMN specialty');
  }
}
