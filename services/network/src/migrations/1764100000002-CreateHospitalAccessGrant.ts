import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Hospital access to students, derived from the rotations service's Placement* events: one
 * row per placement, carrying the latest event's terms. `valid_until` null = while the
 * placement runs; a timestamp = until then (completed: grace period; cancelled: at once).
 */
export class CreateHospitalAccessGrant1764100000002 implements MigrationInterface {
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE hospital_access_grant (
        placement_id uuid PRIMARY KEY,
        student_id uuid NOT NULL,
        hospital_id uuid NOT NULL,
        valid_until timestamptz,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX hospital_access_grant_student ON hospital_access_grant (student_id, hospital_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE hospital_access_grant');
  }
}
