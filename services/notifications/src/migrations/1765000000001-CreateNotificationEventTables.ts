import { type MigrationInterface, type QueryRunner } from 'typeorm';
import { createEventTables, dropEventTables } from '@medcollab/events';

/** The shared outbox/inbox tables, kept in notifications' own migration history. */
export class CreateNotificationEventTables1765000000001 implements MigrationInterface {
  async up(q: QueryRunner): Promise<void> {
    await createEventTables(q);
  }

  async down(q: QueryRunner): Promise<void> {
    await dropEventTables(q);
  }
}
