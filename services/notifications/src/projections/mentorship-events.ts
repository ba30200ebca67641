import { type EventEnvelope, type MentorNoticeRaised, type PayloadOf } from '@medcollab/events';
import { type EntityManager } from 'typeorm';
import { deliver } from '../data/deliver';
import { enqueueWebhooks } from '../data/webhooks';
import { type MentorNoticeFacts, mentorNoticeMessage } from '../domain/mentee-messages';
import { displayName } from '../domain/messages';
import { KnownDepartment, KnownInstitution, KnownPerson } from '../entities';
import { notificationSettings, type NotificationSettings } from '../settings';

let envSettings: NotificationSettings | undefined;

/**
 * Delivers a mentor notice (mentorship decided who is told and why): the mentor's inbox, email as
 * their preferences say, and the school's webhooks, named from notifications' own directory.
 * Once per (notice key, mentor): a redelivery, a repeated PlacementStarted or an amended
 * submission finds the message there and writes nothing (the unique dedupe key of the inbox).
 */
export async function notifyMentorNotice(
  em: EntityManager,
  e: EventEnvelope<PayloadOf<typeof MentorNoticeRaised>>,
  settings: NotificationSettings = (envSettings ??= notificationSettings()),
): Promise<void> {
  const n = e.payload;
  const mentee = await em.getRepository(KnownPerson).findOneBy({ id: n.studentId });
  const menteeName = displayName(mentee ?? undefined, 'your mentee');
  let facts: MentorNoticeFacts;
  if (n.kind === 'PLACEMENT_STARTED') {
    const department = n.departmentId ? await em.getRepository(KnownDepartment).findOneBy({ id: n.departmentId }) : null;
    const hospital = n.hospitalId ? await em.getRepository(KnownInstitution).findOneBy({ id: n.hospitalId }) : null;
    facts = {
      kind: 'PLACEMENT_STARTED',
      menteeName,
      departmentName: department?.name ?? 'a department',
      hospitalName: hospital?.name ?? 'a partner hospital',
      startsOn: n.startsOn ?? '',
      endsOn: n.endsOn ?? '',
    };
  } else {
    facts = { kind: 'SUMMATIVE_BELOW_EXPECTED', menteeName, instrumentKind: n.instrumentKind, competenciesBelow: n.competencyIds.length };
  }
  const dedupeKey = `mentor-notice:${n.noticeKey}`;
  // What a notice is about is the mentee (Notification.student); the message names the rest.
  const subject = { type: 'Student', id: n.studentId };
  const at = new Date(n.raisedAt);
  await deliver(em, n.mentorId, dedupeKey, (locale) => mentorNoticeMessage(facts, locale), subject, at, settings);
  const schoolId = n.schoolId ?? mentee?.institutionId ?? null;
  if (schoolId)
    await enqueueWebhooks(
      em,
      schoolId,
      'mentor_notice.raised',
      `${dedupeKey}:${n.mentorId}`,
      {
        kind: n.kind,
        mentorId: n.mentorId,
        mentorshipId: n.mentorshipId,
        studentId: n.studentId,
        placementId: n.placementId,
        submissionId: n.submissionId,
        taskId: n.taskId,
        raisedAt: n.raisedAt,
      },
      at,
    );
}
