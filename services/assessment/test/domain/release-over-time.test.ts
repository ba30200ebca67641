import fc from 'fast-check';
import { protect } from '@medcollab/anonymity';
import { releaseOverTime, type ReleaseMark, type TableRelease, type TimedCell, type TimedTable } from '../../src/domain/release-over-time';

/** Exact rank over the rationals (BigInt fractions), independent of the module's floating point. */
function rank(vectors: readonly (readonly number[])[], n: number): number {
  const m = vectors.map((keys) => {
    const row = Array.from({ length: n }, () => [0n, 1n] as [bigint, bigint]);
    for (const key of keys) row[key] = [1n, 1n];
    return row;
  });
  const sub = (a: [bigint, bigint], b: [bigint, bigint]): [bigint, bigint] => [a[0] * b[1] - b[0] * a[1], a[1] * b[1]];
  const mul = (a: [bigint, bigint], b: [bigint, bigint]): [bigint, bigint] => [a[0] * b[0], a[1] * b[1]];
  const div = (a: [bigint, bigint], b: [bigint, bigint]): [bigint, bigint] => [a[0] * b[1], a[1] * b[0]];
  let r = 0;
  for (let c = 0; c < n && r < m.length; c++) {
    const p = m.findIndex((row, i) => i >= r && row[c]![0] !== 0n);
    if (p < 0) continue;
    [m[r], m[p]] = [m[p]!, m[r]!];
    for (let i = 0; i < m.length; i++) {
      if (i === r || m[i]![c]![0] === 0n) continue;
      const f = div(m[i]![c]!, m[r]![c]!);
      m[i] = m[i]!.map((x, j) => sub(x, mul(f, m[r]![j]!)));
    }
    r++;
  }
  return r;
}

/** Every quantity a step showed or hid, as the interior cells (global keys) it adds up. */
function quantities(table: TimedTable, steps: TableRelease[]) {
  const rows = [...new Set(steps.at(-1)?.rows ?? [])];
  const key = (row: string, block: string) => rows.indexOf(row) * table.blocks.length + table.blocks.indexOf(block);
  const evaluations = new Map(table.cells.map((c) => [key(c.row, c.block), c.evaluations]));
  const nonEmpty = (keys: number[]) => keys.filter((k) => (evaluations.get(k) ?? 0) > 0);
  const out: { keys: number[]; mark: ReleaseMark }[] = [];
  for (const s of steps) {
    for (const r of s.rows) for (const b of s.blocks) out.push({ keys: nonEmpty([key(r, b)]), mark: s.cells[r]![b]! });
    for (const r of s.rows) out.push({ keys: nonEmpty(s.blocks.map((b) => key(r, b))), mark: s.rowTotals[r]! });
    for (const b of s.blocks) out.push({ keys: nonEmpty(s.rows.map((r) => key(r, b))), mark: s.columnTotals[b]! });
    out.push({ keys: nonEmpty(s.rows.flatMap((r) => s.blocks.map((b) => key(r, b)))), mark: s.total });
  }
  return { out, n: Math.max(1, rows.length * table.blocks.length) };
}

const POOL = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'];
const tables: fc.Arbitrary<{ table: TimedTable; k: number }> = fc
  .record({
    rows: fc.integer({ min: 1, max: 3 }),
    blocks: fc.integer({ min: 1, max: 4 }),
    k: fc.integer({ min: 2, max: 5 }),
    seed: fc.array(fc.record({ present: fc.boolean(), evaluators: fc.subarray(POOL) }), { minLength: 12, maxLength: 12 }),
  })
  .map(({ rows, blocks, k, seed }) => {
    const cells: TimedCell[] = [];
    for (let r = 0; r < rows; r++)
      for (let b = 0; b < blocks; b++) {
        const s = seed[(r * blocks + b) % seed.length]!;
        if (s.present) cells.push({ row: `d${r}`, block: `b${b}`, evaluations: s.evaluators.length, evaluatorIds: s.evaluators });
      }
    return { table: { blocks: Array.from({ length: blocks }, (_, b) => `b${b}`), cells }, k };
  });

describe('release decisions over time', () => {
  it('closes the differencing hole: block 1 released with 5, then block 2 closing with 1 evaluator', () => {
    const five = ['s1', 's2', 's3', 's4', 's5'];
    const table: TimedTable = {
      blocks: ['b1', 'b2'],
      cells: [
        { row: 'cardio', block: 'b1', evaluations: 5, evaluatorIds: five },
        { row: 'cardio', block: 'b2', evaluations: 1, evaluatorIds: ['lone'] },
      ],
    };
    // One report at a time, the total (6 evaluators) is released and block 1 hidden instead:
    // with the earlier block 1 in hand, total − block 1 is the lone student.
    const alone = protect(
      {
        cells: [
          [
            { evaluations: 5, evaluators: 5 },
            { evaluations: 1, evaluators: 1 },
          ],
        ],
        rowTotals: [{ evaluations: 6, evaluators: 6 }],
        columnTotals: [
          { evaluations: 5, evaluators: 5 },
          { evaluations: 1, evaluators: 1 },
        ],
        total: { evaluations: 6, evaluators: 6 },
      },
      5,
    );
    expect(alone.rowTotals[0]).toBeNull();
    expect(alone.cells[0]![0]).toBe('COMPLEMENTARY');

    const [first, second] = releaseOverTime(table, 5);
    expect(first).toMatchObject({ cells: { cardio: { b1: null } }, rowTotals: { cardio: null }, total: null });
    expect(second).toMatchObject({
      cells: { cardio: { b1: null, b2: 'TOO_FEW_EVALUATORS' } },
      rowTotals: { cardio: 'COMPLEMENTARY' },
      columnTotals: { b1: null, b2: 'TOO_FEW_EVALUATORS' },
      total: 'COMPLEMENTARY',
    });
  });

  it('keeps every cell decision once made (released stays released, hidden stays hidden)', () => {
    fc.assert(
      fc.property(tables, ({ table, k }) => {
        const steps = releaseOverTime(table, k);
        for (let i = 0; i < steps.length; i++)
          for (let j = i + 1; j < steps.length; j++)
            for (const [row, byBlock] of Object.entries(steps[i]!.cells))
              for (const [block, mark] of Object.entries(byBlock)) expect(steps[j]!.cells[row]![block]).toBe(mark);
      }),
      { numRuns: 300 },
    );
  });

  it('never lets anything hidden in any report be worked out from everything released in all of them', () => {
    fc.assert(
      fc.property(tables, ({ table, k }) => {
        const { out, n } = quantities(table, releaseOverTime(table, k));
        const released = out.filter((q) => q.mark === null).map((q) => q.keys);
        const base = rank(released, n);
        for (const hidden of out.filter((q) => q.mark !== null && q.keys.length)) {
          expect(rank([...released, hidden.keys], n)).toBe(base + 1);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('hides every quantity with fewer than k distinct evaluators, at every step', () => {
    fc.assert(
      fc.property(tables, ({ table, k }) => {
        const byKey = new Map(table.cells.map((c) => [`${c.row}/${c.block}`, c]));
        for (const step of releaseOverTime(table, k)) {
          const union = (pairs: [string, string][]) => new Set(pairs.flatMap(([r, b]) => byKey.get(`${r}/${b}`)?.evaluatorIds ?? [])).size;
          for (const r of step.rows) {
            for (const b of step.blocks) if (union([[r, b]]) > 0 && union([[r, b]]) < k) expect(step.cells[r]![b]).not.toBeNull();
            const row = union(step.blocks.map((b) => [r, b]));
            if (row > 0 && row < k) expect(step.rowTotals[r]).not.toBeNull();
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('gives the same earlier steps when recomputed later (so a report never contradicts the ones shown before)', () => {
    fc.assert(
      fc.property(tables, ({ table, k }) => {
        const all = releaseOverTime(table, k);
        for (let i = 1; i <= table.blocks.length; i++) {
          const prefix = { blocks: table.blocks.slice(0, i), cells: table.cells.filter((c) => table.blocks.slice(0, i).includes(c.block)) };
          expect(releaseOverTime(prefix, k)).toEqual(all.slice(0, i));
        }
      }),
      { numRuns: 200 },
    );
  });
});
