import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * The roles the requester held when they started a roster import: the import's student changes
 * are audited (ADR 0023) with who asked, and the worker that applies them has no request (and
 * so no verified actor) of its own. Imports started before this migration record no roles.
 */
export class RosterImportRequesterRoles1767500000000 implements MigrationInterface {
  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE roster_import ADD COLUMN requested_roles text[] NOT NULL DEFAULT '{}'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE roster_import DROP COLUMN requested_roles`);
  }
}
