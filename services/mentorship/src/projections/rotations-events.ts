import { randomUUID } from 'node:crypto';
import { MentorNoticeRaised, type PayloadOf, type PlacementStarted } from '@medcollab/events';
import { type EntityManager } from 'typeorm';
import { outbox } from '../outbox';

/**
 * A mentor is told when a mentee's placement starts: one MentorNoticeRaised per mentor of the
 * student's open (ACTIVE or PAUSED) mentorships, delivered by notifications. Its notice key is the
 * placement, so a replayed or repeated event tells nobody twice (notifications dedupes on it).
 */
export async function noticePlacementStarted(em: EntityManager, p: PayloadOf<typeof PlacementStarted>): Promise<void> {
  for (const row of await openMentorshipsByMentor(em, p.studentId)) {
    const noticeId = randomUUID();
    await outbox.append(em, MentorNoticeRaised, noticeId, {
      noticeId,
      kind: 'PLACEMENT_STARTED',
      noticeKey: `placement:${p.placementId}`,
      mentorId: row.mentor_id,
      mentorshipId: row.id,
      studentId: p.studentId,
      schoolId: row.school_id,
      placementId: p.placementId,
      hospitalId: p.hospitalId,
      departmentId: p.departmentId,
      startsOn: p.startsOn,
      endsOn: p.endsOn,
      submissionId: null,
      submissionVersion: null,
      taskId: null,
      instrumentKind: null,
      competencyIds: [],
      raisedAt: p.at,
    });
  }
}

/** Each mentor of the student's open (ACTIVE or PAUSED) mentorships once, with the newest such mentorship. */
export async function openMentorshipsByMentor(
  em: EntityManager,
  studentId: string,
): Promise<{ mentor_id: string; id: string; school_id: string }[]> {
  return (await em.query(
    `SELECT DISTINCT ON (m.mentor_id) m.mentor_id, m.id, m.school_id
       FROM mentorship m JOIN mentorship_mentee mm ON mm.mentorship_id = m.id
      WHERE mm.student_id = $1 AND m.status IN ('ACTIVE', 'PAUSED')
      ORDER BY m.mentor_id, m.created_at DESC`,
    [studentId],
  )) as { mentor_id: string; id: string; school_id: string }[];
}
