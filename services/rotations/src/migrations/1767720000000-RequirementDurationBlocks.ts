import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Issue #14 (rotations longer than one block): how many consecutive blocks one rotation of a
 * required specialty lasts (an 8-week surgery is 2 four-week blocks). 1 for every existing
 * requirement; the required blocks must be whole rotations.
 */
export class RequirementDurationBlocks1767720000000 implements MigrationInterface {
  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE rotation_requirement ADD COLUMN duration_blocks int NOT NULL DEFAULT 1
         CONSTRAINT rotation_requirement_whole_rotations CHECK (duration_blocks >= 1 AND blocks % duration_blocks = 0)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE rotation_requirement DROP COLUMN duration_blocks`);
  }
}
