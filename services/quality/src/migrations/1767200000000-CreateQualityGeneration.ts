import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * One counter per canonical report root (a hospital's report, the network's report of one
 * cohort) and one for everything ('*'): bumped in the transaction of every change to what a
 * report is computed from, so a protected report cached under the counters it was computed at
 * is valid exactly while they stand (ADR 0020).
 */
export class CreateQualityGeneration1767200000000 implements MigrationInterface {
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE quality_generation (
        scope text PRIMARY KEY,
        generation bigint NOT NULL
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE quality_generation');
  }
}
