import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Issue 16, the block board on the large world (ADR 0051): a staff caller's page of a block is
 * `block_id = $b AND (school_id = $i OR (hospital_id = $i AND <grant>))`. PostgreSQL cannot know
 * that a block belongs to one school, estimates a few dozen rows for the block and the school
 * together, and ANDs placement_block (the block's ~570 rows) with a bitmap of every placement
 * the school or hospital ever had (placement_school: 12,502 on the large world, and growing with
 * every year). With the block leading both scope columns, each arm of the OR is one index range
 * of the block's own placements, whatever the institution's history.
 */
export class PlacementBlockScopeIndexes1767881000000 implements MigrationInterface {
  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX placement_block_school ON placement (block_id, school_id, starts_on, id)`);
    await q.query(`CREATE INDEX placement_block_hospital ON placement (block_id, hospital_id, starts_on, id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX placement_block_hospital`);
    await q.query(`DROP INDEX placement_block_school`);
  }
}
