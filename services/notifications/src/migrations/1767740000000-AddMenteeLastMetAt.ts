import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * When a mentee's last meeting counts from: the moment it was logged, when that was on the
 * meeting's own day (null: 09:00 of `last_met_on`, as before), so a meeting logged in the
 * afternoon does not count from the morning (ADR 0015, amended).
 */
export class AddMenteeLastMetAt1767740000000 implements MigrationInterface {
  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE reminder_mentee ADD COLUMN last_met_at timestamptz`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE reminder_mentee DROP COLUMN last_met_at`);
  }
}
