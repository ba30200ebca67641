import { availableParallelism } from 'node:os';
import { type ConnectionSettings, copyLines, exportSnapshot, ShadowTables } from '@medcollab/scale-world';
import { type DataSource, type EntityManager } from 'typeorm';
import { type CellSums } from '../domain/cell-sums';
import { ROLLUP_AGGREGATES, rollupSettingsOf, type RollupSettings } from '../domain/contributions';
import { bucketLines, cellLines } from './cell-lines';
import { BUCKET_COLUMNS, CELL_COLUMNS, FACT_COLUMNS } from './cell-rows';
import { piecesOf } from './copy-writer';
import { bumpEverything } from './generations';
import { planShares, type TypeSize, typesToSplit } from '../domain/share-plan';
import { interleaved, type ShareHandle, startShare } from './rebuild-shares';
import { refreshSchoolBlocks } from './school-blocks';

/** The tables a rebuild writes from nothing, in shadows swapped in at the end: their keys and indexes are built once, after the rows (ADR 0032, ADR 0061). */
const ROLLUP_TABLES = ['rollup_cell', 'rollup_cell_evaluator', 'rollup_fact'] as const;

/** Below this many events held, the history is folded in one share, in the caller's thread (a thread costs ~0.3 s to start from sources). */
const THREADS_FROM_EVENTS = 50_000;

/** Where a rebuild's time went, in ms (bench/quality.ts prints them). */
export interface RebuildPhases {
  /** The shares' time waiting for pages of the history (summed over shares). */
  read: number;
  /** The shares' time folding aggregates and Learners into cells (summed over shares). */
  fold: number;
  /** Wall time from the first page to the last share folded, the facts written meanwhile (COPY). */
  history: number;
  /** Moving the cells of metrics two shares both hold to one of them. */
  merge: number;
  /** COPY of the cells and of their evaluators' buckets, side by side (the facts' key built meanwhile). */
  cells: number;
  /** The keys and indexes still being built once both COPYs have ended, then the swap. */
  keys: number;
  /** quality_school_block from the placements' events. */
  schoolBlocks: number;
  total: number;
}

export interface RebuildOptions {
  /** Events read per statement (a page of the history); aggregates may straddle pages. */
  pageSize?: number;
  /** Parts of the history folded separately, by aggregate type (default: one per core, at most 4; one below 50,000 events). */
  shares?: number;
  /** Each share in a worker thread of its own (default: when there is more than one share). */
  threads?: boolean;
}

/**
 * Rebuilds every rollup from the events quality applied, in one transaction (ADR 0032, ADR 0046,
 * ADR 0061): incoming events wait (they take the rebuild lock shared); reports read the old rows
 * until it commits. The history is read in shares of whole aggregate types, each on a connection
 * of its own that imports this transaction's snapshot (so it reads exactly what this transaction
 * sees) and folded in a worker thread of its own by the same pure functions incremental apply uses
 * (`HistoryFold`); each aggregate's fact is the set of its events' ids, what incremental apply
 * folds again to retract it (`recompute`). Everything is written into shadow tables on
 * connections of their own: the facts while the shares fold, then the cells and their evaluators
 * (in buckets, ADR 0037) side by side, each cell from one share (cells of a metric two shares hold
 * are merged first: every part of a cell is a sum), each table's keys and indexes built as soon as
 * its rows are in (one sort per index; the keys still refuse duplicates); this transaction then
 * swaps the shadows in. `onProgress(done, total)` (aggregates, Learners included) is called as the
 * shares fold, outside the transaction's view.
 */
export async function rebuildRollups(
  dataSource: DataSource,
  settings: RollupSettings,
  onProgress: (done: number, total: number) => Promise<void> = async () => undefined,
  options: RebuildOptions = {},
): Promise<{ aggregates: number; phases: RebuildPhases }> {
  const phases: RebuildPhases = { read: 0, fold: 0, history: 0, merge: 0, cells: 0, keys: 0, schoolBlocks: 0, total: 0 };
  const started = performance.now();
  // Dropped after the transaction when not swapped in (a failure), not before its rollback.
  let shadows: ShadowTables | undefined;
  const aggregates = await dataSource
    .transaction(async (em) => {
      await em.query('SELECT pg_advisory_xact_lock(hashtext($1))', ['quality:rebuild']);
      const types = Object.keys(ROLLUP_AGGREGATES);
      const sizes = (await em.query(
        `SELECT aggregate_type AS type, count(*)::int AS aggregates, sum(events)::int AS events
         FROM (SELECT aggregate_type, aggregate_id, count(*) AS events FROM applied_event WHERE aggregate_type = ANY($1) GROUP BY 1, 2) a
        GROUP BY 1`,
        [[...types, 'PostProfile']],
      )) as (TypeSize & { events: number })[];
      const [learners] = (await em.query(
        `SELECT count(DISTINCT payload->>'studentId')::int AS n FROM applied_event WHERE aggregate_type = 'Submission'`,
      )) as { n: number }[];
      const total = sizes.filter((s) => s.type !== 'PostProfile').reduce((sum, s) => sum + s.aggregates, 0) + (learners?.n ?? 0);
      const events = sizes.reduce((sum, s) => sum + s.events, 0);
      await onProgress(0, total);
      const count = options.shares ?? (events < THREADS_FROM_EVENTS ? 1 : Math.min(4, availableParallelism()));
      const plan = planShares(sizes, types, count, await cutsOf(em, typesToSplit(sizes, types, count), sizes));
      const snapshot = await exportSnapshot(em);

      const connection = connectionOf(dataSource);
      shadows = await ShadowTables.open(em, connection, ROLLUP_TABLES);
      const progress = progressReporter(() => shares.reduce((sum, s) => sum + s.folded, 0), total, onProgress);
      const shares = plan.map((share) =>
        startShare(
          { ...share, connection, snapshot, settings: rollupSettingsOf(settings), pageSize: options.pageSize ?? 20_000 },
          options.threads ?? plan.length > 1,
          progress.report,
        ),
      );
      let folded: number;
      try {
        folded = await writeShares(shares, shadows, phases);
        await progress.settled();
        await onProgress(folded, total);
        const swapStarted = performance.now();
        await shadows.swap(em);
        phases.keys += performance.now() - swapStarted;
      } finally {
        await Promise.all(shares.map((s) => s.close()));
      }
      const blocksStarted = performance.now();
      await refreshSchoolBlocks(em);
      phases.schoolBlocks = performance.now() - blocksStarted;
      // Every cached report is stale once this commits (ADR 0020).
      await bumpEverything(em);
      return folded;
    })
    .finally(() => shadows?.close());
  phases.total = performance.now() - started;
  return { aggregates, phases };
}

/**
 * The shares' output into the shadow tables (ADR 0061): the facts while they fold (their key built
 * as soon as they end); then the cells of metrics two shares hold moved to the first of them; then
 * every share's cells and buckets side by side, each table's keys and indexes built as soon as its
 * COPY ends. Returns the aggregates folded.
 */
async function writeShares(shares: ShareHandle[], shadows: ShadowTables, phases: RebuildPhases): Promise<number> {
  const historyStarted = performance.now();
  const facts = shadows.copy('rollup_fact', FACT_COLUMNS, interleaved(shares.map((s) => s.pieces('facts'))));
  // Awaited below; a failure before then must not count as unhandled.
  facts.catch(() => undefined);
  const outcomes = await Promise.all(shares.map((s) => s.done));
  await facts;
  phases.history = performance.now() - historyStarted;
  const factKeys = shadows.index('rollup_fact');
  factKeys.catch(() => undefined);
  for (const { times } of outcomes) {
    phases.read += times.read;
    phases.fold += times.fold;
  }
  const mergeStarted = performance.now();
  const owner = new Map<string, number>();
  for (const [index, { metrics }] of outcomes.entries()) {
    const shared = metrics.filter((m) => owner.has(m));
    for (const m of metrics) if (!owner.has(m)) owner.set(m, index);
    for (const [to, some] of groupBy(shared, (m) => owner.get(m)!)) await shares[to]!.take(await shares[index]!.give(some));
  }
  phases.merge = performance.now() - mergeStarted;
  const cellsStarted = performance.now();
  const copied = (table: string, columns: typeof CELL_COLUMNS, stream: 'cells' | 'buckets') =>
    shadows.copy(table, columns, interleaved(shares.map((s) => s.pieces(stream)))).then(() => {
      const keys = shadows.index(table);
      keys.catch(() => undefined);
      return { keys };
    });
  const both = await Promise.all([
    copied('rollup_cell', CELL_COLUMNS, 'cells'),
    copied('rollup_cell_evaluator', BUCKET_COLUMNS, 'buckets'),
  ]);
  phases.cells = performance.now() - cellsStarted;
  const keysStarted = performance.now();
  await Promise.all([factKeys, ...both.map((b) => b.keys)]);
  phases.keys = performance.now() - keysStarted;
  return shares.reduce((sum, s) => sum + s.folded, 0);
}

/** For each type to cut into `pieces` ranges, the aggregate ids the ranges after the first start at, evenly spaced in the index's order. */
async function cutsOf(em: EntityManager, split: ReadonlyMap<string, number>, sizes: readonly TypeSize[]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  for (const [type, pieces] of split) {
    const n = sizes.find((s) => s.type === type)?.aggregates ?? 0;
    const ranks = Array.from({ length: pieces - 1 }, (_, k) => Math.floor((n * (k + 1)) / pieces));
    const rows = (await em.query(
      `SELECT aggregate_id AS id FROM (
         SELECT aggregate_id, row_number() OVER (ORDER BY aggregate_id) - 1 AS rank
           FROM (SELECT DISTINCT aggregate_id FROM applied_event WHERE aggregate_type = $1) d) ranked
        WHERE rank = ANY($2::bigint[]) ORDER BY aggregate_id`,
      [type, ranks],
    )) as { id: string }[];
    out.set(
      type,
      rows.map((r) => r.id),
    );
  }
  return out;
}

const groupBy = <T, K>(xs: readonly T[], key: (x: T) => K): Map<K, T[]> => {
  const out = new Map<K, T[]>();
  for (const x of xs) {
    const k = key(x);
    const list = out.get(k);
    if (list) list.push(x);
    else out.set(k, [x]);
  }
  return out;
};

/** Progress as the shares report it: one `onProgress` call at a time, the latest count when it is free again. */
function progressReporter(done: () => number, total: number, onProgress: (done: number, total: number) => Promise<void>) {
  let running: Promise<void> | undefined;
  let again = false;
  let failure: unknown;
  const run = (): void => {
    running = onProgress(done(), total).then(
      () => {
        running = undefined;
        if (again) {
          again = false;
          run();
        }
      },
      (error: unknown) => {
        failure ??= error;
        running = undefined;
      },
    );
  };
  return {
    report: () => {
      if (running) again = true;
      else run();
    },
    async settled() {
      while (running) await running;
      if (failure) throw failure;
    },
  };
}

/** How a share's own connection reaches this DataSource's database. */
function connectionOf(dataSource: DataSource): ConnectionSettings {
  const o = dataSource.options as { url?: string; host?: string; port?: number; username?: string; password?: string; database?: string };
  if (o.url) return { connectionString: o.url };
  return {
    host: o.host,
    port: o.port,
    user: o.username,
    password: typeof o.password === 'string' ? o.password : undefined,
    database: o.database,
  };
}

/**
 * A fold's cells, then their evaluators' buckets (ADR 0037), each with one COPY in the caller's
 * transaction, as a rebuild's shares write them (ADR 0061): the large world's load. Returns the
 * rows written per table.
 */
export async function copyCellSums(em: EntityManager, sums: CellSums): Promise<{ rollup_cell: number; rollup_cell_evaluator: number }> {
  const [cells, buckets] = [{ n: 0 }, { n: 0 }];
  await copyLines(
    em,
    'rollup_cell',
    CELL_COLUMNS,
    piecesOf((out) => cellLines(sums.view(), out), cells),
  );
  await copyLines(
    em,
    'rollup_cell_evaluator',
    BUCKET_COLUMNS,
    piecesOf((out) => bucketLines(sums.view(), out), buckets),
  );
  return { rollup_cell: cells.n, rollup_cell_evaluator: buckets.n };
}
