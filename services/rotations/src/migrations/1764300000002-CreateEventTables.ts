import { type MigrationInterface, type QueryRunner } from 'typeorm';
import { createEventTables, dropEventTables } from '@medcollab/events';

/** The shared outbox/inbox tables, kept in rotations' own migration history. */
export class CreateRotationsEventTables1764300000002 implements MigrationInterface {
  async up(q: QueryRunner): Promise<void> {
    await createEventTables(q);
  }

  async down(q: QueryRunner): Promise<void> {
    await dropEventTables(q);
  }
}
