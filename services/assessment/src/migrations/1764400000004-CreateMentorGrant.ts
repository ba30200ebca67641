import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Mentors' read access to their mentees' assessment records, derived from the mentorship
 * service's MentorshipChanged events: one row per current mentee of a mentorship that has not
 * ended. Each event replaces the mentorship's rows with its current mentees; ENDED removes them.
 */
export class CreateMentorGrant1764400000004 implements MigrationInterface {
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE mentor_grant (
        mentorship_id uuid NOT NULL,
        mentor_id uuid NOT NULL,
        student_id uuid NOT NULL,
        PRIMARY KEY (mentorship_id, student_id)
      )`);
    await q.query(`CREATE INDEX mentor_grant_student ON mentor_grant (student_id, mentor_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE mentor_grant');
  }
}
