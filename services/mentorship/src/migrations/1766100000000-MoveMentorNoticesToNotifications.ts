import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Mentor notices moved to notifications (one inbox): mentorship now publishes MentorNoticeRaised
 * and keeps no notices, so the table goes. Down recreates it empty, as 1764500000002 left it
 * (the notices themselves live in notifications' inbox from then on).
 */
export class MoveMentorNoticesToNotifications1766100000000 implements MigrationInterface {
  async up(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE mentor_notice`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE mentor_notice (
        id uuid PRIMARY KEY,
        mentor_id uuid NOT NULL,
        kind text NOT NULL,
        student_id uuid NOT NULL,
        mentorship_id uuid NOT NULL REFERENCES mentorship (id) ON DELETE CASCADE,
        placement_id uuid,
        hospital_id uuid,
        department_id uuid,
        starts_on date,
        ends_on date,
        created_at timestamptz NOT NULL DEFAULT now(),
        submission_id uuid,
        task_id uuid,
        submission_version int,
        competency_ids uuid[],
        CONSTRAINT mentor_notice_kind_check CHECK (
          (kind = 'PLACEMENT_STARTED' AND placement_id IS NOT NULL AND hospital_id IS NOT NULL AND department_id IS NOT NULL
            AND starts_on IS NOT NULL AND ends_on IS NOT NULL AND submission_id IS NULL)
          OR (kind = 'SUMMATIVE_BELOW_EXPECTED' AND submission_id IS NOT NULL AND task_id IS NOT NULL AND submission_version >= 1
            AND cardinality(competency_ids) > 0 AND hospital_id IS NULL)),
        CONSTRAINT mentor_notice_submission_mentor_key UNIQUE (submission_id, mentor_id)
      )`);
    await q.query(`CREATE INDEX mentor_notice_mentor ON mentor_notice (mentor_id, created_at DESC)`);
    await q.query(
      `CREATE UNIQUE INDEX mentor_notice_placement_mentor ON mentor_notice (placement_id, mentor_id) WHERE kind = 'PLACEMENT_STARTED'`,
    );
  }
}
