import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * A rotation may be left with one live part (ADR 0035): when the other parts of a 2-block
 * rotation are cancelled, the remaining placement is still that rotation (shortened), keeps its
 * link and name, and is assessed when it completes. The check of 1767725000000 demanded at least
 * two parts; it now accepts one. `down` restores the old check, unlinking the one-part rotations
 * it would refuse (their placements become single-block placements again, as before this change).
 */
export class RotationOfOnePart1767820000000 implements MigrationInterface {
  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE placement DROP CONSTRAINT placement_rotation_parts`);
    await q.query(
      `ALTER TABLE placement ADD CONSTRAINT placement_rotation_parts CHECK (
         (rotation_id IS NULL AND rotation_part IS NULL AND rotation_parts IS NULL AND rotation_name IS NULL
            AND rotation_starts_on IS NULL AND rotation_ends_on IS NULL)
         OR (rotation_id IS NOT NULL AND rotation_part BETWEEN 1 AND rotation_parts AND rotation_parts >= 1 AND rotation_name IS NOT NULL
            AND rotation_starts_on IS NOT NULL AND rotation_ends_on IS NOT NULL))`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      `UPDATE placement SET rotation_id = NULL, rotation_part = NULL, rotation_parts = NULL, rotation_name = NULL,
              rotation_starts_on = NULL, rotation_ends_on = NULL
        WHERE rotation_parts = 1`,
    );
    await q.query(`ALTER TABLE placement DROP CONSTRAINT placement_rotation_parts`);
    await q.query(
      `ALTER TABLE placement ADD CONSTRAINT placement_rotation_parts CHECK (
         (rotation_id IS NULL AND rotation_part IS NULL AND rotation_parts IS NULL AND rotation_name IS NULL
            AND rotation_starts_on IS NULL AND rotation_ends_on IS NULL)
         OR (rotation_id IS NOT NULL AND rotation_part BETWEEN 1 AND rotation_parts AND rotation_parts >= 2 AND rotation_name IS NOT NULL
            AND rotation_starts_on IS NOT NULL AND rotation_ends_on IS NOT NULL))`,
    );
  }
}
