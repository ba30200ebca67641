import { randomUUID } from 'node:crypto';
import { type AssessmentSubmitted, MentorNoticeRaised, type PayloadOf } from '@medcollab/events';
import { type EntityManager } from 'typeorm';
import { competenciesBelowExpected } from '../domain/assessment-level';
import { outbox } from '../outbox';
import { openMentorshipsByMentor } from './rotations-events';

/**
 * A mentor is told when a mentee's summative assessment comes back below the expected level
 * (src/domain/assessment-level.ts): one MentorNoticeRaised per mentor of the student's open
 * (ACTIVE or PAUSED) mentorships, naming the competencies below level. Its notice key is the
 * submission, so notifications tells each mentor once per submission whatever its amendments and
 * redeliveries: the first version found below level tells, later ones find the mentor told. An
 * amendment back to the expected level raises nothing: the mentor was told.
 */
export async function noticeAssessmentSubmitted(em: EntityManager, p: PayloadOf<typeof AssessmentSubmitted>): Promise<void> {
  const below = competenciesBelowExpected(p);
  if (!below.length) return;
  for (const row of await openMentorshipsByMentor(em, p.studentId)) {
    const noticeId = randomUUID();
    await outbox.append(em, MentorNoticeRaised, noticeId, {
      noticeId,
      kind: 'SUMMATIVE_BELOW_EXPECTED',
      noticeKey: `submission:${p.submissionId}`,
      mentorId: row.mentor_id,
      mentorshipId: row.id,
      studentId: p.studentId,
      schoolId: row.school_id,
      placementId: p.placementId,
      hospitalId: null,
      departmentId: null,
      startsOn: null,
      endsOn: null,
      submissionId: p.submissionId,
      submissionVersion: p.version,
      taskId: p.taskId,
      instrumentKind: p.instrumentKind,
      competencyIds: below,
      raisedAt: p.submittedAt,
    });
  }
}
