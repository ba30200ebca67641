import { randomUUID } from 'node:crypto';
import { type EntityManager } from 'typeorm';
import { type EventContract, type PayloadOf, parsePayload } from './contract';
import { consumersOf, ROUTES, type Routes } from './routes';
import { currentTraceCarrier } from './trace-context';

export interface AppendOptions {
  requestId?: string;
  actorId?: string;
  /**
   * The relay publishes this event's deliveries before the backlog (their first attempt is due
   * since forever): for an event that starts work someone waits for, such as a roster import's
   * job, which would otherwise wait behind the 100,000 deliveries of the import before it.
   * Order per aggregate does not depend on it (consumers follow each delivery's predecessor).
   * Not stored in the envelope's metadata; `append` only (appendMany writes bulk changes, never urgent).
   */
  publishFirst?: boolean;
  /**
   * The consumers this event is for, of those its type is routed to (ROUTES stays the list of who
   * may receive a type): a producer that writes one change as two events for different readers —
   * assessment's evaluation tasks, as they are for notifications and with the evaluator
   * pseudonymised for quality (ADR 0053). Kept in the event's metadata, so reconciling the routes
   * at a worker's start never adds a delivery to a consumer the event was not for. `append` only.
   */
  only?: readonly string[];
}

export interface Outbox {
  readonly source: string;
  /**
   * Writes an event in the caller's transaction (`em` must belong to it): the event exists
   * if and only if the change that caused it commits. Returns the event id.
   */
  append<C extends EventContract>(
    em: EntityManager,
    contract: C,
    aggregateId: string,
    payload: PayloadOf<C>,
    opts?: AppendOptions,
  ): Promise<string>;
  /**
   * Writes many events of one type, one per aggregate (the aggregates must differ), in two
   * statements: the same rows `append` would write, for bulk changes such as roster imports.
   * Returns the event ids in the order of `items`.
   */
  appendMany<C extends EventContract>(
    em: EntityManager,
    contract: C,
    items: readonly { aggregateId: string; payload: PayloadOf<C> }[],
    opts?: AppendOptions,
  ): Promise<string[]>;
}

/** What an event's metadata keeps of the append options (publishFirst is about its deliveries). */
function metaOf({ publishFirst: _publishFirst, ...meta }: AppendOptions): Omit<AppendOptions, 'publishFirst'> {
  return meta;
}

/** The outbox of one producing service; `routes` defaults to the network's routing table. */
export function createOutbox(source: string, routes: Routes = ROUTES): Outbox {
  return {
    source,
    async append(em, contract, aggregateId, payload, opts = {}) {
      if (!em.queryRunner?.isTransactionActive) {
        throw new Error(`Outbox.append(${contract.name}) must run inside a transaction`);
      }
      const valid = parsePayload(contract, payload);
      const meta = metaOf(opts);
      const publishFirst = opts.publishFirst ?? false;
      const id = randomUUID();
      // The sequence is taken under the unique (aggregate_type, aggregate_id, sequence) index:
      // two concurrent writers for one aggregate cannot both commit the same number.
      const [row] = (await em.query(
        `INSERT INTO outbox (id, event_type, event_version, aggregate_type, aggregate_id, sequence, payload, metadata)
         SELECT $1, $2, $3, $4, $5, COALESCE(MAX(sequence), 0) + 1, $6, $7
           FROM outbox WHERE aggregate_type = $4 AND aggregate_id = $5
         RETURNING sequence`,
        [
          id,
          contract.name,
          contract.version,
          contract.aggregateType,
          aggregateId,
          JSON.stringify(valid),
          JSON.stringify({ ...meta, ...currentTraceCarrier() }),
        ],
      )) as { sequence: number }[];
      const consumers = consumersOf(routes, contract.name).filter((c) => !opts.only || opts.only.includes(c));
      if (consumers.length) {
        // Each delivery names its predecessor: the latest earlier event of this aggregate routed
        // to the same consumer. Sequences commit in order (the unique index makes a concurrent
        // writer of the same number fail), so every earlier event is visible here.
        await em.query(
          `INSERT INTO outbox_delivery (event_id, consumer, previous_event_id, next_attempt_at)
           SELECT $1, c.consumer,
                  (SELECT d.event_id FROM outbox o JOIN outbox_delivery d ON d.event_id = o.id AND d.consumer = c.consumer
                    WHERE o.aggregate_type = $2 AND o.aggregate_id = $3 AND o.sequence < $4
                    ORDER BY o.sequence DESC LIMIT 1),
                  CASE WHEN $6::boolean THEN '-infinity'::timestamptz ELSE now() END
             FROM unnest($5::text[]) AS c(consumer)`,
          [id, contract.aggregateType, aggregateId, row!.sequence, consumers, publishFirst],
        );
      }
      return id;
    },
    async appendMany(em, contract, items, opts = {}) {
      if (!items.length) return [];
      if (!em.queryRunner?.isTransactionActive) {
        throw new Error(`Outbox.appendMany(${contract.name}) must run inside a transaction`);
      }
      const aggregateIds = items.map((i) => i.aggregateId);
      if (new Set(aggregateIds).size !== aggregateIds.length)
        throw new Error(`Outbox.appendMany(${contract.name}): one event per aggregate`);
      if (opts.only) throw new Error(`Outbox.appendMany(${contract.name}): 'only' is for append`);
      const payloads = items.map((i) => JSON.stringify(parsePayload(contract, i.payload)));
      const ids = items.map(() => randomUUID());
      await em.query(
        `INSERT INTO outbox (id, event_type, event_version, aggregate_type, aggregate_id, sequence, payload, metadata)
         SELECT u.id, $1, $2, $3, u.aggregate_id,
                COALESCE((SELECT MAX(o.sequence) FROM outbox o WHERE o.aggregate_type = $3 AND o.aggregate_id = u.aggregate_id), 0) + 1,
                u.payload::jsonb, $7
           FROM unnest($4::uuid[], $5::text[], $6::text[]) WITH ORDINALITY AS u(id, aggregate_id, payload, n)
          ORDER BY u.n`,
        [contract.name, contract.version, contract.aggregateType, ids, aggregateIds, payloads, JSON.stringify(metaOf(opts))],
      );
      const consumers = consumersOf(routes, contract.name);
      if (consumers.length) {
        // As in append: each delivery names the latest earlier delivery of its aggregate to the same consumer.
        await em.query(
          `INSERT INTO outbox_delivery (event_id, consumer, previous_event_id)
           SELECT e.id, c.consumer,
                  (SELECT d.event_id FROM outbox o JOIN outbox_delivery d ON d.event_id = o.id AND d.consumer = c.consumer
                    WHERE o.aggregate_type = e.aggregate_type AND o.aggregate_id = e.aggregate_id AND o.sequence < e.sequence
                    ORDER BY o.sequence DESC LIMIT 1)
             FROM outbox e CROSS JOIN unnest($2::text[]) AS c(consumer)
            WHERE e.id = ANY($1::uuid[])`,
          [ids, consumers],
        );
      }
      return ids;
    },
  };
}
