import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Daily digests (one per person and local day), tasks withdrawn by assessment's burden cap,
 * placement-starting, preference-window-closing and swap-awaiting-answer reminders: a reminder
 * step now belongs to a task, a placement, a preference window or a swap request (exactly one),
 * and a step of a person who reads digests waits (DIGEST) for that person's digest of the day.
 */
export class AddDigestsAndPlacementReminders1765100000000 implements MigrationInterface {
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE reminder_task DROP CONSTRAINT reminder_task_status_check;
      ALTER TABLE reminder_task ADD CONSTRAINT reminder_task_status_check
        CHECK (status IN ('OPEN', 'SUBMITTED', 'DECLINED', 'EXPIRED', 'WITHDRAWN'));

      CREATE TABLE reminder_placement (
        placement_id uuid PRIMARY KEY,
        status text NOT NULL CHECK (status IN ('CONFIRMED', 'STARTED', 'CANCELLED', 'COMPLETED')),
        student_id uuid NOT NULL,
        supervisor_id uuid,
        school_id uuid NOT NULL,
        hospital_id uuid NOT NULL,
        department_id uuid NOT NULL,
        block_id uuid NOT NULL,
        starts_on date NOT NULL,
        ends_on date NOT NULL,
        updated_at timestamptz NOT NULL
      );

      CREATE TABLE reminder_preference_window (
        window_id uuid PRIMARY KEY,
        school_id uuid NOT NULL,
        academic_year text NOT NULL,
        opens_at timestamptz NOT NULL,
        closes_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL
      );
      CREATE TABLE reminder_preference_submission (
        window_id uuid NOT NULL REFERENCES reminder_preference_window (window_id) ON DELETE CASCADE,
        student_id uuid NOT NULL,
        submitted_at timestamptz NOT NULL,
        PRIMARY KEY (window_id, student_id)
      );

      CREATE TABLE reminder_swap (
        swap_id uuid PRIMARY KEY,
        school_id uuid NOT NULL,
        status text NOT NULL,
        student_id uuid NOT NULL,
        department_id uuid NOT NULL,
        starts_on date NOT NULL,
        with_student_id uuid,
        with_department_id uuid,
        to_department_id uuid,
        updated_at timestamptz NOT NULL
      );

      CREATE TABLE reminder_digest (
        id uuid PRIMARY KEY,
        recipient_id uuid NOT NULL,
        local_day date NOT NULL,
        fire_at timestamptz NOT NULL,
        status text NOT NULL CHECK (status IN ('PLANNED', 'SENT', 'EMPTY')),
        sent_at timestamptz,
        task_count int
      );
      CREATE UNIQUE INDEX reminder_digest_day_key ON reminder_digest (recipient_id, local_day);
      CREATE INDEX reminder_digest_due_idx ON reminder_digest (fire_at) WHERE status = 'PLANNED';

      ALTER TABLE reminder_step ALTER COLUMN task_id DROP NOT NULL;
      ALTER TABLE reminder_step ADD COLUMN placement_id uuid REFERENCES reminder_placement (placement_id) ON DELETE CASCADE;
      ALTER TABLE reminder_step ADD COLUMN preference_window_id uuid REFERENCES reminder_preference_window (window_id) ON DELETE CASCADE;
      ALTER TABLE reminder_step ADD COLUMN swap_id uuid REFERENCES reminder_swap (swap_id) ON DELETE CASCADE;
      ALTER TABLE reminder_step ADD COLUMN digest_id uuid REFERENCES reminder_digest (id);
      ALTER TABLE reminder_step ADD CONSTRAINT reminder_step_subject_check
        CHECK (num_nonnulls(task_id, placement_id, preference_window_id, swap_id) = 1);
      CREATE INDEX reminder_step_swap_idx ON reminder_step (swap_id) WHERE swap_id IS NOT NULL;
      ALTER TABLE reminder_step DROP CONSTRAINT reminder_step_status_check;
      ALTER TABLE reminder_step ADD CONSTRAINT reminder_step_status_check CHECK (status IN ('PLANNED', 'DIGEST', 'FIRED', 'CANCELLED'));
      CREATE INDEX reminder_step_placement_idx ON reminder_step (placement_id) WHERE placement_id IS NOT NULL;
      CREATE INDEX reminder_step_digest_idx ON reminder_step (digest_id) WHERE status = 'DIGEST';
      CREATE UNIQUE INDEX reminder_step_planned_placement_key ON reminder_step (placement_id, step_key, recipient_id)
        WHERE status = 'PLANNED' AND placement_id IS NOT NULL;
      CREATE INDEX reminder_step_window_idx ON reminder_step (preference_window_id) WHERE preference_window_id IS NOT NULL;
      CREATE UNIQUE INDEX reminder_step_planned_window_key ON reminder_step (preference_window_id, step_key, recipient_id)
        WHERE status = 'PLANNED' AND preference_window_id IS NOT NULL;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DELETE FROM reminder_step WHERE placement_id IS NOT NULL OR preference_window_id IS NOT NULL OR swap_id IS NOT NULL;
      DROP INDEX reminder_step_swap_idx;
      UPDATE reminder_step SET status = 'CANCELLED', cancel_reason = 'DIGEST_REMOVED' WHERE status = 'DIGEST';
      DROP INDEX reminder_step_planned_window_key;
      DROP INDEX reminder_step_window_idx;
      DROP INDEX reminder_step_planned_placement_key;
      DROP INDEX reminder_step_digest_idx;
      DROP INDEX reminder_step_placement_idx;
      ALTER TABLE reminder_step DROP CONSTRAINT reminder_step_status_check;
      ALTER TABLE reminder_step ADD CONSTRAINT reminder_step_status_check CHECK (status IN ('PLANNED', 'FIRED', 'CANCELLED'));
      ALTER TABLE reminder_step DROP CONSTRAINT reminder_step_subject_check;
      ALTER TABLE reminder_step DROP COLUMN digest_id;
      ALTER TABLE reminder_step DROP COLUMN swap_id;
      ALTER TABLE reminder_step DROP COLUMN preference_window_id;
      ALTER TABLE reminder_step DROP COLUMN placement_id;
      ALTER TABLE reminder_step ALTER COLUMN task_id SET NOT NULL;
      DROP TABLE reminder_digest;
      DROP TABLE reminder_swap;
      DROP TABLE reminder_preference_submission;
      DROP TABLE reminder_preference_window;
      DROP TABLE reminder_placement;
      UPDATE reminder_task SET status = 'EXPIRED' WHERE status = 'WITHDRAWN';
      ALTER TABLE reminder_task DROP CONSTRAINT reminder_task_status_check;
      ALTER TABLE reminder_task ADD CONSTRAINT reminder_task_status_check CHECK (status IN ('OPEN', 'SUBMITTED', 'DECLINED', 'EXPIRED'));
    `);
  }
}
