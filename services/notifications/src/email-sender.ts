import nodemailer from 'nodemailer';
import { backoffDelay, startLoop, type WorkerTask } from '@medcollab/events';
import { type DataSource } from 'typeorm';
import { recordEmailSent } from './data/disclosures';
import { type NotificationSettings } from './settings';

export interface EmailSenderSettings {
  intervalMs: number;
  batch: number;
  maxAttempts: number;
  retryBaseMs: number;
  retryMaxMs: number;
}

export const DEFAULT_EMAIL_SETTINGS: EmailSenderSettings = {
  intervalMs: 1_000,
  batch: 50,
  maxAttempts: 12,
  retryBaseMs: 5_000,
  retryMaxMs: 3_600_000,
};

interface PendingEmail {
  notification_id: string;
  to_address: string;
  subject: string;
  text_body: string;
  html_body: string;
  unsubscribe_url: string;
  attempts: number;
}

type Transport = ReturnType<typeof nodemailer.createTransport>;

/**
 * Sends a batch of pending emails, each in its own short transaction that holds its row (so two
 * senders never take the same email) and records the outcome: SENT, or a 4xx / connection failure
 * retried later with backoff, or FAILED after a permanent 5xx or too many attempts. The
 * Message-ID is the notification's id, so the rare resend after a crash between the server's
 * "250 OK" and our commit is recognisable as the same message by any mail store.
 */
export async function sendPendingEmails(
  ds: DataSource,
  transport: Transport,
  from: string,
  s: EmailSenderSettings,
  now = new Date(),
): Promise<number> {
  let sent = 0;
  // An email that failed in this pass waits for its backoff, not for the next iteration.
  const tried: string[] = [];
  for (let i = 0; i < s.batch; i++) {
    const outcome = await ds.transaction(async (em) => {
      const [row] = (await em.query(
        `SELECT notification_id, to_address, subject, text_body, html_body, unsubscribe_url, attempts FROM email_delivery
          WHERE status = 'PENDING' AND next_attempt_at <= $1 AND NOT (notification_id = ANY($2::uuid[]))
          ORDER BY next_attempt_at LIMIT 1 FOR UPDATE SKIP LOCKED`,
        [now, tried],
      )) as PendingEmail[];
      if (!row) return 'NONE';
      tried.push(row.notification_id);
      try {
        await transport.sendMail({
          from,
          to: row.to_address,
          subject: row.subject,
          text: row.text_body,
          html: row.html_body,
          messageId: `<${row.notification_id}@medcollab.notifications>`,
          // RFC 8058 one-click: the mail client POSTs List-Unsubscribe=One-Click to the URL.
          list: { unsubscribe: { url: row.unsubscribe_url, comment: 'Unsubscribe' } },
          headers: { 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
        });
        const sentAt = new Date();
        await em.query(`UPDATE email_delivery SET status = 'SENT', sent_at = $2, attempts = attempts + 1 WHERE notification_id = $1`, [
          row.notification_id,
          sentAt,
        ]);
        // An email about a student showed the recipient part of that student's record (ADR 0028).
        await recordEmailSent(em, row.notification_id, sentAt);
        return 'SENT';
      } catch (error) {
        const code = (error as { responseCode?: number }).responseCode;
        const permanent = (code !== undefined && code >= 500) || row.attempts + 1 >= s.maxAttempts;
        const delay = backoffDelay(row.attempts + 1, { baseMs: s.retryBaseMs, maxMs: s.retryMaxMs });
        await em.query(
          `UPDATE email_delivery SET attempts = attempts + 1, last_error = $2, status = $3, next_attempt_at = $4 WHERE notification_id = $1`,
          [
            row.notification_id,
            String((error as Error).message).slice(0, 500),
            permanent ? 'FAILED' : 'PENDING',
            new Date(Date.now() + delay),
          ],
        );
        return 'RETRY';
      }
    });
    if (outcome === 'NONE') break;
    if (outcome === 'SENT') sent++;
  }
  return sent;
}

/** The email task of the notifications worker: a loop over pending emails, sent over SMTP with nodemailer. */
export function emailTask(settings: NotificationSettings, overrides: Partial<EmailSenderSettings> = {}): WorkerTask {
  const s = { ...DEFAULT_EMAIL_SETTINGS, ...overrides };
  return {
    name: 'email',
    start({ dataSource, log }) {
      const transport = nodemailer.createTransport(settings.smtpUrl);
      const loop = startLoop({
        name: 'email-sender',
        log,
        intervalMs: s.intervalMs,
        run: async () => (await sendPendingEmails(dataSource, transport, settings.mailFrom, s)) >= s.batch,
      });
      return {
        async stop() {
          await loop.stop();
          transport.close();
        },
      };
    },
  };
}
