import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * ADR 0027 §8: an 8-week surgery is published as two 4-week placements; assessment gives its
 * end-of-placement tasks once, when the last part completes, and they cover the whole rotation.
 * A task records which rotation (null for a single-block placement) and the period it covers.
 */
export class TaskRotation1767725000001 implements MigrationInterface {
  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE assessment_task ADD COLUMN rotation_id uuid, ADD COLUMN rotation_name text,
         ADD COLUMN covers_starts_on date, ADD COLUMN covers_ends_on date`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE assessment_task DROP COLUMN rotation_id, DROP COLUMN rotation_name, DROP COLUMN covers_starts_on, DROP COLUMN covers_ends_on`,
    );
  }
}
