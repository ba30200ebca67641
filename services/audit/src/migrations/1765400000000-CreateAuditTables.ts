import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * The audit store (ADR 0008): append-only entries chained per institution, anchors that let a
 * chain be pruned by retention and still verify, and the retention policy per institution.
 */
export class CreateAuditTables1765400000000 implements MigrationInterface {
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE audit_entry (
        id bigserial PRIMARY KEY,
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
        hash text NOT NULL,
        CONSTRAINT audit_entry_chain_position UNIQUE (institution_id, seq)
      )`);
    await q.query(`CREATE INDEX audit_entry_student ON audit_entry (student_id, id DESC)`);
    await q.query(`CREATE INDEX audit_entry_institution ON audit_entry (institution_id, id DESC)`);
    // An anchor closes the pruned part of a chain: the hash and position of the last pruned entry.
    await q.query(`
      CREATE TABLE audit_anchor (
        institution_id uuid NOT NULL,
        seq bigint NOT NULL,
        hash text NOT NULL,
        pruned_count bigint NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (institution_id, seq)
      )`);
    await q.query(`
      CREATE TABLE audit_retention (
        institution_id uuid PRIMARY KEY,
        months int NOT NULL CHECK (months BETWEEN 1 AND 1200),
        legal_hold boolean NOT NULL DEFAULT false,
        updated_by text NOT NULL,
        updated_at timestamptz NOT NULL
      )`);
    // Append-only: no UPDATE ever; DELETE only of entries an anchor already closes (retention).
    await q.query(`
      CREATE FUNCTION audit_entry_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'DELETE' AND EXISTS (
          SELECT 1 FROM audit_anchor a WHERE a.institution_id = OLD.institution_id AND a.seq >= OLD.seq
        ) THEN
          RETURN OLD;
        END IF;
        RAISE EXCEPTION 'audit_entry is append-only (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await q.query(`
      CREATE TRIGGER audit_entry_append_only BEFORE UPDATE OR DELETE ON audit_entry
        FOR EACH ROW EXECUTE FUNCTION audit_entry_append_only()`);
    await q.query(`
      CREATE FUNCTION audit_anchor_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit_anchor is append-only (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await q.query(`
      CREATE TRIGGER audit_anchor_append_only BEFORE UPDATE OR DELETE ON audit_anchor
        FOR EACH ROW EXECUTE FUNCTION audit_anchor_append_only()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE audit_retention');
    await q.query('DROP TABLE audit_entry');
    await q.query('DROP TABLE audit_anchor');
    await q.query('DROP FUNCTION audit_anchor_append_only()');
    await q.query('DROP FUNCTION audit_entry_append_only()');
  }
}
