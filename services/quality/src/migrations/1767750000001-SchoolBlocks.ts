import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Each school's rotation blocks as quality knows them from placements (earliest start, latest
 * end), kept as placement events are applied instead of grouped from every placement event of
 * the history by each hourly sweep (ADR 0021's block markers). Filled from the history here.
 */
export class SchoolBlocks1767750000001 implements MigrationInterface {
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE quality_school_block (
        school_id text NOT NULL,
        block_id text NOT NULL,
        starts_on text,
        ends_on text,
        PRIMARY KEY (school_id, block_id)
      )`);
    await q.query(`
      INSERT INTO quality_school_block (school_id, block_id, starts_on, ends_on)
      SELECT payload->>'schoolId', payload->>'blockId', min(payload->>'startsOn'), max(payload->>'endsOn')
        FROM applied_event
       WHERE aggregate_type = 'Placement' AND payload->>'schoolId' IS NOT NULL AND payload->>'blockId' IS NOT NULL
       GROUP BY 1, 2`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE quality_school_block');
  }
}
