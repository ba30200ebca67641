import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Checkpoints of each institution's chain (ADR 0008 §5): the head's position and hash, also sent
 * to the institution's webhook subscribers. Append-only like the anchors: a checkpoint that could
 * be rewritten would prove nothing.
 */
export class AddAuditCheckpoints1766900000000 implements MigrationInterface {
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE audit_checkpoint (
        institution_id uuid NOT NULL,
        seq bigint NOT NULL,
        hash text NOT NULL,
        created_at timestamptz NOT NULL,
        PRIMARY KEY (institution_id, seq)
      )`);
    await q.query(`
      CREATE FUNCTION audit_checkpoint_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit_checkpoint is append-only (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await q.query(`
      CREATE TRIGGER audit_checkpoint_append_only BEFORE UPDATE OR DELETE ON audit_checkpoint
        FOR EACH ROW EXECUTE FUNCTION audit_checkpoint_append_only()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE audit_checkpoint');
    await q.query('DROP FUNCTION audit_checkpoint_append_only()');
  }
}
