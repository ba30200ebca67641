import { GraphQLError, GraphQLScalarType } from 'graphql';
import { type Mark } from '@medcollab/anonymity';
import { type Metric } from './metrics';
import { flatten, type ReportRow } from './report';

/**
 * A report's figures in columns (QualityReport.figureTable): one list per field, rows × figures
 * row-major, instead of one object per figure. A hospital's year is ~1,500 figures; as objects,
 * GraphQL executes and serializes ~10 fields of each (most of a cached report's cost), as columns
 * it serializes a few lists of scalars. Every row of a report has the same figures in the same
 * order (buildReport: metrics asked for, then items), so one header serves all rows.
 */
export interface FigureTable {
  rowKeys: string[];
  depths: number[];
  columns: { metric: Metric; item: string | null }[];
  released: boolean[];
  suppression: Mark[];
  count: (number | null)[];
  mean: (number | null)[];
  median: (number | null)[];
  evaluatorCount: (number | null)[];
}

// Rows served from the report cache are the same objects request after request: the table is built once per row.
const built = new WeakMap<ReportRow, FigureTable>();

export function figureTable(root: ReportRow): FigureTable {
  const known = built.get(root);
  if (known) return known;
  const rows = flatten(root);
  const columns = root.figures.map((f) => ({ metric: f.metric, item: f.item }));
  const table: FigureTable = {
    rowKeys: rows.map((r) => r.key),
    depths: rows.map((r) => r.depth),
    columns,
    released: [],
    suppression: [],
    count: [],
    mean: [],
    median: [],
    evaluatorCount: [],
  };
  for (const r of rows)
    columns.forEach((c, i) => {
      const f = r.figures[i];
      // Guard the shared header: a row whose figures differ from the root's would be misread.
      if (!f || f.metric !== c.metric || f.item !== c.item) throw new Error(`Row ${r.key} does not have the report's figures`);
      table.released.push(f.released);
      table.suppression.push(f.suppression);
      table.count.push(f.count);
      table.mean.push(f.mean);
      table.median.push(f.median);
      table.evaluatorCount.push(f.evaluatorCount);
    });
  built.set(root, table);
  return table;
}

/**
 * QualityPackedFigureTable: a figure table answered as one JSON value. graphql-js serializes a
 * scalar once and the gateway passes it through, where the lists of `figureTable` are completed
 * and checked item by item in both (most of a warm report's CPU). Output only.
 */
export const packedFigureTableScalar = new GraphQLScalarType({
  name: 'QualityPackedFigureTable',
  description: "A report's figure table as one JSON object; answers only.",
  serialize: (value) => value,
  parseValue: () => {
    throw new GraphQLError('QualityPackedFigureTable is an answer, never an input', { extensions: { code: 'BAD_USER_INPUT' } });
  },
  parseLiteral: () => {
    throw new GraphQLError('QualityPackedFigureTable is an answer, never an input', { extensions: { code: 'BAD_USER_INPUT' } });
  },
});
