import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Issue #16: a coordinator's block board (placements of one block, by start then id) read every
 * placement of the school through placement_school and filtered out all but the block's
 * (EXPLAIN on the large world: bench/README.md). This index finds the block's placements
 * directly, in the board's order.
 */
export class PlacementBlockIndex1765600000000 implements MigrationInterface {
  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX placement_block ON placement (block_id, starts_on, id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX placement_block`);
  }
}
