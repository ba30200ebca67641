import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Curriculum over time and per module: every ProgramPublished is kept (one row per program and
 * sequence), so a quality office sees how the figures changed over publications, and each
 * publication's modules (their competencies and minutes per teaching method) are kept with it
 * for the drill-down program → module. The latest publication already held becomes the first
 * kept version (earlier ones were not kept before).
 */
export class CurriculumPublications1767300000000 implements MigrationInterface {
  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE curriculum_program ADD COLUMN modules jsonb NOT NULL DEFAULT '[]'`);
    await q.query(`
      CREATE TABLE curriculum_program_version (
        program_id uuid NOT NULL,
        sequence int NOT NULL,
        school_id uuid NOT NULL,
        title text NOT NULL,
        competency_ids uuid[] NOT NULL,
        teaching_minutes jsonb NOT NULL,
        modules jsonb NOT NULL DEFAULT '[]',
        published_at timestamptz NOT NULL,
        PRIMARY KEY (program_id, sequence)
      )`);
    await q.query(`
      INSERT INTO curriculum_program_version (program_id, sequence, school_id, title, competency_ids, teaching_minutes, published_at)
      SELECT program_id, sequence, school_id, title, competency_ids, teaching_minutes, published_at FROM curriculum_program`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE curriculum_program_version');
    await q.query('ALTER TABLE curriculum_program DROP COLUMN modules');
  }
}
