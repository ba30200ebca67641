import { cohortOf } from './metrics';
import { type Figure, type ReportRow } from './report';

/** Learner-outcome metrics kept per competency (item = the competency), which a module groups. */
const PER_COMPETENCY: ReadonlySet<string> = new Set(['COMPETENCY_SCORE', 'ENTRUSTMENT_LEVEL']);

export interface ModuleOutcomes {
  moduleId: string;
  title: string;
  competencyIds: string[];
  figures: Figure[];
}

/** The program a PROGRAM or COHORT row is about; null for every other row (no modules below it). */
export function programOfRow(row: Pick<ReportRow, 'kind' | 'id'>): string | null {
  if (row.kind === 'PROGRAM') return row.id;
  if (row.kind === 'COHORT') return cohortOf(row.id).programId;
  return null;
}

/**
 * The drill-down program → module of learner outcomes: for each module of the program's latest
 * publication, the row's per-competency figures on the competencies its objectives address (in
 * the order the row has them). Nothing is computed here: the figures are the row's own, already
 * protected over the report's tree, period tree and revisions, so a module shows exactly what the
 * row shows — a hidden competency stays hidden under its module. (A module total over its
 * competencies would be a new sum to protect, which this deliberately does not add.)
 */
export function moduleOutcomes(
  row: Pick<ReportRow, 'figures'>,
  modules: readonly { moduleId: string; title: string; competencyIds: readonly string[] }[],
): ModuleOutcomes[] {
  return modules.map((m) => {
    const taught = new Set(m.competencyIds);
    return {
      moduleId: m.moduleId,
      title: m.title,
      competencyIds: [...taught].sort(),
      figures: row.figures.filter((f) => PER_COMPETENCY.has(f.metric) && f.item !== null && taught.has(f.item)),
    };
  });
}
