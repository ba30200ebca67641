import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * ADR 0027 §8: a rotation longer than one block is published as one placement per spanned block;
 * these columns link the parts (which rotation, which part of how many, its name and its whole
 * span), so that the placement events can say so and assessment can assess the rotation once,
 * after its last part. All null for a placement that is a rotation on its own.
 */
export class PlacementRotation1767725000000 implements MigrationInterface {
  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE placement
         ADD COLUMN rotation_id uuid,
         ADD COLUMN rotation_part int,
         ADD COLUMN rotation_parts int,
         ADD COLUMN rotation_name text,
         ADD COLUMN rotation_starts_on date,
         ADD COLUMN rotation_ends_on date,
         ADD CONSTRAINT placement_rotation_parts CHECK (
           (rotation_id IS NULL AND rotation_part IS NULL AND rotation_parts IS NULL AND rotation_name IS NULL
              AND rotation_starts_on IS NULL AND rotation_ends_on IS NULL)
           OR (rotation_id IS NOT NULL AND rotation_part BETWEEN 1 AND rotation_parts AND rotation_parts >= 2 AND rotation_name IS NOT NULL
              AND rotation_starts_on IS NOT NULL AND rotation_ends_on IS NOT NULL))`,
    );
    await q.query(`CREATE INDEX placement_rotation ON placement (rotation_id) WHERE rotation_id IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX placement_rotation`);
    await q.query(
      `ALTER TABLE placement DROP CONSTRAINT placement_rotation_parts, DROP COLUMN rotation_id, DROP COLUMN rotation_part,
         DROP COLUMN rotation_parts, DROP COLUMN rotation_name, DROP COLUMN rotation_starts_on, DROP COLUMN rotation_ends_on`,
    );
  }
}
