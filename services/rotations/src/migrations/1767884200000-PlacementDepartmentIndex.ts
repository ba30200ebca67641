import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Issue 16, the department page on the large world (ADR 0072): `Department.placements` reads
 * `department_id = ANY($1) ORDER BY starts_on, id` with no status condition, so the only index
 * leading with the department (placement_seat) is partial (status <> 'CANCELLED') and cannot
 * serve it: PostgreSQL read all 149,906 placements for a department's 239 on every request.
 * This index finds a department's placements directly, in the page's order.
 */
export class PlacementDepartmentIndex1767884200000 implements MigrationInterface {
  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX placement_department ON placement (department_id, starts_on, id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX placement_department`);
  }
}
