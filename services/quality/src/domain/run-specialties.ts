import { type CellStats, type Equation, type Mark, protectSystem, treeEquations } from '@medcollab/anonymity';
import { type Metric, specialtyScopeId } from './metrics';
import { flatten, hiddenFigure, type ReportRow } from './report';

/**
 * A run's drill-down per specialty (ADR 0043): below the network, beside its hospitals, one row
 * per specialty with the run's figures there (kept as RUN_SPECIALTY_*, shown under the RUN_*
 * names every other row of the run uses).
 *
 * A specialty's placements are exactly those of its departments across hospitals, so its
 * figure is a sum of department figures the hospital tree already decided: released beside a
 * hidden department, it would give that department away ("the specialty minus its other
 * departments"), and the network would give a hidden specialty away as "network minus the other
 * specialties". So the specialty figures are decided in one system with the run's hospital tree:
 * the tree's equations, network = Σ specialties and specialty = Σ its departments, every figure of
 * the hospital tree fixed as the run's tree decided it (released stays released, hidden stays
 * hidden) and only specialty figures hidden further (k distinct students, then complementary).
 * Hiding every specialty is always safe, so a solution exists. Seat counts are not personal and
 * are shown as they are. A pure function of the run's tree, so every scope reads the same marks.
 */
const SHOWN_AS: Partial<Record<Metric, Metric>> = {
  RUN_SPECIALTY_SEATS_OFFERED: 'RUN_SEATS_OFFERED',
  RUN_SPECIALTY_SEATS_FILLED: 'RUN_SEATS_FILLED',
  RUN_SPECIALTY_FIRST_CHOICE: 'RUN_FIRST_CHOICE',
  RUN_SPECIALTY_PREFERENCE_RANK: 'RUN_PREFERENCE_RANK',
  RUN_SPECIALTY_PLACED_UNRANKED: 'RUN_PLACED_UNRANKED',
};
/** The protected pairs: the hospital tree's metric and the specialty rows' one. */
const PROTECTED: readonly [Metric, Metric][] = [
  ['RUN_FIRST_CHOICE', 'RUN_SPECIALTY_FIRST_CHOICE'],
  ['RUN_PREFERENCE_RANK', 'RUN_SPECIALTY_PREFERENCE_RANK'],
  ['RUN_PLACED_UNRANKED', 'RUN_SPECIALTY_PLACED_UNRANKED'],
];
const isSpecialtyMetric = (m: Metric): boolean => m in SHOWN_AS;

/** The equations binding the specialty rows to the hospital tree (positions are the rows, depth first). */
export function specialtyEquations(
  rows: readonly Pick<ReportRow, 'kind' | 'id'>[],
  parents: readonly number[],
  specialtyOf: ReadonlyMap<string, string>,
): Equation[] {
  const specialty = rows.map((r) => r.kind === 'SPECIALTY');
  // The hospital tree alone: specialty rows are not children of the network there.
  const equations = treeEquations(parents.map((p, i) => (specialty[i] ? -1 : p)));
  const network = rows.findIndex((r) => r.kind === 'NETWORK');
  const specialties = rows.flatMap((_, i) => (specialty[i] ? [i] : []));
  if (network < 0 || !specialties.length) return equations;
  equations.push(new Map<number, number>([[network, -1], ...specialties.map((s): [number, number] => [s, 1])]));
  for (const s of specialties) {
    const departments = rows.flatMap((r, i) =>
      r.kind === 'DEPARTMENT' && specialtyScopeId(specialtyOf.get(r.id)) === rows[s]!.id ? [i] : [],
    );
    equations.push(new Map<number, number>([[s, -1], ...departments.map((d): [number, number] => [d, 1])]));
  }
  return equations;
}

/**
 * The run's tree with its specialty rows protected and named like the rest: RUN_SPECIALTY_*
 * figures only on SPECIALTY rows (as RUN_*), RUN_* figures only on the others.
 */
export function withSpecialtyRows(tree: ReportRow, specialtyOf: ReadonlyMap<string, string>, k: number): ReportRow {
  const rows = flatten(tree);
  const at = new Map(rows.map((r, i) => [r, i]));
  const parents = rows.map(() => -1);
  rows.forEach((r, i) => r.children.forEach((c) => (parents[at.get(c)!] = i)));
  const specialty = rows.map((r) => r.kind === 'SPECIALTY');
  const figures = rows.map((r, i) => r.figures.filter((f) => isSpecialtyMetric(f.metric) === specialty[i]));
  if (specialty.some(Boolean)) {
    const equations = specialtyEquations(rows, parents, specialtyOf);
    for (const [treeMetric, specialtyMetric] of PROTECTED) {
      const own = rows.map((_, i) => figures[i]!.find((f) => f.metric === (specialty[i] ? specialtyMetric : treeMetric)));
      const fixed = new Map<number, Mark>();
      const stats: CellStats[] = own.map((f, i) => {
        if (f && (!specialty[i] || !f.released)) fixed.set(i, f.released ? null : f.suppression);
        return f?.released
          ? { evaluations: f.count ?? 0, evaluators: f.evaluatorCount ?? 0 }
          : { evaluations: f ? 1 : 0, evaluators: f ? 1 : 0 };
      });
      const marks = protectSystem(stats, equations, k, fixed);
      rows.forEach((_, i) => {
        const mark = marks[i] ?? null;
        if (specialty[i] && mark !== null)
          figures[i] = figures[i]!.map((f) => (f.metric === specialtyMetric && f.released ? hiddenFigure(f, mark) : f));
      });
    }
  }
  const out = rows.map((r, i) => ({
    ...r,
    figures: figures[i]!.map((f) => (specialty[i] ? { ...f, metric: SHOWN_AS[f.metric]! } : f)),
    children: [] as ReportRow[],
  }));
  parents.forEach((p, i) => {
    if (p >= 0) out[p]!.children.push(out[i]!);
  });
  return out[0]!;
}
