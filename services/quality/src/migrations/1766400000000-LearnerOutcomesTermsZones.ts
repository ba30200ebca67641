import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Learner outcomes per student (a student's assessments are found by the student), the term a
 * block belongs to (terms are protected together with their blocks), and what time-zone-aware
 * freezing needs: the institutions' time zones and the institutions with figures in a period.
 */
export class LearnerOutcomesTermsZones1766400000000 implements MigrationInterface {
  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE INDEX applied_event_submission_student ON applied_event ((payload->>'studentId')) WHERE aggregate_type = 'Submission'`,
    );
    await q.query('ALTER TABLE quality_period ADD COLUMN term_id text');
    await q.query(`CREATE TABLE known_institution (id uuid PRIMARY KEY, timezone text)`);
    await q.query(`
      CREATE TABLE quality_period_institution (
        period_kind text NOT NULL,
        period_id text NOT NULL,
        institution_id text NOT NULL,
        PRIMARY KEY (period_kind, period_id, institution_id)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE quality_period_institution');
    await q.query('DROP TABLE known_institution');
    await q.query('ALTER TABLE quality_period DROP COLUMN term_id');
    await q.query('DROP INDEX applied_event_submission_student');
  }
}
