import { type MigrationInterface, type QueryRunner } from 'typeorm';
import { createEventTables, dropEventTables } from '@medcollab/events';

/** The shared outbox/inbox tables, kept in the curriculum's own migration history. */
export class CreateCurriculumEventTables1764200000001 implements MigrationInterface {
  async up(q: QueryRunner): Promise<void> {
    await createEventTables(q);
  }

  async down(q: QueryRunner): Promise<void> {
    await dropEventTables(q);
  }
}
