import { randomUUID } from 'node:crypto';
import { type PayloadOf, type PlacementStarted } from '@medcollab/events';
import { type EntityManager } from 'typeorm';

/**
 * A mentor is told when a mentee's placement starts: one notice per mentor of the student's
 * open (ACTIVE or PAUSED) mentorships. The unique (placement, mentor) index of this kind keeps a
 * replayed event from telling anyone twice.
 */
export async function noticePlacementStarted(em: EntityManager, p: PayloadOf<typeof PlacementStarted>): Promise<void> {
  const rows = await openMentorshipsByMentor(em, p.studentId);
  for (const row of rows) {
    await em.query(
      `INSERT INTO mentor_notice (id, mentor_id, kind, student_id, mentorship_id, placement_id, hospital_id, department_id, starts_on, ends_on)
       VALUES ($1, $2, 'PLACEMENT_STARTED', $3, $4, $5, $6, $7, $8, $9)
       ON CONFLICT (placement_id, mentor_id) WHERE kind = 'PLACEMENT_STARTED' DO NOTHING`,
      [randomUUID(), row.mentor_id, p.studentId, row.id, p.placementId, p.hospitalId, p.departmentId, p.startsOn, p.endsOn],
    );
  }
}

/** Each mentor of the student's open (ACTIVE or PAUSED) mentorships once, with the newest such mentorship. */
export async function openMentorshipsByMentor(em: EntityManager, studentId: string): Promise<{ mentor_id: string; id: string }[]> {
  return (await em.query(
    `SELECT DISTINCT ON (m.mentor_id) m.mentor_id, m.id
       FROM mentorship m JOIN mentorship_mentee mm ON mm.mentorship_id = m.id
      WHERE mm.student_id = $1 AND m.status IN ('ACTIVE', 'PAUSED')
      ORDER BY m.mentor_id, m.created_at DESC`,
    [studentId],
  )) as { mentor_id: string; id: string }[];
}
