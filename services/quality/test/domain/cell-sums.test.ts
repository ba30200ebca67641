import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { copyLine } from '@medcollab/scale-world';
import { bucketLines, cellLines } from '../../src/data/cell-lines';
import { CopyWriter, piecesOf } from '../../src/data/copy-writer';
import { BUCKET_COLUMNS, CELL_COLUMNS, CellRows } from '../../src/data/cell-rows';
import { CellSums, type SumCell, sumCellOf } from '../../src/domain/cell-sums';
import { accumulate } from '../../src/domain/cells';
import { PairCounts } from '../../src/domain/pair-counts';
import { type CellKey, type Contribution } from '../../src/domain/contributions';

/**
 * The rebuild's typed-array accumulator (ADR 0052) against `accumulate`, the arithmetic
 * incremental apply uses: the same cells on random contributions (shared key parts, values whole
 * and fractional, weights, full and non-hex pseudonyms, cells past the 64-evaluator bucket), split
 * between accumulators and merged as a rebuild's shares are, and the same COPY rows as `CellRows`.
 */
const hex = (label: string) => createHash('sha256').update(label).digest('hex');
const EVALUATORS = [...Array.from({ length: 300 }, (_, i) => hex(`e${i}`)), 'not-hex', 'Upper', ''];

const arbKey: fc.Arbitrary<CellKey> = fc
  .record({
    metric: fc.constantFrom('SITE_SCORE', 'TASKS_ASSIGNED', 'SEATS_OFFERED'),
    school: fc.constantFrom('*', 's1'),
    scope: fc.constantFrom(
      { scopeKind: 'NETWORK', scopeId: 'network', parent: null },
      { scopeKind: 'INSTITUTION', scopeId: 'h1', parent: 'network' },
      { scopeKind: 'DEPARTMENT', scopeId: 'd\t1', parent: 'h1' },
    ),
    period: fc.constantFrom({ periodKind: 'YEAR', periodId: '2026-2027' }, { periodKind: 'TERM', periodId: '2026-2027/T1' }),
    item: fc.constantFrom('', 'i1', 'i\\2'),
  })
  .map(({ metric, school, scope, period, item }) => ({ metric, school, ...scope, ...period, item }) as CellKey);

const arbContribution: fc.Arbitrary<Contribution> = fc.oneof(
  fc.record({
    key: arbKey,
    value: fc.option(fc.oneof(fc.integer({ min: 0, max: 5 }), fc.constantFrom(2.5, 0.333, 3.75, 0.1 + 0.2)), { nil: null }),
    evaluator: fc.option(fc.constantFrom(...EVALUATORS), { nil: null }),
  }),
  fc.record({ key: arbKey, value: fc.constant(null), evaluator: fc.constant(null), weight: fc.integer({ min: 1, max: 9 }) }),
);

const sorted = (m: Map<string, number>) => [...m].sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0));
const byText = <T>(xs: T[]) => xs.map((x) => [JSON.stringify(x), x] as const).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0));
/** Cells as comparable plain data, in one order (two cells of one key, held by two accumulators, included). */
const plain = (cells: Iterable<SumCell>) =>
  byText(
    [...cells].map((c) => ({
      key: { ...c.key },
      n: c.n,
      totalMilli: c.totalMilli,
      histogram: sorted(c.histogram),
      evaluators: sorted(c.evaluators),
    })),
  ).map(([, x]) => x);

const expected = (contributions: Contribution[]) => plain([...accumulate(new Map(), contributions, 1).values()].map(sumCellOf));

/** COPY lines as rows, the JSON columns parsed (jsonb keeps no key order), in one order. */
const rowsOf = (text: string, json: number[]) =>
  text
    .split('\n')
    .filter(Boolean)
    .map((line) => line.split('\t').map((field, i) => (json.includes(i) ? (JSON.parse(field) as unknown) : field)))
    .sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));

/** What a rebuild's share writes (ADR 0061): the pieces of a CopyWriter, cut small here so lines straddle many cuts, joined and decoded. */
function written(lines: (cells: ReturnType<CellSums['view']>, out: CopyWriter) => Iterator<void>, sums: CellSums): string {
  const rows = { n: 0 };
  const pieces = [...piecesOf((out) => lines(sums.view(), out), rows, new CopyWriter(64))];
  for (const piece of pieces) expect(piece[piece.length - 1]).toBe(10);
  const text = Buffer.concat(pieces).toString('utf8');
  expect(rows.n).toBe(text.split('\n').length - 1);
  return text;
}

describe('CellSums (ADR 0052)', () => {
  it('sums random contributions as accumulate does', () => {
    fc.assert(
      fc.property(fc.array(arbContribution, { maxLength: 400 }), (contributions) => {
        const sums = new CellSums();
        // In several calls, as a fold adds aggregate after aggregate.
        for (let i = 0; i < contributions.length; i += 37) sums.add(contributions.slice(i, i + 37));
        expect(plain(sums.cells())).toEqual(expected(contributions));
      }),
    );
  });

  it('gives away and takes in the cells of some metrics, as shares do, to the same sums', () => {
    fc.assert(
      fc.property(
        fc.array(arbContribution, { maxLength: 300 }),
        fc.array(arbContribution, { maxLength: 300 }),
        fc.subarray(['SITE_SCORE', 'TASKS_ASSIGNED', 'SEATS_OFFERED']),
        (first, second, moved) => {
          const a = new CellSums();
          const b = new CellSums();
          a.add(first);
          b.add(second);
          a.merge(b.take(moved));
          const held = new Set(b.metrics());
          expect(moved.some((m) => held.has(m))).toBe(false);
          // a: its own and the moved cells, summed; b: the rest of its own.
          const kept = second.filter((c) => !moved.includes(c.key.metric));
          const toA = second.filter((c) => moved.includes(c.key.metric));
          expect(plain([...a.cells(), ...b.cells()])).toEqual(
            plain([...accumulate(new Map(), [...first, ...toA], 1).values(), ...accumulate(new Map(), kept, 1).values()].map(sumCellOf)),
          );
        },
      ),
    );
  });

  it('writes the rows CellRows writes, cells of hundreds of evaluators in buckets included', () => {
    fc.assert(
      fc.property(fc.array(arbContribution, { maxLength: 400 }), fc.integer({ min: 0, max: 300 }), (contributions, crowd) => {
        // One cell with `crowd` distinct evaluators: one bucket up to 64, then 2, 4, 8.
        const key: CellKey = {
          metric: 'SITE_SCORE',
          school: '*',
          scopeKind: 'NETWORK',
          scopeId: 'network',
          periodKind: 'YEAR',
          periodId: '2026-2027',
          item: '',
          parent: null,
        };
        const all = [...contributions, ...EVALUATORS.slice(0, crowd).map((evaluator) => ({ key, value: 4, evaluator }))];
        const sums = new CellSums();
        sums.add(all);
        const rows = new CellRows(() => [...accumulate(new Map(), all, 1).values()].map(sumCellOf));
        const copied = (lines: Iterable<unknown[]>, columns: typeof CELL_COLUMNS) => [...lines].map((r) => copyLine(r, columns)).join('');
        expect(rowsOf(written(cellLines, sums), [10])).toEqual(rowsOf(copied(rows.cells(), CELL_COLUMNS), [10]));
        expect(rowsOf(written(bucketLines, sums), [8])).toEqual(rowsOf(copied(rows.buckets(), BUCKET_COLUMNS), [8]));
      }),
      { numRuns: 60 },
    );
  });

  it('keeps many cells and evaluators apart as its tables grow', () => {
    const contributions: Contribution[] = [];
    for (let i = 0; i < 6_000; i++)
      contributions.push({
        key: {
          metric: 'SITE_SCORE',
          school: '*',
          scopeKind: 'DEPARTMENT',
          scopeId: `d${i % 1_500}`,
          periodKind: 'BLOCK',
          periodId: `b${i % 7}`,
          item: '',
          parent: 'h',
        },
        value: i % 5,
        evaluator: EVALUATORS[i % 300]!,
      });
    const sums = new CellSums();
    sums.add(contributions);
    expect(plain(sums.cells())).toEqual(expected(contributions));
  });
});

describe('PairCounts', () => {
  it('counts pairs as a Map would, through its growth, and groups them by the first', () => {
    const pairs = new PairCounts(16);
    const expectedCounts = new Map<string, number>();
    const rand = (
      (seed) => () =>
        ((seed = (Math.imul(seed, 1_103_515_245) + 12_345) | 0) >>> 0) / 2 ** 32
    )(46);
    for (let i = 0; i < 60_000; i++) {
      const [a, b] = [Math.floor(rand() * 3_000), Math.floor(rand() * 40)];
      pairs.add(a, b, 2);
      expectedCounts.set(`${a},${b}`, (expectedCounts.get(`${a},${b}`) ?? 0) + 2);
    }
    expect(pairs.size).toBe(expectedCounts.size);
    const wrong = [...expectedCounts].filter(([k, count]) => {
      const [a, b] = k.split(',').map(Number);
      return pairs.get(a!, b!) !== count;
    });
    expect(wrong).toEqual([]);
    expect(pairs.get(3_001, 0)).toBe(0);
    const { offsets, seconds, counts } = pairs.grouped(3_000);
    const regrouped: [string, number][] = [];
    for (let a = 0; a < 3_000; a++) for (let i = offsets[a]!; i < offsets[a + 1]!; i++) regrouped.push([`${a},${seconds[i]}`, counts[i]!]);
    const inOrder = (xs: [string, number][]) => xs.sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0));
    expect(inOrder(regrouped)).toEqual(inOrder([...expectedCounts]));
  });
});
