import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Least privilege at hospitals: a grant records the placement's department and supervisor, so
 * a clinical instructor reads only the students placed in their department or supervised by
 * them. Rows written before this migration have neither until their placement's next event:
 * until then only the hospital's coordinators and admins read through them.
 */
export class HospitalGrantDepartment1764100000006 implements MigrationInterface {
  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE hospital_access_grant ADD COLUMN department_id uuid, ADD COLUMN supervisor_id uuid`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE hospital_access_grant DROP COLUMN supervisor_id, DROP COLUMN department_id`);
  }
}
