import { type DataSource } from 'typeorm';
import { aggregate, type Aggregate, type Evaluation, type ItemAggregate, type RatedItem } from '../domain/aggregates';
import { type SuppressionReason } from '../domain/model';
import { releaseOverTime, type ReleaseMark, type TimedCell } from '../domain/release-over-time';
import { type AssessmentSettings } from '../settings';
import { blockYears, closedBlocksOf, type EvaluationRow, siteEvaluationData } from './evaluations';
import { ratedItems } from './teaching-evaluation';

export interface QualityCellView {
  released: boolean;
  suppression: SuppressionReason | null;
  evaluationCount: number | null;
  evaluatorCount: number | null;
  overallMean: number | null;
  items: ItemAggregate[];
}

export interface DepartmentQualityView {
  departmentId: string;
  academicYear: string;
  blockIds: string[];
  cells: QualityCellView[];
  total: QualityCellView;
}

export interface QualityReportView {
  hospitalId: string;
  academicYear: string;
  minimumEvaluators: number;
  blockIds: string[];
  rows: DepartmentQualityView[];
  blockTotals: QualityCellView[];
  total: QualityCellView;
}

const toEvaluation = (e: EvaluationRow): Evaluation => ({ evaluatorId: e.evaluatorId, responses: e.responses ?? [] });

function cell(a: Aggregate, mark: ReleaseMark | undefined): QualityCellView {
  if (mark) return { released: false, suppression: mark, evaluationCount: null, evaluatorCount: null, overallMean: null, items: [] };
  return {
    released: true,
    suppression: null,
    evaluationCount: a.evaluationCount,
    evaluatorCount: a.evaluatorCount,
    overallMean: a.overallMean,
    items: a.items,
  };
}

/**
 * Students' site evaluations of a hospital in an academic year: its departments × the year's
 * closed blocks (by first day), with totals, after primary (fewer than k evaluators) and
 * complementary suppression (domain/suppression), kept consistent with every earlier report of
 * the year (domain/release-over-time). Rows are the departments that had
 * placements in those blocks. A department's `quality` is its row of this very table, so the
 * two views never disagree on what is hidden.
 */
export async function qualityReport(
  ds: DataSource,
  hospitalId: string,
  year: string,
  settings: AssessmentSettings,
): Promise<QualityReportView> {
  const { evaluations, placements } = await siteEvaluationData(ds, hospitalId);
  const years = blockYears(placements, settings.academicYearStartMonth);
  const closed = closedBlocksOf(placements, evaluations);
  const blockIds = [...closed.keys()]
    .filter((b) => years.get(b)?.year === year)
    .sort((a, b) => (years.get(a)?.startsOn as string).localeCompare(years.get(b)?.startsOn as string) || a.localeCompare(b));
  const inYear = new Set(blockIds);
  const departmentIds = [...new Set(placements.filter((p) => inYear.has(p.blockId)).map((p) => p.departmentId))].sort();
  const submitted = evaluations.filter((e) => e.responses !== null && e.departmentId !== null && inYear.has(e.blockId));
  const items: Map<string, RatedItem> = await ratedItems(ds, submitted);
  const agg = (filter: (e: EvaluationRow) => boolean) => aggregate(submitted.filter(filter).map(toEvaluation), items);

  const cells = departmentIds.map((d) => blockIds.map((b) => agg((e) => e.departmentId === d && e.blockId === b)));
  const rowTotals = departmentIds.map((d) => agg((e) => e.departmentId === d));
  const blockTotals = blockIds.map((b) => agg((e) => e.blockId === b));
  const total = agg(() => true);
  // Decided over the year's history, block by block in the order they closed, so that this
  // report combined with any earlier one reveals nothing hidden (domain/release-over-time).
  const timed: TimedCell[] = departmentIds.flatMap((d) =>
    blockIds
      .filter((b) => placements.some((p) => p.departmentId === d && p.blockId === b))
      .map((b) => {
        const here = submitted.filter((e) => e.departmentId === d && e.blockId === b);
        return { row: d, block: b, evaluations: here.length, evaluatorIds: [...new Set(here.map((e) => e.evaluatorId))] };
      }),
  );
  const closingOrder = [...blockIds].sort(
    (a, b) => (closed.get(a) as Date).getTime() - (closed.get(b) as Date).getTime() || a.localeCompare(b),
  );
  const marks = releaseOverTime({ blocks: closingOrder, cells: timed }, settings.minEvaluators).at(-1);
  return {
    hospitalId,
    academicYear: year,
    minimumEvaluators: settings.minEvaluators,
    blockIds,
    rows: departmentIds.map((departmentId, r) => ({
      departmentId,
      academicYear: year,
      blockIds,
      cells: (cells[r] as Aggregate[]).map((a, c) => cell(a, marks?.cells[departmentId]?.[blockIds[c] as string])),
      total: cell(rowTotals[r] as Aggregate, marks?.rowTotals[departmentId]),
    })),
    blockTotals: blockTotals.map((a, c) => cell(a, marks?.columnTotals[blockIds[c] as string])),
    total: cell(total, marks?.total),
  };
}
