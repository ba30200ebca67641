import { protectTree } from '@medcollab/anonymity';
import { type AllocationRunInfo } from './allocation-runs';
import { type Metric } from './metrics';
import { flatten, hiddenFigure, type ReportRow } from './report';

/**
 * A standing run's per-student figures, shown next to the standing figures of the same report
 * (ADR 0030, point 7): the standing figure at a department is the sum of the standing runs
 * there, so "standing minus this run" would be the other runs' students, which no tree
 * protects. A standing run's figure is therefore hidden (as if it had fewer than k students)
 * wherever another standing run has placements at the same scope, or where the standing figure
 * is itself hidden — then the run's figure is exactly the standing figure, released or not, and
 * adds nothing to it. The run's tree is protected again with those marks (complementary
 * suppression, so no forced figure is the parent minus its other children). A superseded run is
 * no part of the standing sums. A pure function of the canonical report, so a scope reads the
 * same marks whichever report it is read from.
 */
const STANDING_OF: Partial<Record<Metric, Metric>> = {
  RUN_FIRST_CHOICE: 'FIRST_CHOICE',
  RUN_PREFERENCE_RANK: 'PREFERENCE_RANK',
  RUN_PLACED_UNRANKED: 'PLACED_UNRANKED',
};
const RUN_METRIC = /^RUN_/;

/** Each run's tree: only its own RUN_* figures, guarded against the standing figures. */
export function guardedRunTrees(root: ReportRow, runs: readonly AllocationRunInfo[], k: number): Map<string, ReportRow> {
  const rows = flatten(root);
  const parents = rows.map(() => -1);
  rows.forEach((r, i) => r.children.forEach((c) => (parents[rows.indexOf(c)] = i)));
  const figureAt = (i: number, metric: string, item: string | null) => rows[i]!.figures.find((f) => f.metric === metric && f.item === item);
  const standing = runs.filter((r) => !r.superseded).map((r) => r.runId);
  const placedAt = (i: number, runId: string) => (figureAt(i, 'RUN_SEATS_FILLED', runId)?.count ?? 0) > 0;
  const out = new Map<string, ReportRow>();
  for (const run of runs) {
    const figures = rows.map((r) => r.figures.filter((f) => RUN_METRIC.test(f.metric) && f.item === run.runId));
    if (!run.superseded)
      for (const [metric, standingMetric] of Object.entries(STANDING_OF)) {
        const own = rows.map((_, i) => figureAt(i, metric, run.runId));
        const force = rows.map((_, i) => {
          const f = own[i];
          if (!f || (f.released && !f.count)) return false;
          const shared = standing.some((other) => other !== run.runId && placedAt(i, other));
          return shared || !figureAt(i, standingMetric!, null)?.released;
        });
        if (!force.some(Boolean)) continue;
        const marks = protectTree(
          own.map((f, i) =>
            !f
              ? { evaluations: 0, evaluators: 0 }
              : !f.released || force[i]
                ? { evaluations: 1, evaluators: 1 }
                : { evaluations: f.count ?? 0, evaluators: f.evaluatorCount ?? 0 },
          ),
          parents,
          k,
        );
        figures.forEach((list, i) => {
          const mark = marks[i] ?? null;
          figures[i] = list.map((f) => (f.metric === metric && f.released && mark !== null ? hiddenFigure(f, mark) : f));
        });
      }
    const trees = rows.map((r, i) => ({ ...r, figures: figures[i]!, children: [] as ReportRow[] }));
    parents.forEach((p, i) => {
      if (p >= 0) trees[p]!.children.push(trees[i]!);
    });
    out.set(run.runId, trees[0]!);
  }
  return out;
}
