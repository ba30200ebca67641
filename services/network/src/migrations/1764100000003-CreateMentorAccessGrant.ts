import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Mentors' access to their mentees, derived from the mentorship service's MentorshipChanged
 * events: one row per mentee of a mentorship that has not ended. Each event replaces the
 * mentorship's rows with its current mentees; ENDED removes them.
 */
export class CreateMentorAccessGrant1764100000003 implements MigrationInterface {
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE mentor_access_grant (
        mentorship_id uuid NOT NULL,
        mentor_id uuid NOT NULL,
        student_id uuid NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (mentorship_id, student_id)
      )`);
    await q.query(`CREATE INDEX mentor_access_grant_student ON mentor_access_grant (student_id, mentor_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE mentor_access_grant');
  }
}
