import { randomBytes, randomUUID } from 'node:crypto';
import { lookup } from 'node:dns/promises';
import { BadUserInputError, type Connection, NotFoundError, toConnection } from '@medcollab/kit';
import { type DataSource, type EntityManager } from 'typeorm';
import { refuseTarget } from '../domain/webhook-target';

/** Event kinds an institution may subscribe to. */
export const WEBHOOK_EVENT_KINDS = [
  'assessment_task.reminder_fired',
  'assessment_task.escalated',
  'audit.chain_anchored',
  'mentor_notice.raised',
  'mentee_meeting.overdue',
] as const;
export type WebhookEventKind = (typeof WEBHOOK_EVENT_KINDS)[number];

export interface SubscriptionRow {
  id: string;
  institutionId: string;
  url: string;
  eventKinds: string[];
  status: 'ACTIVE' | 'DISABLED';
  consecutiveFailures: number;
  createdAt: Date;
  disabledAt: Date | null;
}

const SUBSCRIPTION_COLUMNS = `id, institution_id AS "institutionId", url, event_kinds AS "eventKinds", status,
  consecutive_failures AS "consecutiveFailures", created_at AS "createdAt", disabled_at AS "disabledAt"`;

/** What the URL's host resolves to now (all addresses: one private answer is enough to refuse). */
export async function resolveHost(url: string): Promise<string[]> {
  try {
    const host = new URL(url).hostname.replace(/^\[|\]$/g, '');
    return (await lookup(host, { all: true, verbatim: true })).map((a) => a.address);
  } catch {
    return [];
  }
}

/** BAD_USER_INPUT unless the URL is a public http(s) target (or any target in development). */
export async function assertTarget(url: string, allowPrivate: boolean): Promise<void> {
  const reason = refuseTarget(url, await resolveHost(url), allowPrivate);
  if (reason) throw new BadUserInputError(`url ${reason}`, { field: 'url' });
}

/** A new subscription with a fresh secret, returned this once (only its holder can verify signatures). */
export async function createSubscription(
  em: EntityManager,
  input: { institutionId: string; url: string; eventKinds: string[] },
  actorId: string,
  now: Date,
): Promise<{ subscription: SubscriptionRow; secret: string }> {
  const secret = `whsec_${randomBytes(32).toString('base64')}`;
  const id = randomUUID();
  await em.query(
    `INSERT INTO webhook_subscription (id, institution_id, url, event_kinds, secret, status, created_by, created_at)
     VALUES ($1, $2, $3, $4, $5, 'ACTIVE', $6, $7)`,
    [id, input.institutionId, input.url, [...new Set(input.eventKinds)], secret, actorId, now],
  );
  return { subscription: (await subscription(em, id))!, secret };
}

export async function subscription(em: EntityManager, id: string): Promise<SubscriptionRow | null> {
  const [row] = (await em.query(`SELECT ${SUBSCRIPTION_COLUMNS} FROM webhook_subscription WHERE id = $1`, [id])) as SubscriptionRow[];
  return row ?? null;
}

export function subscriptionsOf(ds: DataSource, institutionId: string): Promise<SubscriptionRow[]> {
  return ds.query(`SELECT ${SUBSCRIPTION_COLUMNS} FROM webhook_subscription WHERE institution_id = $1 ORDER BY created_at, id`, [
    institutionId,
  ]);
}

export interface DeliveryRow {
  id: string;
  subscriptionId: string;
  eventKind: string;
  status: 'PENDING' | 'DELIVERED' | 'FAILED';
  attempts: number;
  lastStatusCode: number | null;
  lastError: string | null;
  nextAttemptAt: Date;
  deliveredAt: Date | null;
  createdAt: Date;
}

/** The delivery log of a subscription, newest first. */
export async function deliveriesPage(
  ds: DataSource,
  subscriptionId: string,
  page: { limit: number; afterKey: string | null },
): Promise<Connection<DeliveryRow>> {
  const [at, id] = page.afterKey ? page.afterKey.split('|') : [null, null];
  const rows = (await ds.query(
    `SELECT id, subscription_id AS "subscriptionId", event_kind AS "eventKind", status, attempts, last_status_code AS "lastStatusCode",
            last_error AS "lastError", next_attempt_at AS "nextAttemptAt", delivered_at AS "deliveredAt", created_at AS "createdAt"
       FROM webhook_delivery WHERE subscription_id = $1 AND ($2::timestamptz IS NULL OR (created_at, id) < ($2::timestamptz, $3::uuid))
      ORDER BY created_at DESC, id DESC LIMIT $4`,
    [subscriptionId, at, id, page.limit + 1],
  )) as DeliveryRow[];
  return toConnection(rows, page.limit, (d) => `${d.createdAt.toISOString()}|${d.id}`);
}

/**
 * Queues an event for every active subscription of the institution that wants its kind, in the
 * caller's transaction (the event and its deliveries commit together); once per subscription and
 * dedupe key.
 */
export async function enqueueWebhooks(
  em: EntityManager,
  institutionId: string,
  kind: WebhookEventKind,
  dedupeKey: string,
  data: Record<string, unknown>,
  now: Date,
): Promise<void> {
  await em.query(
    `INSERT INTO webhook_delivery (id, subscription_id, event_kind, dedupe_key, payload, status, next_attempt_at, created_at)
     SELECT gen_random_uuid(), s.id, $2, $3, $4, 'PENDING', $5, $5
       FROM webhook_subscription s WHERE s.institution_id = $1 AND s.status = 'ACTIVE' AND $2 = ANY(s.event_kinds)
     ON CONFLICT (subscription_id, dedupe_key) DO NOTHING`,
    [institutionId, kind, dedupeKey, JSON.stringify({ type: kind, timestamp: now.toISOString(), data }), now],
  );
}

/** Sends a delivery again (after the receiver is fixed): back to PENDING, due now. */
export async function redeliver(em: EntityManager, deliveryId: string, now: Date): Promise<DeliveryRow & { institutionId: string }> {
  const [row] = (await em.query(
    `SELECT d.id, s.institution_id AS "institutionId" FROM webhook_delivery d JOIN webhook_subscription s ON s.id = d.subscription_id WHERE d.id = $1`,
    [deliveryId],
  )) as { id: string; institutionId: string }[];
  if (!row) throw new NotFoundError('Webhook delivery', deliveryId);
  await em.query(`UPDATE webhook_delivery SET status = 'PENDING', next_attempt_at = $2 WHERE id = $1`, [deliveryId, now]);
  const [d] = (await em.query(
    `SELECT id, subscription_id AS "subscriptionId", event_kind AS "eventKind", status, attempts, last_status_code AS "lastStatusCode",
            last_error AS "lastError", next_attempt_at AS "nextAttemptAt", delivered_at AS "deliveredAt", created_at AS "createdAt"
       FROM webhook_delivery WHERE id = $1`,
    [deliveryId],
  )) as DeliveryRow[];
  return { ...d!, institutionId: row.institutionId };
}

/** The institution a delivery or subscription belongs to (for the access check), null when unknown. */
export async function institutionOfSubscription(ds: DataSource, subscriptionId: string): Promise<string | null> {
  const [row] = (await ds.query(`SELECT institution_id FROM webhook_subscription WHERE id = $1`, [subscriptionId])) as {
    institution_id: string;
  }[];
  return row?.institution_id ?? null;
}

export async function institutionOfDelivery(ds: DataSource, deliveryId: string): Promise<string | null> {
  const [row] = (await ds.query(
    `SELECT s.institution_id FROM webhook_delivery d JOIN webhook_subscription s ON s.id = d.subscription_id WHERE d.id = $1`,
    [deliveryId],
  )) as { institution_id: string }[];
  return row?.institution_id ?? null;
}
