import { createHash } from 'node:crypto';
import { createDataSource } from '@medcollab/kit';
import { createTestDatabase, SqlCounter, type TestDatabase } from '@medcollab/testing';
import { type DataSource } from 'typeorm';
import { applyDeltas } from '../src/data/apply-deltas';
import { copyCellSums } from '../src/data/rebuild';
import { CellSums, sumCellOf } from '../src/domain/cell-sums';
import { accumulate, type CellDelta, cellId } from '../src/domain/cells';
import { type CellKey, type Contribution } from '../src/domain/contributions';
import { bucketBits } from '../src/domain/evaluator-buckets';
import { entities } from '../src/entities';
import { migrations } from '../src/migrations';
import { prng } from './support/generate';

/**
 * A cell's evaluators in buckets (ADR 0037), through incremental apply: cells that grow past one
 * bucket and several (their whole multiset laid out again at each boundary), shrink back, and
 * empty, hold exactly the rows the rebuild's writer makes of the same multiset — and a batch costs
 * the same statements however many cells it touches.
 */
let db: TestDatabase;
let ds: DataSource;
const counter = new SqlCounter();

beforeAll(async () => {
  db = await createTestDatabase('quality', { entities, migrations });
  ds = createDataSource({ url: db.url, entities, migrations, logger: counter });
  await ds.initialize();
});
afterAll(async () => {
  await ds.destroy();
  await db.drop();
});

const key = (scopeId: string, item = ''): CellKey => ({
  metric: 'TEACHER_SCORE',
  school: '*',
  scopeKind: 'NETWORK',
  scopeId,
  periodKind: 'YEAR',
  periodId: '2026-2027',
  item,
  parent: null,
});
const pseudonym = (i: number) => createHash('sha256').update(`evaluator ${i}`).digest('hex');
const contribution = (k: CellKey, evaluator: number): Contribution => ({ key: k, value: 4, evaluator: pseudonym(evaluator) });

async function tables(): Promise<unknown> {
  const cells = await ds.query(
    `SELECT scope_id, item, n::int, total_milli::int, histogram, evaluators FROM rollup_cell ORDER BY scope_id, item`,
  );
  const buckets = await ds.query('SELECT scope_id, item, bucket, counts FROM rollup_cell_evaluator ORDER BY scope_id, item, bucket');
  return { cells, buckets };
}

/** What the rebuild writes for the same contributions (the model), read back; the tables are then as they were. */
async function rebuilt(model: Map<string, CellDelta>): Promise<unknown> {
  let out: unknown;
  await ds
    .transaction(async (em) => {
      await em.query('TRUNCATE rollup_cell, rollup_cell_evaluator');
      const sums = new CellSums();
      sums.merge([...model.values()].filter((d) => d.n !== 0).map(sumCellOf));
      await copyCellSums(em, sums);
      const cells = await em.query(
        `SELECT scope_id, item, n::int, total_milli::int, histogram, evaluators FROM rollup_cell ORDER BY scope_id, item`,
      );
      const buckets = await em.query('SELECT scope_id, item, bucket, counts FROM rollup_cell_evaluator ORDER BY scope_id, item, bucket');
      out = { cells, buckets };
      throw new Error('roll back');
    })
    .catch((e: Error) => {
      if (e.message !== 'roll back') throw e;
    });
  return out;
}

/** Applies contributions (sign ±1) as one batch of deltas, in one transaction, and to the model. */
async function apply(model: Map<string, CellDelta>, contributions: Contribution[], sign: 1 | -1): Promise<void> {
  accumulate(model, contributions, sign);
  const deltas = [...accumulate(new Map(), contributions, sign).values()];
  await ds.transaction((em) => applyDeltas(em, deltas));
}

it('grows a cell past several bucket boundaries and back, one evaluator or many at a time, as a rebuild lays it out', async () => {
  const rand = prng(37);
  const model = new Map<string, CellDelta>();
  const big = key('big');
  const small = key('small');
  // One at a time to 150 evaluators (some contribute twice), each with the small cell beside it.
  for (let i = 0; i < 150; i++) {
    const again = rand() < 0.2 && i > 0 ? [contribution(big, Math.floor(rand() * i))] : [];
    await apply(model, [contribution(big, i), ...again, contribution(small, i % 5)], 1);
  }
  expect(await tables()).toEqual(await rebuilt(model));
  const buckets = async (scope: string) =>
    ((await ds.query(`SELECT count(*)::int AS n FROM rollup_cell_evaluator WHERE scope_id = $1`, [scope])) as { n: number }[])[0]!.n;
  expect(await buckets('big')).toBe(2 ** bucketBits(150));
  expect(await buckets('small')).toBe(1);

  // Many at once: 150 → 700 (three boundaries in one batch), then down to 40 in one batch.
  await apply(
    model,
    Array.from({ length: 550 }, (_, i) => contribution(big, 150 + i)),
    1,
  );
  expect(await tables()).toEqual(await rebuilt(model));
  expect(await buckets('big')).toBe(2 ** bucketBits(700));
  const distinct = (d: CellDelta | undefined) => Object.keys(d?.evaluators ?? {}).length;
  const held = Object.entries(model.get(cellId(big))!.evaluators);
  const retract: Contribution[] = [];
  for (const [p, n] of held.slice(40)) for (let j = 0; j < n; j++) retract.push({ key: big, value: 4, evaluator: p });
  await apply(model, retract, -1);
  expect(distinct(model.get(cellId(big)))).toBe(40);
  expect(await tables()).toEqual(await rebuilt(model));
  expect(await buckets('big')).toBe(1);

  // Retracted one at a time to nothing: the cell and its buckets are gone.
  for (const [p, n] of Object.entries(model.get(cellId(big))!.evaluators))
    await apply(
      model,
      Array.from({ length: n }, () => ({ key: big, value: 4, evaluator: p })),
      -1,
    );
  expect(await buckets('big')).toBe(0);
  expect(await tables()).toEqual(await rebuilt(model));
}, 300_000);

it('applies a batch in the same number of statements whether it touches one cell or forty', async () => {
  await ds.query('TRUNCATE rollup_cell, rollup_cell_evaluator');
  const model = new Map<string, CellDelta>();
  // Cells of a few hundred evaluators (several buckets each), so a new evaluator lands in a stored bucket.
  await apply(
    model,
    Array.from({ length: 40 }, (_, c) => Array.from({ length: 200 }, (_, i) => contribution(key(`cell${c}`), i))).flat(),
    1,
  );
  const statements = async (cells: number, evaluator: number) => {
    counter.reset();
    await apply(
      model,
      Array.from({ length: cells }, (_, c) => contribution(key(`cell${c}`), evaluator)),
      1,
    );
    return counter.count;
  };
  // An evaluator already counted (no count moves) and a new one (the counts move), for one cell and for forty.
  const one = await statements(1, 3);
  expect(await statements(40, 4)).toBe(one);
  const oneNew = await statements(1, 1000);
  expect(await statements(40, 1001)).toBe(oneNew);
  expect(oneNew).toBeLessThanOrEqual(4);
  expect(await tables()).toEqual(await rebuilt(model));
}, 120_000);
