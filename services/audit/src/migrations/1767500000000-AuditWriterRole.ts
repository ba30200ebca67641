import { type MigrationInterface, type QueryRunner } from 'typeorm';

/** The role the audit store's writer acts as (ADR 0023); AUDIT_WRITER_ROLE names it to the service. */
export const AUDIT_WRITER_ROLE = 'medcollab_audit_writer';

/** The trail's tables: the writer may add to them and read them, never rewrite or remove. */
const TRAIL_TABLES = ['audit_entry', 'audit_anchor', 'audit_checkpoint'];

/**
 * A database role for the audit store's writer with INSERT and SELECT only on the trail tables
 * (ADR 0023): PostgreSQL itself refuses its UPDATE, DELETE and TRUNCATE, whatever the triggers
 * do. Roles belong to the server, not to one database, and tests create many databases on one
 * server: the role is created only when missing, and dropped on the way down only when no
 * database still holds a privilege for it (pg_shdepend is server-wide). The migrating user is
 * made a member, so the service can `SET ROLE` to it on its own connection.
 */
export class AuditWriterRole1767500000000 implements MigrationInterface {
  async up(q: QueryRunner): Promise<void> {
    // CREATE ROLE has no IF NOT EXISTS; two databases migrating at once may both try: the loser's duplicate is fine.
    // A migrating user without CREATEROLE (a managed database) cannot create the role nor make itself a member:
    // the migration stops with the DBA's one-time step spelled out (ADR 0028), instead of PostgreSQL's bare
    // "permission denied to create role". Once the DBA created the role and made the user a member, it runs.
    await q.query(`
      DO $$
      DECLARE
        dba_step text := format('A DBA runs once per server: CREATE ROLE ${AUDIT_WRITER_ROLE} NOLOGIN; GRANT ${AUDIT_WRITER_ROLE} TO %I; then the migration runs again (ADR 0023, ADR 0028).', current_user);
      BEGIN
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${AUDIT_WRITER_ROLE}') THEN
          BEGIN
            CREATE ROLE ${AUDIT_WRITER_ROLE} NOLOGIN;
          EXCEPTION
            WHEN duplicate_object OR unique_violation THEN NULL;
            WHEN insufficient_privilege THEN
              RAISE EXCEPTION 'The audit writer role ${AUDIT_WRITER_ROLE} does not exist and % may not create it (no CREATEROLE)', current_user
                USING ERRCODE = 'insufficient_privilege', HINT = dba_step;
          END;
        END IF;
        IF NOT (SELECT rolsuper FROM pg_roles WHERE rolname = current_user)
           AND NOT pg_has_role(current_user, '${AUDIT_WRITER_ROLE}', 'MEMBER') THEN
          BEGIN
            EXECUTE format('GRANT ${AUDIT_WRITER_ROLE} TO %I', current_user);
          EXCEPTION WHEN insufficient_privilege THEN
            RAISE EXCEPTION '% is not a member of the audit writer role ${AUDIT_WRITER_ROLE} and may not make itself one (no CREATEROLE)', current_user
              USING ERRCODE = 'insufficient_privilege', HINT = dba_step;
          END;
        END IF;
      END $$`);
    for (const table of TRAIL_TABLES) {
      await q.query(`REVOKE ALL ON ${table} FROM ${AUDIT_WRITER_ROLE}`);
      await q.query(`GRANT SELECT, INSERT ON ${table} TO ${AUDIT_WRITER_ROLE}`);
    }
    await q.query(`GRANT USAGE ON SEQUENCE audit_entry_id_seq TO ${AUDIT_WRITER_ROLE}`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`REVOKE ALL ON SEQUENCE audit_entry_id_seq FROM ${AUDIT_WRITER_ROLE}`);
    for (const table of [...TRAIL_TABLES].reverse()) await q.query(`REVOKE ALL ON ${table} FROM ${AUDIT_WRITER_ROLE}`);
    await q.query(`
      DO $$
      BEGIN
        IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${AUDIT_WRITER_ROLE}') AND NOT EXISTS (
          SELECT 1 FROM pg_shdepend d JOIN pg_roles r ON r.oid = d.refobjid WHERE r.rolname = '${AUDIT_WRITER_ROLE}'
        ) THEN
          BEGIN
            DROP ROLE ${AUDIT_WRITER_ROLE};
          EXCEPTION WHEN dependent_objects_still_exist OR undefined_object THEN NULL; -- another database took it meanwhile
          END;
        END IF;
      END $$`);
  }
}
