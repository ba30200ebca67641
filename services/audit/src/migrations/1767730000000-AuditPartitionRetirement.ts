import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Retention retires whole monthly partitions (ADR 0028): a month every entry of which an anchor
 * already closes is detached from `audit_entry` and dropped, or moved to the `audit_archive`
 * schema when AUDIT_RETIRED_PARTITIONS=archive. `audit_partition_retired` says which month went
 * where, when, with how many entries: the evidence that a gap in the trail is retention's.
 * `down` drops the record and the schema, and refuses while the schema still holds archived
 * months (a DBA exports or drops them first: they are the only copy).
 */
export class AuditPartitionRetirement1767730000000 implements MigrationInterface {
  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE SCHEMA audit_archive`);
    await q.query(`
      CREATE TABLE audit_partition_retired (
        partition text PRIMARY KEY,
        month_from timestamptz NOT NULL,
        month_to timestamptz NOT NULL,
        entries bigint NOT NULL,
        disposition text NOT NULL CHECK (disposition IN ('DROPPED', 'ARCHIVED')),
        retired_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE audit_partition_retired`);
    await q.query(`DROP SCHEMA audit_archive`);
  }
}
