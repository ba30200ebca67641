import { type EVENT_CONTRACTS, type EventEnvelope, type Handlers, type MentorshipChanged, type PayloadOf } from '@medcollab/events';
import { type EntityManager } from 'typeorm';

/**
 * Mentor access grants from the mentorship service's MentorshipChanged events. Every event
 * carries the mentorship's current mentor, mentees and status: the mentorship's rows are
 * replaced with one per current mentee, and an ENDED mentorship keeps none. Events of one
 * mentorship arrive in order, and the replacement is idempotent, so a redelivery changes nothing.
 */
export async function applyMentorGrant(em: EntityManager, p: PayloadOf<typeof MentorshipChanged>): Promise<void> {
  await em.query('DELETE FROM mentor_access_grant WHERE mentorship_id = $1', [p.mentorshipId]);
  if (p.status === 'ENDED' || p.menteeIds.length === 0) return;
  // Deactivated people hold no grant (their deactivation removed it; a later event does not bring it back).
  await em.query(
    `INSERT INTO mentor_access_grant (mentorship_id, mentor_id, student_id, updated_at)
     SELECT $1, $2, s.student_id, now() FROM unnest($3::uuid[]) AS s(student_id)
      WHERE NOT EXISTS (SELECT 1 FROM student st WHERE st.id = s.student_id AND st.status <> 'ACTIVE')
        AND NOT EXISTS (SELECT 1 FROM staff_member m WHERE m.id = $2 AND m.status <> 'ACTIVE')
     ON CONFLICT (mentorship_id, student_id) DO NOTHING`,
    [p.mentorshipId, p.mentorId, p.menteeIds],
  );
}

const grant = (em: EntityManager, envelope: EventEnvelope<PayloadOf<typeof MentorshipChanged>>) => applyMentorGrant(em, envelope.payload);

/** The network worker's handlers for mentorship events (src/worker.ts). */
export const mentorGrantHandlers: Handlers<typeof EVENT_CONTRACTS> = {
  MentorshipChanged: grant,
};
