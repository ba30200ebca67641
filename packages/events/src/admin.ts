import { z } from 'zod';
import { type DataSource } from 'typeorm';
import { BadUserInputError, ForbiddenError, isNetworkAdmin, parseInput, type RequestContext } from '@medcollab/kit';
import { listParked, type ParkedEventRecord, replayParked } from './parking';

/**
 * Value types of the event admin view. Identical text in every subgraph (`@shareable` value
 * types must match), so it is generated here. The subgraph must import `@shareable` in its
 * `@link` and declare `scalar DateTime`.
 */
export const EVENT_ADMIN_TYPES_SDL = `
"""Health of one service's event log: its outbox as a producer and its parked events as a consumer."""
type EventLogStatus @shareable {
  """The service this status describes."""
  service: String!
  """Deliveries written to the outbox and not yet published to the queue."""
  unpublishedCount: Int!
  """Age in seconds of the oldest unpublished delivery; null when every delivery is published."""
  oldestUnpublishedAgeSeconds: Int
  """Deliveries published but not yet seen as consumed by their consumer."""
  unconsumedCount: Int!
  """Events this service could not apply and that no replay has applied yet."""
  parkedCount: Int!
  """The most recently parked events, newest first (replayed ones included); first is 1 to 100."""
  parked(
    """How many to return, 1 to 100."""
    first: Int = 20
  ): [ParkedEvent!]!
}

"""An event a consumer failed to apply and set aside so that other aggregates go on."""
type ParkedEvent @shareable {
  """The event's id (unique across services)."""
  eventId: ID!
  """The service that produced the event."""
  source: String!
  """The event type, e.g. AgreementActivated."""
  eventType: String!
  """The last error, with the top of its stack."""
  error: String!
  """Attempts made before it was parked."""
  attempts: Int!
  """When it was (last) parked."""
  parkedAt: DateTime!
  """When an administrator asked for a replay; null while it is simply parked."""
  replayedAt: DateTime
}
`;

const capitalize = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** Root field names of one service's admin view (two subgraphs may not own one root field). */
export function eventAdminFieldNames(servicePrefix: string): { query: string; mutation: string } {
  if (!/^[a-z][A-Za-z0-9]*$/.test(servicePrefix)) throw new Error(`Invalid service prefix: ${servicePrefix}`);
  return { query: `${servicePrefix}Events`, mutation: `replay${capitalize(servicePrefix)}ParkedEvent` };
}

/**
 * The admin SDL of one service: the shared value types plus its own root fields, e.g. for
 * `network`: `networkEvents` and `replayNetworkParkedEvent`. Append it to the subgraph's SDL.
 */
export function EVENT_ADMIN_SDL(servicePrefix: string): string {
  const { query, mutation } = eventAdminFieldNames(servicePrefix);
  return `${EVENT_ADMIN_TYPES_SDL}
extend type Query {
  """Event log health of the ${servicePrefix} service (NETWORK_ADMIN only)."""
  ${query}: EventLogStatus!
}

extend type Mutation {
  """Applies a parked event of the ${servicePrefix} service again, once its cause is fixed (NETWORK_ADMIN only). Idempotent."""
  ${mutation}(
    """The id of the parked event to apply again."""
    eventId: ID!
  ): ParkedEvent!
}
`;
}

export interface EventLogStatus {
  service: string;
  unpublishedCount: number;
  oldestUnpublishedAgeSeconds: number | null;
  unconsumedCount: number;
  parkedCount: number;
  /** graphql-js calls function-valued properties with the field's arguments. */
  parked: (args: { first?: number | null }) => Promise<ParkedEventRecord[]>;
}

export const MAX_PARKED_PAGE = 100;

/** Counts of one service's event tables, plus a lazy list of its parked events. */
export async function eventLogStatus(service: string, dataSource: DataSource): Promise<EventLogStatus> {
  const [row] = (await dataSource.query(
    `SELECT
       (SELECT count(*)::int FROM outbox_delivery WHERE published_at IS NULL) AS unpublished,
       (SELECT extract(epoch FROM now() - min(o.occurred_at))::int
          FROM outbox_delivery d JOIN outbox o ON o.id = d.event_id WHERE d.published_at IS NULL) AS oldest,
       (SELECT count(*)::int FROM outbox_delivery WHERE published_at IS NOT NULL AND consumed_at IS NULL) AS unconsumed,
       (SELECT count(*)::int FROM parked_event WHERE applied_at IS NULL) AS parked`,
  )) as { unpublished: number; oldest: number | null; unconsumed: number; parked: number }[];
  return {
    service,
    unpublishedCount: row?.unpublished ?? 0,
    oldestUnpublishedAgeSeconds: row?.oldest ?? null,
    unconsumedCount: row?.unconsumed ?? 0,
    parkedCount: row?.parked ?? 0,
    parked: ({ first }) => {
      const n = first ?? 20;
      if (!Number.isInteger(n) || n < 1 || n > MAX_PARKED_PAGE) {
        return Promise.reject(new BadUserInputError(`first must be between 1 and ${MAX_PARKED_PAGE}`, { field: 'first' }));
      }
      return listParked(dataSource, n);
    },
  };
}

const replayInput = z.object({ eventId: z.uuid() });

function requireNetworkAdmin(ctx: RequestContext): void {
  if (!isNetworkAdmin(ctx.actor)) throw new ForbiddenError('Only a network administrator may see or replay events');
}

/**
 * Resolvers of one service's admin root fields; merge them into the subgraph's resolver map.
 * Replays only write to the database (the worker applies them), never to Redis.
 */
export function eventAdminResolvers<C extends RequestContext>(service: string, getDataSource: (ctx: C) => DataSource) {
  const { query, mutation } = eventAdminFieldNames(service);
  return {
    Query: {
      [query]: (_: unknown, __: unknown, ctx: C) => {
        requireNetworkAdmin(ctx);
        return eventLogStatus(service, getDataSource(ctx));
      },
    },
    Mutation: {
      [mutation]: (_: unknown, args: unknown, ctx: C) => {
        requireNetworkAdmin(ctx);
        const { eventId } = parseInput(replayInput, args);
        ctx.log.info({ eventId, service, actor: ctx.actor.personId }, 'replay of a parked event requested');
        return replayParked(getDataSource(ctx), eventId);
      },
    },
  };
}
