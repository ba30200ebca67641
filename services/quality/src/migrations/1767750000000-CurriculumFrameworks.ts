import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Competency frameworks as last published (CompetencyFrameworkPublished, whole: the latest
 * sequence wins), for curriculum coverage through the hierarchy: a post profile's requirement on
 * a competency is covered by a program teaching it or any competency beneath it.
 */
export class CurriculumFrameworks1767750000000 implements MigrationInterface {
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE curriculum_framework (
        framework_id uuid PRIMARY KEY,
        sequence int NOT NULL,
        -- [{ id, parentId }]: the framework's competencies and where each sits in its hierarchy.
        competencies jsonb NOT NULL
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE curriculum_framework');
  }
}
