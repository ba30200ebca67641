import { type MigrationInterface, type QueryRunner } from 'typeorm';

/** A placement's block name (from its events, when they carry it), so a digest names the block. */
export class AddPlacementBlockName1766200000000 implements MigrationInterface {
  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE reminder_placement ADD COLUMN block_name text`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE reminder_placement DROP COLUMN block_name`);
  }
}
