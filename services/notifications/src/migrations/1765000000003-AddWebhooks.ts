import { type MigrationInterface, type QueryRunner } from 'typeorm';

/** Institutions' webhook subscriptions and the log of every delivery to them. */
export class AddWebhooks1765000000003 implements MigrationInterface {
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE webhook_subscription (
        id uuid PRIMARY KEY,
        institution_id uuid NOT NULL,
        url text NOT NULL,
        event_kinds text[] NOT NULL,
        secret text NOT NULL,
        status text NOT NULL CHECK (status IN ('ACTIVE', 'DISABLED')),
        consecutive_failures int NOT NULL DEFAULT 0,
        created_by uuid NOT NULL,
        created_at timestamptz NOT NULL,
        disabled_at timestamptz
      );
      CREATE INDEX webhook_subscription_institution_idx ON webhook_subscription (institution_id);
      CREATE TABLE webhook_delivery (
        id uuid PRIMARY KEY,
        subscription_id uuid NOT NULL REFERENCES webhook_subscription (id) ON DELETE CASCADE,
        event_kind text NOT NULL,
        dedupe_key text NOT NULL,
        payload jsonb NOT NULL,
        status text NOT NULL CHECK (status IN ('PENDING', 'DELIVERED', 'FAILED')),
        attempts int NOT NULL DEFAULT 0,
        next_attempt_at timestamptz NOT NULL,
        last_status_code int,
        last_error text,
        delivered_at timestamptz,
        created_at timestamptz NOT NULL,
        UNIQUE (subscription_id, dedupe_key)
      );
      CREATE INDEX webhook_delivery_pending_idx ON webhook_delivery (next_attempt_at) WHERE status = 'PENDING';
      CREATE INDEX webhook_delivery_log_idx ON webhook_delivery (subscription_id, created_at DESC);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE webhook_delivery; DROP TABLE webhook_subscription;`);
  }
}
