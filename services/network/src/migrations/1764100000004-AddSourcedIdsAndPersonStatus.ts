import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * External ids and people's lifecycle. `sourced_id` is the id an institution's own system
 * (student information system, HR system) gives a record: unique per institution, so imports
 * can upsert by it. People are deactivated (leave, graduation, contract end), never deleted:
 * their history stays and other services' records keep pointing at them.
 */
export class AddSourcedIdsAndPersonStatus1764100000004 implements MigrationInterface {
  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE institution ADD COLUMN sourced_id text`);
    await q.query(`CREATE UNIQUE INDEX institution_sourced_id_unique ON institution (sourced_id) WHERE sourced_id IS NOT NULL`);
    await q.query(`ALTER TABLE department ADD COLUMN sourced_id text`);
    await q.query(
      `CREATE UNIQUE INDEX department_sourced_id_unique ON department (institution_id, sourced_id) WHERE sourced_id IS NOT NULL`,
    );
    for (const [table, owner] of [
      ['student', 'school_id'],
      ['staff_member', 'institution_id'],
    ] as const) {
      await q.query(`ALTER TABLE ${table} ADD COLUMN sourced_id text`);
      await q.query(`CREATE UNIQUE INDEX ${table}_sourced_id_unique ON ${table} (${owner}, sourced_id) WHERE sourced_id IS NOT NULL`);
      await q.query(`ALTER TABLE ${table} ADD COLUMN status text NOT NULL DEFAULT 'ACTIVE' CHECK (status IN ('ACTIVE', 'INACTIVE'))`);
      await q.query(`ALTER TABLE ${table} ADD COLUMN status_reason text`);
      await q.query(`ALTER TABLE ${table} ADD COLUMN status_changed_at timestamptz`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['student', 'staff_member']) {
      await q.query(`DROP INDEX ${table}_sourced_id_unique`);
      await q.query(
        `ALTER TABLE ${table} DROP COLUMN sourced_id, DROP COLUMN status, DROP COLUMN status_reason, DROP COLUMN status_changed_at`,
      );
    }
    await q.query(`DROP INDEX department_sourced_id_unique`);
    await q.query(`ALTER TABLE department DROP COLUMN sourced_id`);
    await q.query(`DROP INDEX institution_sourced_id_unique`);
    await q.query(`ALTER TABLE institution DROP COLUMN sourced_id`);
  }
}
