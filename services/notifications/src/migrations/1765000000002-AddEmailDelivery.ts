import { type MigrationInterface, type QueryRunner } from 'typeorm';

/** Per-person preferences, and the email of each notification sent over SMTP (written before the send). */
export class AddEmailDelivery1765000000002 implements MigrationInterface {
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE notification_preference (
        person_id uuid PRIMARY KEY,
        locale text NOT NULL DEFAULT 'en' CHECK (locale IN ('en', 'zh-CN')),
        email_off_kinds text[] NOT NULL DEFAULT '{}',
        in_app_off_kinds text[] NOT NULL DEFAULT '{}',
        digest boolean NOT NULL DEFAULT false,
        updated_at timestamptz NOT NULL
      );
      CREATE TABLE email_delivery (
        notification_id uuid PRIMARY KEY REFERENCES notification (id) ON DELETE CASCADE,
        to_address text NOT NULL,
        subject text NOT NULL,
        text_body text NOT NULL,
        html_body text NOT NULL,
        unsubscribe_url text NOT NULL,
        status text NOT NULL CHECK (status IN ('PENDING', 'SENT', 'FAILED')),
        attempts int NOT NULL DEFAULT 0,
        next_attempt_at timestamptz NOT NULL,
        sent_at timestamptz,
        last_error text
      );
      CREATE INDEX email_delivery_pending_idx ON email_delivery (next_attempt_at) WHERE status = 'PENDING';
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE email_delivery; DROP TABLE notification_preference;`);
  }
}
