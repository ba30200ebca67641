import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * The curriculum as last published (ProgramPublished, PostProfilePublished): each program's
 * competencies and minutes per teaching method, each post profile's required competencies.
 * Whole states; the latest sequence wins.
 */
export class CreateQualityCurriculum1766300000000 implements MigrationInterface {
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE curriculum_program (
        program_id uuid PRIMARY KEY,
        school_id uuid NOT NULL,
        title text NOT NULL,
        competency_ids uuid[] NOT NULL,
        teaching_minutes jsonb NOT NULL,
        published_at timestamptz NOT NULL,
        sequence int NOT NULL
      )`);
    await q.query(`
      CREATE TABLE curriculum_profile (
        profile_id uuid PRIMARY KEY,
        title text NOT NULL,
        competency_ids uuid[] NOT NULL,
        sequence int NOT NULL
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE curriculum_profile');
    await q.query('DROP TABLE curriculum_program');
  }
}
