import { type DataSource, type EntityManager } from 'typeorm';
import { type ContractMap, type EventEnvelope, type EventJobData, type PayloadOf, validateEnvelope, InvalidEventError } from './contract';
import { EVENT_CONTRACTS } from './contracts';
import { type ApplyOutcome, type EventHandler, type Handlers } from './consumer';

/** Applies many events of one type in one go (a few statements for the lot) inside the batch's transaction. */
export type BatchEventHandler<P = unknown> = (em: EntityManager, envelopes: EventEnvelope<P>[]) => Promise<void>;

export type BatchHandlers<C extends ContractMap> = { [K in keyof C & string]?: BatchEventHandler<PayloadOf<C[K]>> };

export interface BatchApplyOptions<C extends ContractMap> {
  dataSource: DataSource;
  handlers: NoInfer<Handlers<C>>;
  /** Types that have a set-at-a-time handler; the others are applied one by one, in order, in the same transaction. */
  batchHandlers?: NoInfer<BatchHandlers<C>>;
  contracts?: C;
}

/**
 * Applies a batch of events with the consumer's exactly-once rule, in ONE transaction: one
 * multi-row inbox insert (an event already in the inbox is a duplicate and has no second effect;
 * an event whose predecessor is not in the inbox yet is left waiting), then the effects of the
 * events it inserted, consecutive events of a type with a batch handler together. Either every
 * inserted event's inbox row and effect commit, or none do (the caller then applies them one by
 * one, with the consumer's retry and parking). An invalid envelope throws before anything is written.
 */
export async function applyEventBatch<C extends ContractMap = typeof EVENT_CONTRACTS>(
  opts: BatchApplyOptions<C>,
  items: EventJobData[],
): Promise<ApplyOutcome[]> {
  const contracts: ContractMap = opts.contracts ?? EVENT_CONTRACTS;
  const handlers = opts.handlers as Partial<Record<string, EventHandler>>;
  const batchHandlers = (opts.batchHandlers ?? {}) as Partial<Record<string, BatchEventHandler>>;
  const envelopes = items.map((item) => {
    const envelope = validateEnvelope(contracts, item.envelope);
    if (!Object.hasOwn(handlers, envelope.type) && !Object.hasOwn(batchHandlers, envelope.type))
      throw new InvalidEventError(`no handler for ${envelope.type}`);
    return envelope;
  });
  if (!items.length) return [];
  return opts.dataSource.transaction(async (em) => {
    const inserted = (await em.query(
      `INSERT INTO inbox (event_id, source, event_type, aggregate_type, aggregate_id, sequence)
       SELECT e.id, e.source, e.type, e.aggregate_type, e.aggregate_id, e.sequence
         FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::int[], $7::uuid[])
              AS e(id, source, type, aggregate_type, aggregate_id, sequence, previous)
        WHERE e.previous IS NULL OR EXISTS (SELECT 1 FROM inbox i WHERE i.event_id = e.previous)
       ON CONFLICT (event_id) DO NOTHING
       RETURNING event_id`,
      [
        envelopes.map((e) => e.id),
        envelopes.map((e) => e.source),
        envelopes.map((e) => e.type),
        envelopes.map((e) => e.aggregateType),
        envelopes.map((e) => e.aggregateId),
        envelopes.map((e) => e.sequence),
        items.map((i) => i.previousEventId),
      ],
    )) as { event_id: string }[];
    const fresh = new Set(inserted.map((r) => r.event_id));
    // The same event twice in one batch: its first occurrence applies, the second is a duplicate.
    const outcomes: (ApplyOutcome | undefined)[] = envelopes.map((e) => (fresh.delete(e.id) ? 'applied' : undefined));
    const rest = envelopes.filter((_, i) => outcomes[i] === undefined).map((e) => e.id);
    const seen = rest.length
      ? new Set(
          ((await em.query(`SELECT event_id FROM inbox WHERE event_id = ANY($1::uuid[])`, [rest])) as { event_id: string }[]).map(
            (r) => r.event_id,
          ),
        )
      : new Set<string>();
    for (let i = 0; i < envelopes.length; i++) {
      if (outcomes[i] !== 'applied') continue;
      const type = envelopes[i]!.type;
      const batch = batchHandlers[type];
      if (!batch) {
        await handlers[type]!(em, envelopes[i]!);
        continue;
      }
      // A run of consecutive applied events of this type goes to its batch handler at once.
      const run: EventEnvelope[] = [];
      let j = i;
      for (; j < envelopes.length && (outcomes[j] !== 'applied' || envelopes[j]!.type === type); j++)
        if (outcomes[j] === 'applied') run.push(envelopes[j]!);
      await batch(em, run);
      i = j - 1;
    }
    return outcomes.map((o, i) => o ?? (seen.has(envelopes[i]!.id) ? 'duplicate' : 'waiting'));
  });
}
