import { type DataSource, type EntityManager } from 'typeorm';
import { accumulate, type CellDelta } from '../domain/cells';
import { type Contribution, ROLLUP_AGGREGATES, type RollupSettings } from '../domain/contributions';
import { applyDeltas } from './apply-deltas';
import { toStored } from './recompute';

const BATCH = 2_000;

/**
 * Rebuilds every rollup from the events quality applied, in one transaction: incoming events
 * wait (they take the rebuild lock shared), readers see the old figures until the new ones
 * commit. Aggregates are folded in batches of BATCH, their contributions summed in memory (exact:
 * counts and sums in thousandths are integers) and written in one upsert per batch.
 * `onProgress(done, total)` is called after each batch, outside the transaction's view.
 */
export async function rebuildRollups(
  dataSource: DataSource,
  settings: RollupSettings,
  onProgress: (done: number, total: number) => Promise<void> = async () => undefined,
): Promise<{ aggregates: number }> {
  return dataSource.transaction(async (em) => {
    await em.query('SELECT pg_advisory_xact_lock(hashtext($1))', ['quality:rebuild']);
    await em.query('TRUNCATE rollup_cell, rollup_cell_evaluator, rollup_fact');
    const types = Object.keys(ROLLUP_AGGREGATES);
    const [counted] = (await em.query(
      'SELECT count(DISTINCT (aggregate_type, aggregate_id))::int AS total FROM applied_event WHERE aggregate_type = ANY($1)',
      [types],
    )) as { total: number }[];
    const total = counted?.total ?? 0;
    await onProgress(0, total);
    let done = 0;
    let after: [string, string] = ['', ''];
    for (;;) {
      const keys = (await em.query(
        `SELECT DISTINCT aggregate_type, aggregate_id FROM applied_event
          WHERE aggregate_type = ANY($1) AND (aggregate_type, aggregate_id) > ($2, $3)
          ORDER BY aggregate_type, aggregate_id LIMIT ${BATCH}`,
        [types, after[0], after[1]],
      )) as { aggregate_type: string; aggregate_id: string }[];
      if (!keys.length) break;
      await rebuildBatch(em, keys, settings);
      done += keys.length;
      const last = keys[keys.length - 1]!;
      after = [last.aggregate_type, last.aggregate_id];
      await onProgress(done, total);
    }
    return { aggregates: done };
  });
}

async function rebuildBatch(em: EntityManager, keys: { aggregate_type: string; aggregate_id: string }[], settings: RollupSettings) {
  const rows = (await em.query(
    `SELECT e.event_id AS id, e.event_type AS type, e.sequence, e.occurred_at, e.payload, e.aggregate_type, e.aggregate_id
       FROM applied_event e JOIN unnest($1::text[], $2::text[]) AS k(t, i) ON e.aggregate_type = k.t AND e.aggregate_id = k.i
      ORDER BY e.aggregate_type, e.aggregate_id, e.sequence, e.event_id`,
    [keys.map((k) => k.aggregate_type), keys.map((k) => k.aggregate_id)],
  )) as ({ aggregate_type: string; aggregate_id: string } & Parameters<typeof toStored>[0])[];
  const byAggregate = new Map<string, typeof rows>();
  for (const r of rows) {
    const k = `${r.aggregate_type}\u0001${r.aggregate_id}`;
    byAggregate.set(k, [...(byAggregate.get(k) ?? []), r]);
  }
  const deltas = new Map<string, CellDelta>();
  const facts: { type: string; id: string; contributions: Contribution[] }[] = [];
  for (const group of byAggregate.values()) {
    const first = group[0]!;
    const contributions = ROLLUP_AGGREGATES[first.aggregate_type]!(group.map(toStored), settings);
    accumulate(deltas, contributions, 1);
    facts.push({ type: first.aggregate_type, id: first.aggregate_id, contributions });
  }
  await applyDeltas(em, [...deltas.values()]);
  await em.query(
    `INSERT INTO rollup_fact (aggregate_type, aggregate_id, contributions)
     SELECT * FROM unnest($1::text[], $2::text[], $3::jsonb[])`,
    [facts.map((f) => f.type), facts.map((f) => f.id), facts.map((f) => JSON.stringify(f.contributions))],
  );
}
