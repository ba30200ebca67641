import { type MigrationInterface, type QueryRunner } from 'typeorm';
import { AUDIT_WRITER_ROLE } from './1767500000000-AuditWriterRole';

/** The columns of audit_entry, in order (the same before and after partitioning). */
const COLUMNS = `id, institution_id, seq, event_id, source, request_id, operation, actor_id, actor_institution_id, actor_roles, action,
  record_type, record_id, student_id, fields, change, reason, occurred_at, recorded_at, prev_hash, hash`;

const columnDefinitions = (id: string) => `
  id ${id},
  institution_id uuid NOT NULL,
  seq bigint NOT NULL,
  event_id uuid NOT NULL,
  source text NOT NULL,
  request_id text NOT NULL,
  operation text NOT NULL,
  actor_id text NOT NULL,
  actor_institution_id text,
  actor_roles text[] NOT NULL,
  action text NOT NULL CHECK (action IN ('READ', 'CHANGE')),
  record_type text NOT NULL,
  record_id text NOT NULL,
  student_id uuid NOT NULL,
  fields text[] NOT NULL,
  change text,
  reason text,
  occurred_at timestamptz NOT NULL,
  recorded_at timestamptz NOT NULL DEFAULT now(),
  prev_hash text NOT NULL,
  hash text NOT NULL`;

const TRIGGER = `CREATE TRIGGER audit_entry_append_only BEFORE UPDATE OR DELETE ON audit_entry
  FOR EACH ROW EXECUTE FUNCTION audit_entry_append_only()`;

/** The writer role (previous migration) keeps INSERT and SELECT on the rebuilt table, nothing more. */
const GRANT_WRITER = `
  DO $$
  BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${AUDIT_WRITER_ROLE}') THEN
      GRANT SELECT, INSERT ON audit_entry TO ${AUDIT_WRITER_ROLE};
    END IF;
  END $$`;

/**
 * Monthly partitions of the audit trail by recording time (ADR 0023): `audit_entry` becomes a
 * table PARTITIONED BY RANGE (recorded_at) with one partition per UTC month
 * (`audit_entry_pYYYYMM`) from the month of the oldest entry to three months ahead (or the newest
 * entry's month, if later), and a
 * DEFAULT partition so an entry is never refused for want of one. The worker's
 * `audit-partitions` task keeps creating months ahead (src/data/partitions.ts). The existing
 * rows are copied over in the migration's transaction (the table is locked meanwhile; the
 * trail is written only by the audit worker, which retries). PostgreSQL cannot enforce
 * UNIQUE (institution_id, seq) across partitions (a unique index must contain the partition
 * key): the advisory lock of the append stays the guard against a forked chain, and
 * `audit:verify` finds one (a position twice breaks the link).
 */
export class PartitionAuditEntries1767500000001 implements MigrationInterface {
  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE audit_entry RENAME TO audit_entry_unpartitioned`);
    await q.query(`ALTER TABLE audit_entry_unpartitioned RENAME CONSTRAINT audit_entry_pkey TO audit_entry_unpartitioned_pkey`);
    await q.query(
      `ALTER TABLE audit_entry_unpartitioned RENAME CONSTRAINT audit_entry_chain_position TO audit_entry_unpartitioned_chain_position`,
    );
    await q.query(`ALTER INDEX audit_entry_student RENAME TO audit_entry_unpartitioned_student`);
    await q.query(`ALTER INDEX audit_entry_institution RENAME TO audit_entry_unpartitioned_institution`);
    await q.query(`
      CREATE TABLE audit_entry (${columnDefinitions(`bigint NOT NULL DEFAULT nextval('audit_entry_id_seq')`)},
        PRIMARY KEY (id, recorded_at)
      ) PARTITION BY RANGE (recorded_at)`);
    // The sequence goes with the new table (it would be dropped with the old one).
    await q.query(`ALTER SEQUENCE audit_entry_id_seq OWNED BY audit_entry.id`);
    await q.query(`CREATE INDEX audit_entry_chain ON audit_entry (institution_id, seq)`);
    await q.query(`CREATE INDEX audit_entry_student ON audit_entry (student_id, id DESC)`);
    await q.query(`CREATE INDEX audit_entry_institution ON audit_entry (institution_id, id DESC)`);
    await q.query(`CREATE TABLE audit_entry_default PARTITION OF audit_entry DEFAULT`);
    await q.query(`
      DO $$
      DECLARE
        m timestamp;
        last timestamp;
      BEGIN
        SELECT date_trunc('month', COALESCE(min(recorded_at), now()) AT TIME ZONE 'UTC'),
               greatest(date_trunc('month', now() AT TIME ZONE 'UTC') + interval '3 months',
                        date_trunc('month', COALESCE(max(recorded_at), now()) AT TIME ZONE 'UTC'))
          INTO m, last FROM audit_entry_unpartitioned;
        WHILE m <= last LOOP
          EXECUTE format('CREATE TABLE %I PARTITION OF audit_entry FOR VALUES FROM (%L) TO (%L)',
            'audit_entry_p' || to_char(m, 'YYYYMM'), m AT TIME ZONE 'UTC', (m + interval '1 month') AT TIME ZONE 'UTC');
          m := m + interval '1 month';
        END LOOP;
      END $$`);
    await q.query(`INSERT INTO audit_entry (${COLUMNS}) SELECT ${COLUMNS} FROM audit_entry_unpartitioned`);
    await q.query(`DROP TABLE audit_entry_unpartitioned`);
    await q.query(TRIGGER);
    await q.query(GRANT_WRITER);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE audit_entry RENAME TO audit_entry_partitioned`);
    await q.query(`ALTER TABLE audit_entry_partitioned RENAME CONSTRAINT audit_entry_pkey TO audit_entry_partitioned_pkey`);
    await q.query(`DROP INDEX audit_entry_chain`);
    await q.query(`ALTER INDEX audit_entry_student RENAME TO audit_entry_partitioned_student`);
    await q.query(`ALTER INDEX audit_entry_institution RENAME TO audit_entry_partitioned_institution`);
    await q.query(`
      CREATE TABLE audit_entry (${columnDefinitions(`bigint NOT NULL DEFAULT nextval('audit_entry_id_seq') PRIMARY KEY`)},
        CONSTRAINT audit_entry_chain_position UNIQUE (institution_id, seq)
      )`);
    await q.query(`ALTER SEQUENCE audit_entry_id_seq OWNED BY audit_entry.id`);
    await q.query(`INSERT INTO audit_entry (${COLUMNS}) SELECT ${COLUMNS} FROM audit_entry_partitioned ORDER BY id`);
    await q.query(`DROP TABLE audit_entry_partitioned`); // its partitions with it
    await q.query(`CREATE INDEX audit_entry_student ON audit_entry (student_id, id DESC)`);
    await q.query(`CREATE INDEX audit_entry_institution ON audit_entry (institution_id, id DESC)`);
    await q.query(TRIGGER);
    await q.query(GRANT_WRITER);
  }
}
