import fc from 'fast-check';
import { type Metric, type ScopeKind } from '../../src/domain/metrics';
import { buildReport, type CellRow, flatten } from '../../src/domain/report';
import { rowsDownTo, sliceReport } from '../../src/domain/report-slice';

/**
 * A report narrowed to fewer metrics shows the whole table's figures of those metrics, marks and
 * all (never protected again), on the rows a report built from those metrics' cells alone would
 * have, in the same order.
 */
const ALL: Metric[] = ['SITE_SCORE', 'TASKS_ASSIGNED', 'TEACHER_SCORE', 'DAYS_TO_SUBMIT'];
const K = 5;
const ROOT = { kind: 'INSTITUTION' as ScopeKind, id: 'H' };

/** A contribution at a department or one of its teachers, rolled up to every scope above it (as the rollups are). */
interface Contribution {
  metric: Metric;
  item: string;
  department: number;
  teacher: number | null;
  n: number;
  evaluators: number;
}

function cellsOf(contributions: readonly Contribution[]): CellRow[] {
  const cells = new Map<string, CellRow>();
  const add = (c: Contribution, scopeKind: ScopeKind, scopeId: string, parent: string | null) => {
    const key = `${c.metric}|${c.item}|${scopeKind}|${scopeId}`;
    const cell = cells.get(key) ?? {
      metric: c.metric,
      scopeKind,
      scopeId,
      item: c.item,
      parent,
      n: 0,
      totalMilli: 0,
      histogram: {},
      evaluators: 0,
    };
    cell.n += c.n;
    cell.totalMilli += c.n * 3000;
    cell.histogram = { '3': cell.n };
    cell.evaluators += c.evaluators;
    cells.set(key, cell);
  };
  for (const c of contributions) {
    const department = `D${c.department}`;
    add(c, 'INSTITUTION', 'H', null);
    add(c, 'DEPARTMENT', department, 'H');
    if (c.teacher !== null) add(c, 'TEACHER', `${department}/T${c.teacher}`, department);
  }
  return [...cells.values()];
}

const contribution = fc.record({
  metric: fc.constantFrom(...ALL),
  item: fc.constantFrom('', 'q1', 'q2'),
  department: fc.integer({ min: 0, max: 3 }),
  teacher: fc.option(fc.integer({ min: 0, max: 2 }), { nil: null }),
  n: fc.integer({ min: 1, max: 8 }),
  evaluators: fc.integer({ min: 1, max: 8 }),
});
// Items only where a metric has them (evaluations per item): the others keep one figure.
const history = fc
  .array(contribution, { minLength: 1, maxLength: 40 })
  .map((cs) => cs.map((c) => (c.metric === 'SITE_SCORE' || c.metric === 'TEACHER_SCORE' ? c : { ...c, item: '' })));
const asked = fc.subarray(ALL, { minLength: 1 }).chain((ms) => fc.shuffledSubarray(ms, { minLength: ms.length }));

const keyOf = (metric: string, item: string | null) => `${metric}|${item ?? ''}`;

describe('sliceReport', () => {
  it("keeps the whole table's figures of the metrics asked, in the order asked, on the rows of those metrics", () => {
    fc.assert(
      fc.property(history, asked, (contributions, metrics) => {
        const cells = cellsOf(contributions);
        const whole = buildReport(ROOT, cells, ALL, K);
        const slice = flatten(sliceReport(whole, metrics));
        const alone = flatten(
          buildReport(
            ROOT,
            cells.filter((c) => metrics.includes(c.metric)),
            metrics,
            K,
          ),
        );
        expect(slice.map((r) => [r.key, r.depth])).toEqual(alone.map((r) => [r.key, r.depth]));
        const wholeRows = new Map(flatten(whole).map((r) => [r.key, r]));
        for (const [i, row] of slice.entries()) {
          expect(row.figures.map((f) => keyOf(f.metric, f.item))).toEqual(alone[i]!.figures.map((f) => keyOf(f.metric, f.item)));
          const table = new Map(wholeRows.get(row.key)!.figures.map((f) => [keyOf(f.metric, f.item), f]));
          for (const f of row.figures) expect(f).toBe(table.get(keyOf(f.metric, f.item)));
        }
      }),
      { numRuns: 100 },
    );
  });

  it('drops the scopes with no cell of the metrics asked, and their children', () => {
    const cells = cellsOf([
      { metric: 'TASKS_ASSIGNED', item: '', department: 0, teacher: 0, n: 3, evaluators: 1 },
      { metric: 'SITE_SCORE', item: '', department: 1, teacher: null, n: 6, evaluators: 6 },
    ]);
    const whole = buildReport(ROOT, cells, ALL, K);
    expect(flatten(whole).map((r) => r.key)).toEqual(['INSTITUTION:H', 'DEPARTMENT:D0', 'TEACHER:D0/T0', 'DEPARTMENT:D1']);
    const slice = sliceReport(whole, ['SITE_SCORE']);
    expect(flatten(slice).map((r) => r.key)).toEqual(['INSTITUTION:H', 'DEPARTMENT:D1']);
    expect(slice.figures.map((f) => [f.metric, f.count])).toEqual([['SITE_SCORE', 6]]);
    // The table itself is left as it was (it is shared by every reader of the cache).
    expect(whole.figures.map((f) => f.metric)).toEqual(ALL);
  });
});

describe('rowsDownTo', () => {
  const cells = cellsOf([
    { metric: 'TASKS_ASSIGNED', item: '', department: 0, teacher: 0, n: 3, evaluators: 1 },
    { metric: 'TASKS_ASSIGNED', item: '', department: 1, teacher: 2, n: 3, evaluators: 1 },
  ]);
  const report = buildReport(ROOT, cells, ['TASKS_ASSIGNED'], K);

  it('keeps the rows down to the depth asked below the root, depth first; every row without one', () => {
    expect(rowsDownTo(report, 0).map((r) => r.key)).toEqual(['INSTITUTION:H']);
    expect(rowsDownTo(report, 1).map((r) => r.key)).toEqual(['INSTITUTION:H', 'DEPARTMENT:D0', 'DEPARTMENT:D1']);
    expect(rowsDownTo(report, null)).toEqual(flatten(report));
    // Below a department (depth 1 in its hospital's tree): counted from that row.
    expect(rowsDownTo(report.children[1]!, 1).map((r) => r.key)).toEqual(['DEPARTMENT:D1', 'TEACHER:D1/T2']);
  });
});
