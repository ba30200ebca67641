import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Roster imports: one row per import with its status, progress, counts and report, and the
 * uploaded files beside it. The upload link's token is stored hashed; it works once, until
 * `upload_expires_at`. The worker claims QUEUED imports with FOR UPDATE SKIP LOCKED.
 */
export class CreateRosterImport1764100000005 implements MigrationInterface {
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE roster_import (
        id uuid PRIMARY KEY,
        institution_id uuid NOT NULL REFERENCES institution (id),
        format text NOT NULL,
        sync_mode text NOT NULL,
        apply_mode text NOT NULL,
        status text NOT NULL DEFAULT 'AWAITING_UPLOAD',
        requested_by uuid NOT NULL,
        upload_token_hash text,
        upload_expires_at timestamptz NOT NULL,
        progress real NOT NULL DEFAULT 0,
        counts jsonb,
        issues jsonb NOT NULL DEFAULT '[]',
        issue_count int NOT NULL DEFAULT 0,
        error text,
        created_at timestamptz NOT NULL DEFAULT now(),
        uploaded_at timestamptz,
        started_at timestamptz,
        heartbeat_at timestamptz,
        finished_at timestamptz
      )`);
    await q.query(`CREATE INDEX roster_import_queue ON roster_import (created_at) WHERE status IN ('QUEUED', 'VALIDATING', 'APPLYING')`);
    await q.query(`CREATE INDEX roster_import_institution ON roster_import (institution_id, created_at DESC)`);
    await q.query(`
      CREATE TABLE roster_import_file (
        import_id uuid NOT NULL REFERENCES roster_import (id) ON DELETE CASCADE,
        name text NOT NULL,
        content text NOT NULL,
        PRIMARY KEY (import_id, name)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE roster_import_file');
    await q.query('DROP TABLE roster_import');
  }
}
