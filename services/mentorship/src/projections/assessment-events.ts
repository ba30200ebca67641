import { randomUUID } from 'node:crypto';
import { type AssessmentSubmitted, type PayloadOf } from '@medcollab/events';
import { type EntityManager } from 'typeorm';
import { competenciesBelowExpected } from '../domain/assessment-level';
import { openMentorshipsByMentor } from './rotations-events';

/**
 * A mentor is told when a mentee's summative assessment comes back below the expected level
 * (src/domain/assessment-level.ts): one notice per mentor of the student's open (ACTIVE or
 * PAUSED) mentorships, naming the competencies below level. The unique (submission, mentor)
 * key means one notice per submission whatever its amendments and redeliveries: the first
 * version found below level writes it, and a later amendment that is still below level only
 * refreshes its competencies and version (an older version arriving late changes nothing).
 * An amendment back to the expected level leaves the notice as it is: the mentor was told.
 */
export async function noticeAssessmentSubmitted(em: EntityManager, p: PayloadOf<typeof AssessmentSubmitted>): Promise<void> {
  const below = competenciesBelowExpected(p);
  if (!below.length) return;
  for (const row of await openMentorshipsByMentor(em, p.studentId)) {
    await em.query(
      `INSERT INTO mentor_notice (id, mentor_id, kind, student_id, mentorship_id, placement_id, submission_id, task_id, submission_version, competency_ids)
       VALUES ($1, $2, 'SUMMATIVE_BELOW_EXPECTED', $3, $4, $5, $6, $7, $8, $9)
       ON CONFLICT (submission_id, mentor_id) DO UPDATE
         SET competency_ids = EXCLUDED.competency_ids, submission_version = EXCLUDED.submission_version
       WHERE mentor_notice.submission_version < EXCLUDED.submission_version`,
      [randomUUID(), row.mentor_id, p.studentId, row.id, p.placementId, p.submissionId, p.taskId, p.version, below],
    );
  }
}
