import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Issue #14: which run published a placement, and which run replaced a published one. A second
 * publication over the same blocks must either be refused or supersede the first explicitly,
 * cancelling the first run's placements nobody has touched since; that needs to know them.
 */
export class TrackPublishedAllocations1764900000014 implements MigrationInterface {
  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE placement ADD COLUMN allocation_run_id uuid REFERENCES allocation_run (id)`);
    await q.query(`CREATE INDEX placement_allocation_run ON placement (allocation_run_id) WHERE allocation_run_id IS NOT NULL`);
    await q.query(`ALTER TABLE allocation_run ADD COLUMN superseded_by uuid REFERENCES allocation_run (id)`);
    await q.query(`ALTER TABLE allocation_run ADD COLUMN superseded_at timestamptz`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE allocation_run DROP COLUMN superseded_at`);
    await q.query(`ALTER TABLE allocation_run DROP COLUMN superseded_by`);
    await q.query(`DROP INDEX placement_allocation_run`);
    await q.query(`ALTER TABLE placement DROP COLUMN allocation_run_id`);
  }
}
