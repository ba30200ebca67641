import { type Metric } from './metrics';
import { type Figure, type ReportRow } from './report';

/**
 * A protected report narrowed to fewer metrics (ADR 0048): the figures of the metrics asked, in
 * the order asked, taken as they are — every mark was decided over the whole table, and nothing
 * is protected again here — on the rows that would exist had the report been built from those
 * metrics' cells alone (a scope is a row when it has a cell of one of them and its parent is a
 * row; the root always is). Every row of a report has the same figures in the same order
 * (buildReport), so the root's figures tell where each metric's figures sit in every row.
 */
export function sliceReport(root: ReportRow, metrics: readonly Metric[]): ReportRow {
  const ranges = metricRanges(root.figures);
  const asked = new Set(metrics);
  const figuresOf = (row: ReportRow): Figure[] =>
    metrics.flatMap((m) => {
      const range = ranges.get(m);
      return range ? row.figures.slice(range[0], range[1]) : [];
    });
  const slice = (row: ReportRow): ReportRow => ({
    ...row,
    figures: figuresOf(row),
    children: row.children.filter((c) => hasCellOf(c, asked)).map(slice),
  });
  return slice(root);
}

/** Each metric's figures in a row: [first, past the last). */
function metricRanges(figures: readonly Figure[]): Map<Metric, [number, number]> {
  const ranges = new Map<Metric, [number, number]>();
  figures.forEach((f, i) => {
    const range = ranges.get(f.metric);
    if (range) range[1] = i + 1;
    else ranges.set(f.metric, [i, i + 1]);
  });
  return ranges;
}

/** A row built without its cells' metrics (not by buildReport) is kept whatever is asked. */
const hasCellOf = (row: ReportRow, metrics: ReadonlySet<Metric>): boolean =>
  !row.cellMetrics || [...row.cellMetrics].some((m) => metrics.has(m));

/**
 * The rows of a report down to `maxDepth` levels below its root (0: the root alone), depth first;
 * every row when `maxDepth` is null.
 */
export function rowsDownTo(root: ReportRow, maxDepth: number | null): ReportRow[] {
  const rows: ReportRow[] = [];
  const visit = (row: ReportRow) => {
    rows.push(row);
    if (maxDepth === null || row.depth - root.depth < maxDepth) row.children.forEach(visit);
  };
  visit(root);
  return rows;
}
