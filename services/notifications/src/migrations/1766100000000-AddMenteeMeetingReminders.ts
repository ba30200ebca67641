import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * The mentee-without-a-meeting reminder: notifications keeps each mentorship's mentor, school and
 * status (MentorshipChanged) and, per mentee, since when they are in it while ACTIVE and when they
 * last met their mentor (MentorshipMeetingLogged). A reminder step may now belong to a mentorship
 * and one of its mentees. Schools set the gap (weeks without a meeting before the mentor is
 * reminded) and the escalation delay (weeks more before the coordinators are told) in their policy.
 */
export class AddMenteeMeetingReminders1766100000000 implements MigrationInterface {
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE reminder_mentorship (
        mentorship_id uuid PRIMARY KEY,
        mentor_id uuid NOT NULL,
        school_id uuid,
        status text CHECK (status IN ('ACTIVE', 'PAUSED', 'ENDED')),
        updated_at timestamptz
      );
      CREATE INDEX reminder_mentorship_school_idx ON reminder_mentorship (school_id) WHERE status = 'ACTIVE';
      CREATE TABLE reminder_mentee (
        mentorship_id uuid NOT NULL REFERENCES reminder_mentorship (mentorship_id) ON DELETE CASCADE,
        student_id uuid NOT NULL,
        member boolean NOT NULL DEFAULT false,
        active_since timestamptz,
        last_met_on date,
        PRIMARY KEY (mentorship_id, student_id)
      );

      ALTER TABLE reminder_step ADD COLUMN mentorship_id uuid REFERENCES reminder_mentorship (mentorship_id) ON DELETE CASCADE;
      ALTER TABLE reminder_step ADD COLUMN mentee_id uuid;
      ALTER TABLE reminder_step ADD CONSTRAINT reminder_step_mentee_check CHECK ((mentorship_id IS NULL) = (mentee_id IS NULL));
      ALTER TABLE reminder_step DROP CONSTRAINT reminder_step_subject_check;
      ALTER TABLE reminder_step ADD CONSTRAINT reminder_step_subject_check
        CHECK (num_nonnulls(task_id, placement_id, preference_window_id, swap_id, mentorship_id) = 1);
      CREATE INDEX reminder_step_mentorship_idx ON reminder_step (mentorship_id, mentee_id) WHERE mentorship_id IS NOT NULL;
      CREATE UNIQUE INDEX reminder_step_planned_mentee_key ON reminder_step (mentorship_id, mentee_id, step_key, recipient_id)
        WHERE status = 'PLANNED' AND mentorship_id IS NOT NULL;

      ALTER TABLE reminder_policy ADD COLUMN mentee_meeting_gap_weeks int NOT NULL DEFAULT 6
        CHECK (mentee_meeting_gap_weeks BETWEEN 1 AND 52);
      ALTER TABLE reminder_policy ADD COLUMN mentee_meeting_escalation_weeks int NOT NULL DEFAULT 2
        CHECK (mentee_meeting_escalation_weeks BETWEEN 1 AND 52);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE reminder_policy DROP COLUMN mentee_meeting_escalation_weeks;
      ALTER TABLE reminder_policy DROP COLUMN mentee_meeting_gap_weeks;
      DELETE FROM reminder_step WHERE mentorship_id IS NOT NULL;
      DROP INDEX reminder_step_planned_mentee_key;
      DROP INDEX reminder_step_mentorship_idx;
      ALTER TABLE reminder_step DROP CONSTRAINT reminder_step_subject_check;
      ALTER TABLE reminder_step ADD CONSTRAINT reminder_step_subject_check
        CHECK (num_nonnulls(task_id, placement_id, preference_window_id, swap_id) = 1);
      ALTER TABLE reminder_step DROP CONSTRAINT reminder_step_mentee_check;
      ALTER TABLE reminder_step DROP COLUMN mentee_id;
      ALTER TABLE reminder_step DROP COLUMN mentorship_id;
      DROP TABLE reminder_mentee;
      DROP TABLE reminder_mentorship;
    `);
  }
}
