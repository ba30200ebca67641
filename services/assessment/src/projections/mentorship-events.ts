import { type MentorshipChanged, type PayloadOf } from '@medcollab/events';
import { type EntityManager } from 'typeorm';

/**
 * Mentor grants from the mentorship service's MentorshipChanged events (docs/architecture.md §4: mentors
 * see their mentees' records). Every event carries the mentorship's whole current state: its
 * rows are replaced with one per current mentee, and an ENDED mentorship keeps none. Events of
 * one mentorship arrive in order and the replacement is idempotent, so a redelivery changes nothing.
 */
export async function projectMentorshipChanged(em: EntityManager, p: PayloadOf<typeof MentorshipChanged>): Promise<void> {
  await em.query('DELETE FROM mentor_grant WHERE mentorship_id = $1', [p.mentorshipId]);
  if (p.status === 'ENDED' || p.menteeIds.length === 0) return;
  await em.query(
    `INSERT INTO mentor_grant (mentorship_id, mentor_id, student_id)
     SELECT $1, $2, s.student_id FROM unnest($3::uuid[]) AS s(student_id)
     ON CONFLICT (mentorship_id, student_id) DO NOTHING`,
    [p.mentorshipId, p.mentorId, p.menteeIds],
  );
}
