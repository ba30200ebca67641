import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Issue #16: a hospital department's page resolves the department's hospital from what
 * assessment knows (placements and staff by department), which scanned both tables whole
 * (EXPLAIN on the large world: bench/README.md). One index each serves the lookup.
 */
export class DepartmentLookupIndexes1765600000001 implements MigrationInterface {
  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX known_placement_department ON known_placement (department_id)`);
    await q.query(`CREATE INDEX known_staff_department ON known_staff (department_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX known_staff_department`);
    await q.query(`DROP INDEX known_placement_department`);
  }
}
