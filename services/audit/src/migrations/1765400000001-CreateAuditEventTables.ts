import { type MigrationInterface, type QueryRunner } from 'typeorm';
import { createEventTables, dropEventTables } from '@medcollab/events';

/** The shared outbox/inbox tables, kept in audit's own migration history. */
export class CreateAuditEventTables1765400000001 implements MigrationInterface {
  async up(q: QueryRunner): Promise<void> {
    await createEventTables(q);
  }

  async down(q: QueryRunner): Promise<void> {
    await dropEventTables(q);
  }
}
