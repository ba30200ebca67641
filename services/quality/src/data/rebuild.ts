import { bulkInsert, withIndexesDeferred } from '@medcollab/scale-world';
import { type DataSource, type EntityManager } from 'typeorm';
import { accumulate, type CellDelta } from '../domain/cells';
import { bucketize, shortened } from '../domain/evaluator-buckets';
import { ROLLUP_AGGREGATES, type RollupSettings, type StoredEvent } from '../domain/contributions';
import { LEARNER_AGGREGATE, learnerContributions } from '../domain/learner-outcomes';
import { bumpEverything } from './generations';
import { factIds, toStored } from './recompute';
import { refreshSchoolBlocks } from './school-blocks';

/** The tables a rebuild writes from nothing: their keys and indexes are built once, after the rows (ADR 0032). */
const ROLLUP_TABLES = ['rollup_cell', 'rollup_cell_evaluator', 'rollup_fact'] as const;

export interface RebuildOptions {
  /** Events read per statement (a page of the history); aggregates may straddle pages. */
  pageSize?: number;
}

type HeldEvent = { aggregate_type: string; aggregate_id: string; sequence: number } & Parameters<typeof toStored>[0];

/**
 * Rebuilds every rollup from the events quality applied, in one transaction (ADR 0032): incoming
 * events wait (they take the rebuild lock shared). The history is read once, in aggregate order,
 * a page at a time; each aggregate is folded by the same pure functions incremental apply uses
 * (`ROLLUP_AGGREGATES`, `learnerContributions`) and its contributions are summed into the cells in
 * memory (`accumulate`: counts and sums in thousandths are integers, so the sums are exact in any
 * order); its fact is the set of its events' ids, what incremental apply folds again to retract
 * it (`recompute`). The facts go out with COPY page by page, the cells and their evaluators (in buckets, ADR 0037) with COPY at the
 * end, into tables whose keys and indexes are dropped first and built again after the rows (one
 * sort per index instead of an insertion per row; the keys still refuse duplicates when rebuilt).
 * `onProgress(done, total)` (aggregates, Learners included) is called after each page, outside
 * the transaction's view.
 */
export async function rebuildRollups(
  dataSource: DataSource,
  settings: RollupSettings,
  onProgress: (done: number, total: number) => Promise<void> = async () => undefined,
  options: RebuildOptions = {},
): Promise<{ aggregates: number }> {
  const pageSize = options.pageSize ?? 20_000;
  return dataSource.transaction(async (em) => {
    await em.query('SELECT pg_advisory_xact_lock(hashtext($1))', ['quality:rebuild']);
    await em.query(`TRUNCATE ${ROLLUP_TABLES.join(', ')}`);
    const types = Object.keys(ROLLUP_AGGREGATES);
    const [counted] = (await em.query(
      `SELECT (SELECT count(*) FROM (SELECT DISTINCT aggregate_type, aggregate_id FROM applied_event WHERE aggregate_type = ANY($1)) a)::int AS aggregates,
              (SELECT count(DISTINCT payload->>'studentId') FROM applied_event WHERE aggregate_type = 'Submission')::int AS learners`,
      [types],
    )) as { aggregates: number; learners: number }[];
    const total = (counted?.aggregates ?? 0) + (counted?.learners ?? 0);
    await onProgress(0, total);

    return withIndexesDeferred(
      em,
      ROLLUP_TABLES,
      async () => {
        const cells = new Map<string, CellDelta>();
        // What the Learners are folded from, gathered on the way: each student's assessments and every post profile.
        const submissions = new Map<string, StoredEvent[]>();
        const profiles: StoredEvent[] = [];
        let done = 0;
        let group: HeldEvent[] = [];
        let facts: (readonly unknown[])[] = [];
        const fold = () => {
          const first = group[0];
          if (!first) return;
          const events = group.map(toStored);
          accumulate(cells, ROLLUP_AGGREGATES[first.aggregate_type]!(events, settings), 1);
          facts.push([first.aggregate_type, first.aggregate_id, factIds(events)]);
          done += 1;
          group = [];
        };
        let after: [string, string, number, string] = ['', '', 0, '00000000-0000-0000-0000-000000000000'];
        for (;;) {
          // Keyset pages in the index's order: every row of the history read once.
          const page = (await em.query(
            `SELECT event_id AS id, event_type AS type, sequence, occurred_at, payload, aggregate_type, aggregate_id FROM applied_event
              WHERE aggregate_type = ANY($1) AND (aggregate_type, aggregate_id, sequence, event_id) > ($2, $3, $4, $5::uuid)
              ORDER BY aggregate_type, aggregate_id, sequence, event_id LIMIT ${pageSize}`,
            [[...types, 'PostProfile'], ...after],
          )) as HeldEvent[];
          for (const row of page) {
            if (row.aggregate_type === 'PostProfile' || row.aggregate_type === 'Submission') {
              const stored = toStored(row);
              if (row.aggregate_type === 'PostProfile') profiles.push(stored);
              else if (typeof row.payload.studentId === 'string') {
                const student = row.payload.studentId;
                const held = submissions.get(student);
                if (held) held.push(stored);
                else submissions.set(student, [stored]);
              }
            }
            if (!ROLLUP_AGGREGATES[row.aggregate_type]) continue;
            const first = group[0];
            if (first && (first.aggregate_type !== row.aggregate_type || first.aggregate_id !== row.aggregate_id)) fold();
            group.push(row);
          }
          if (page.length < pageSize) fold();
          await writeFacts(em, facts);
          facts = [];
          await onProgress(done, total);
          if (page.length < pageSize) break;
          const last = page[page.length - 1]!;
          after = [last.aggregate_type, last.aggregate_id, last.sequence, last.id];
        }
        // The derived Learner aggregates (domain/learner-outcomes), from the same events incremental apply reads
        // (learnerEventsOf: post profiles, then the student's assessments, each in aggregate order).
        for (const [student, held] of [...submissions].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
          const events = [...profiles, ...held];
          accumulate(cells, learnerContributions(student, events, settings), 1);
          facts.push([LEARNER_AGGREGATE, student, factIds(events)]);
          done += 1;
          if (facts.length >= pageSize) {
            await writeFacts(em, facts);
            facts = [];
            await onProgress(done, total);
          }
        }
        await writeFacts(em, facts);
        await writeCells(em, cells);
        await onProgress(done, total);
        await refreshSchoolBlocks(em);
        // Every cached report is stale once this commits (ADR 0020).
        await bumpEverything(em);
        return { aggregates: done };
      },
      { keys: true },
    );
  });
}

async function writeFacts(em: EntityManager, facts: readonly (readonly unknown[])[]): Promise<void> {
  await bulkInsert(
    em,
    'rollup_fact',
    [
      ['aggregate_type', 'text'],
      ['aggregate_id', 'text'],
      ['event_ids', 'uuid[]'],
    ],
    facts,
  );
}

const KEY_COLUMNS = [
  ['metric', 'text'],
  ['school', 'text'],
  ['scope_kind', 'text'],
  ['scope_id', 'text'],
  ['period_kind', 'text'],
  ['period_id', 'text'],
  ['item', 'text'],
] as const;
const keyOf = (d: CellDelta) => [d.key.metric, d.key.school, d.key.scopeKind, d.key.scopeId, d.key.periodKind, d.key.periodId, d.key.item];

/**
 * The cells with their distinct-evaluator counts, then each cell's evaluators as its buckets
 * (ADR 0037: short pseudonyms, one row for a cell of up to 64 evaluators), each with one COPY
 * (the rebuild's and the large world's load). Returns the rows written per table.
 */
export async function writeCells(em: EntityManager, cells: ReadonlyMap<string, CellDelta>): Promise<Record<string, number>> {
  const short = new Map<CellDelta, Record<string, number>>();
  for (const d of cells.values()) short.set(d, shortened(d.evaluators));
  const rollup_cell = await bulkInsert(
    em,
    'rollup_cell',
    [...KEY_COLUMNS, ['parent', 'text'], ['n', 'bigint'], ['total_milli', 'bigint'], ['histogram', 'jsonb'], ['evaluators', 'int']],
    (function* () {
      for (const d of cells.values()) yield [...keyOf(d), d.key.parent, d.n, d.totalMilli, d.histogram, Object.keys(short.get(d)!).length];
    })(),
  );
  const rollup_cell_evaluator = await bulkInsert(
    em,
    'rollup_cell_evaluator',
    [...KEY_COLUMNS, ['bucket', 'int'], ['counts', 'jsonb']],
    (function* () {
      for (const d of cells.values()) {
        const key = keyOf(d);
        const evaluators = short.get(d)!;
        short.delete(d);
        for (const [bucket, counts] of bucketize(evaluators)) yield [...key, bucket, counts];
      }
    })(),
  );
  return { rollup_cell, rollup_cell_evaluator };
}
