import { type DataSource } from 'typeorm';
import { type Routes } from './routes';

/**
 * Deliveries are written with the event, from the routing table of the code that wrote it.
 * When a release adds a consumer to an event type, the events written before it have no
 * delivery for that consumer, and the new consumer would never learn the history it needs
 * (e.g. the students registered before rotations existed). The producer's worker calls this
 * at start: it adds the missing deliveries and re-threads the per-aggregate predecessor chain
 * of that consumer's unpublished deliveries so the history is applied first, in order.
 * Returns how many deliveries it added per consumer.
 */
export async function reconcileRoutes(dataSource: DataSource, routes: Routes): Promise<Record<string, number>> {
  const typesByConsumer = new Map<string, string[]>();
  for (const [eventType, consumers] of Object.entries(routes)) {
    for (const consumer of new Set(consumers ?? [])) typesByConsumer.set(consumer, [...(typesByConsumer.get(consumer) ?? []), eventType]);
  }
  const added: Record<string, number> = {};
  for (const [consumer, types] of typesByConsumer) {
    added[consumer] = await dataSource.transaction(async (em) => {
      const inserted = (await em.query(
        `INSERT INTO outbox_delivery (event_id, consumer)
         SELECT o.id, $1 FROM outbox o
          WHERE o.event_type = ANY($2::text[])
            -- An event written for some of its type's consumers only (AppendOptions.only) stays theirs.
            AND (o.metadata->'only' IS NULL OR o.metadata->'only' @> jsonb_build_array($1::text))
            AND NOT EXISTS (SELECT 1 FROM outbox_delivery d WHERE d.event_id = o.id AND d.consumer = $1)
         RETURNING event_id`,
        [consumer, types],
      )) as unknown[];
      if (inserted.length === 0) return 0;
      // Deliveries already published carry their predecessor in the job; only the rest can change.
      await em.query(
        `UPDATE outbox_delivery d SET previous_event_id = chain.prev
           FROM (SELECT d2.event_id,
                        lag(d2.event_id) OVER (PARTITION BY o.aggregate_type, o.aggregate_id ORDER BY o.sequence) AS prev
                   FROM outbox_delivery d2 JOIN outbox o ON o.id = d2.event_id
                  WHERE d2.consumer = $1) chain
          WHERE d.consumer = $1 AND d.event_id = chain.event_id AND d.published_at IS NULL
            AND d.previous_event_id IS DISTINCT FROM chain.prev`,
        [consumer],
      );
      return inserted.length;
    });
  }
  return added;
}
