import { type QueryRunner } from 'typeorm';

/**
 * The outbox and inbox tables every service has in its own database. A service includes
 * them through its own migration file (so its migration history stays its own) and calls
 * these from `up` / `down`. See docs/adr/0003-events-outbox-inbox.md for the design.
 */
export async function createEventTables(q: QueryRunner): Promise<void> {
  // Producer side: one row per event, written in the transaction of the change.
  await q.query(`
    CREATE TABLE outbox (
      id uuid PRIMARY KEY,
      position bigserial NOT NULL UNIQUE,
      event_type text NOT NULL,
      event_version int NOT NULL,
      aggregate_type text NOT NULL,
      aggregate_id text NOT NULL,
      sequence int NOT NULL,
      payload jsonb NOT NULL,
      metadata jsonb NOT NULL DEFAULT '{}',
      occurred_at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT outbox_aggregate_sequence UNIQUE (aggregate_type, aggregate_id, sequence)
    )`);
  // One row per (event, consuming service): the relay publishes these to `events.<consumer>`.
  // previous_event_id is the event of the same aggregate delivered to the same consumer just
  // before this one; the consumer applies an event only once its predecessor is in its inbox.
  await q.query(`
    CREATE TABLE outbox_delivery (
      event_id uuid NOT NULL REFERENCES outbox (id) ON DELETE CASCADE,
      consumer text NOT NULL,
      previous_event_id uuid,
      published_at timestamptz,
      publish_attempts int NOT NULL DEFAULT 0,
      next_attempt_at timestamptz NOT NULL DEFAULT now(),
      last_error text,
      consumed_at timestamptz,
      PRIMARY KEY (event_id, consumer)
    )`);
  await q.query(`CREATE INDEX outbox_delivery_unpublished ON outbox_delivery (next_attempt_at) WHERE published_at IS NULL`);
  await q.query(
    `CREATE INDEX outbox_delivery_unconsumed ON outbox_delivery (published_at, event_id, consumer)
      WHERE published_at IS NOT NULL AND consumed_at IS NULL`,
  );
  // Consumer side: the ids of applied events, inserted in the transaction of the effect.
  await q.query(`
    CREATE TABLE inbox (
      event_id uuid PRIMARY KEY,
      source text NOT NULL,
      event_type text NOT NULL,
      aggregate_type text NOT NULL,
      aggregate_id text NOT NULL,
      sequence int NOT NULL,
      processed_at timestamptz NOT NULL DEFAULT now()
    )`);
  // Events this service failed to apply N times (or could never apply). replayed_at: an admin
  // asked for a replay (the worker picks it up); applied_at: the replay applied it.
  await q.query(`
    CREATE TABLE parked_event (
      event_id uuid PRIMARY KEY,
      source text NOT NULL,
      event_type text NOT NULL,
      aggregate_type text NOT NULL,
      aggregate_id text NOT NULL,
      envelope jsonb NOT NULL,
      previous_event_id uuid,
      error text NOT NULL,
      attempts int NOT NULL,
      parked_at timestamptz NOT NULL DEFAULT now(),
      replayed_at timestamptz,
      applied_at timestamptz
    )`);
  await q.query(
    `CREATE INDEX parked_event_replay_pending ON parked_event (replayed_at) WHERE replayed_at IS NOT NULL AND applied_at IS NULL`,
  );
  await q.query(`CREATE INDEX parked_event_recent ON parked_event (parked_at DESC)`);
}

export async function dropEventTables(q: QueryRunner): Promise<void> {
  await q.query('DROP TABLE parked_event');
  await q.query('DROP TABLE inbox');
  await q.query('DROP TABLE outbox_delivery');
  await q.query('DROP TABLE outbox');
}
