import { auditSink } from '@medcollab/events';
import { type AuditBatch, ROLES, type Role } from '@medcollab/kit';
import { type EntityManager } from 'typeorm';

/**
 * A notification about a student that leaves the system — an email to its recipient, a webhook to
 * the school's endpoint — shows that student's record to someone outside the API, where no
 * resolver records it (ADR 0028). Each delivery is recorded as a READ of the student's record,
 * in the transaction that marks it sent: committed with the send's outcome, so an attempt that
 * failed records nothing and the one that went out records once, however many retries it took.
 * The batch goes through notifications' outbox, like the inbox's reads.
 */
const sink = auditSink();
const KNOWN_ROLES: ReadonlySet<string> = new Set(ROLES);

const write = (em: EntityManager, batch: AuditBatch) => sink.appendChanges(em, batch);

/**
 * An email about a student (a mentor notice, a mentee-without-a-meeting reminder): the recipient
 * read the message's title and body. The student's school comes from notifications' directory; a
 * student it does not know names no chain and is not recorded (as in the inbox, `audited.ts`).
 */
export async function recordEmailSent(em: EntityManager, notificationId: string, at: Date): Promise<void> {
  const [n] = (await em.query(
    `SELECT n.id, n.kind, n.recipient_id, n.subject_id, s.institution_id AS school_id, r.institution_id AS recipient_institution_id,
            COALESCE(r.roles, '{}') AS recipient_roles
       FROM notification n JOIN known_person s ON s.id = n.subject_id LEFT JOIN known_person r ON r.id = n.recipient_id
      WHERE n.id = $1 AND n.subject_type = 'Student'`,
    [notificationId],
  )) as {
    id: string;
    kind: string;
    recipient_id: string;
    subject_id: string;
    school_id: string;
    recipient_institution_id: string | null;
    recipient_roles: string[];
  }[];
  if (!n) return;
  await write(em, {
    requestId: `email-${n.id}`,
    operation: `email:${n.kind}`,
    actor: {
      personId: n.recipient_id,
      institutionId: n.recipient_institution_id,
      roles: n.recipient_roles.filter((r): r is Role => KNOWN_ROLES.has(r)),
    },
    at: at.toISOString(),
    entries: [
      {
        action: 'READ',
        recordType: 'Notification',
        recordId: n.id,
        studentId: n.subject_id,
        schoolId: n.school_id,
        fields: ['body', 'title'],
        change: null,
        reason: null,
      },
    ],
  });
}

/** A webhook delivery as the sender holds it. */
export interface SentWebhook {
  id: string;
  subscription_id: string;
  institution_id: string;
  payload: unknown;
}

/**
 * A `mentor_notice.raised` delivery: the school's endpoint was sent which student the notice is
 * about and the fields of the notice it carries. The endpoint is no person: the entry's actor is
 * the subscription (`webhook-subscription:<id>`, its institution, no roles), like a calendar feed's.
 * The chain is the school's: notices go to the subscriptions of the student's school.
 */
export async function recordWebhookDelivered(em: EntityManager, d: SentWebhook, at: Date): Promise<void> {
  const payload = d.payload as { type?: unknown; data?: Record<string, unknown> };
  const studentId = payload.data?.studentId;
  if (payload.type !== 'mentor_notice.raised' || typeof studentId !== 'string') return;
  const fields = Object.entries(payload.data!)
    .filter(([, v]) => v !== null && v !== undefined)
    .map(([k]) => k)
    .sort();
  await write(em, {
    requestId: `webhook-${d.id}`,
    operation: 'mentor_notice.raised',
    actor: { personId: `webhook-subscription:${d.subscription_id}`, institutionId: d.institution_id, roles: [] },
    at: at.toISOString(),
    entries: [
      {
        action: 'READ',
        recordType: 'WebhookDelivery',
        recordId: d.id,
        studentId,
        schoolId: d.institution_id,
        fields,
        change: null,
        reason: null,
      },
    ],
  });
}
