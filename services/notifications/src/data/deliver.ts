import { randomUUID } from 'node:crypto';
import { type EntityManager } from 'typeorm';
import { renderEmail } from '../domain/email';
import { type Locale, type Message, type NotificationKind } from '../domain/messages';
import { unsubscribeToken } from '../domain/unsubscribe-token';
import { type NotificationSettings } from '../settings';

export interface Preference {
  locale: Locale;
  emailOffKinds: string[];
  inAppOffKinds: string[];
  digest: boolean;
}

export const DEFAULT_PREFERENCE: Preference = { locale: 'en', emailOffKinds: [], inAppOffKinds: [], digest: false };

export async function preferenceOf(em: EntityManager, personId: string): Promise<Preference> {
  const [row] = (await em.query(
    `SELECT locale, email_off_kinds AS "emailOffKinds", in_app_off_kinds AS "inAppOffKinds", digest FROM notification_preference WHERE person_id = $1`,
    [personId],
  )) as Preference[];
  return row ?? DEFAULT_PREFERENCE;
}

async function insertNotification(
  em: EntityManager,
  recipientId: string,
  channel: 'IN_APP' | 'EMAIL',
  dedupeKey: string,
  message: Message,
  subject: { type: string; id: string } | null,
  now: Date,
): Promise<string | null> {
  const rows = (await em.query(
    `INSERT INTO notification (id, recipient_id, kind, channel, dedupe_key, title, body, subject_type, subject_id, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT DO NOTHING RETURNING id`,
    [
      randomUUID(),
      recipientId,
      message.kind,
      channel,
      dedupeKey,
      message.title,
      message.body,
      subject?.type ?? null,
      subject?.id ?? null,
      now,
    ],
  )) as { id: string }[];
  return rows[0]?.id ?? null;
}

/**
 * Delivers one message to one person on the channels their preferences allow, once per
 * (dedupe key, recipient, channel): the inbox row, and for email a row of its own plus the
 * rendered email, written here in the caller's transaction BEFORE any SMTP conversation (the
 * email sender picks it up). A second call with the same key writes nothing.
 */
export async function deliver(
  em: EntityManager,
  recipientId: string,
  dedupeKey: string,
  compose: (locale: Locale) => Message,
  subject: { type: string; id: string } | null,
  now: Date,
  settings: NotificationSettings,
): Promise<void> {
  const preference = await preferenceOf(em, recipientId);
  const message = compose(preference.locale);
  if (!preference.inAppOffKinds.includes(message.kind))
    await insertNotification(em, recipientId, 'IN_APP', dedupeKey, message, subject, now);
  if (preference.emailOffKinds.includes(message.kind)) return;
  const [person] = (await em.query(`SELECT email FROM known_person WHERE id = $1`, [recipientId])) as { email: string | null }[];
  if (!person?.email) return;
  const id = await insertNotification(em, recipientId, 'EMAIL', dedupeKey, message, subject, now);
  if (!id) return;
  const token = unsubscribeToken({ personId: recipientId, kind: message.kind as NotificationKind }, settings.secret);
  const unsubscribeUrl = `${settings.publicUrl}/unsubscribe?token=${encodeURIComponent(token)}`;
  const email = renderEmail(message, { inboxUrl: settings.inboxUrl, unsubscribeUrl }, preference.locale);
  await em.query(
    `INSERT INTO email_delivery (notification_id, to_address, subject, text_body, html_body, unsubscribe_url, status, next_attempt_at)
     VALUES ($1, $2, $3, $4, $5, $6, 'PENDING', $7)`,
    [id, person.email, email.subject, email.text, email.html, unsubscribeUrl, now],
  );
}
