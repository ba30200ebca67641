import { canonicalizeInput } from '../canonical';
import { checkNecessaryConditions, floorsOf } from '../feasibility';
import { buildInstance, type Instance } from '../instance';
import { runLottery } from '../lottery';
import { parseAllocationInput } from '../schema';
import { getHighs, lpRelaxation } from '../solver/highs';
import { guidedView } from './guided-draw';
import { guideOf, type PlacesRelaxation, relaxUpToFeasible } from './places-relaxation';
import { type Pick, totalRank } from './session';

/**
 * The guided draw against a plain one on one instance (ADR 0073), without solving any allocation:
 * the places relaxation at the worst ranks up to the first feasible one, then for each seed both
 * draws, and how far each student ends above their places in the relaxation's LP. For
 * bench/allocation-guided.ts; a run does the same in optimal/guided-draw.ts.
 */
export interface DrawFigures {
  kind: 'plain' | 'guided';
  seed: string;
  total: number;
  unplaced: number;
  /** Departments and blocks the draw closed below their minimum staffing (each a redraw). */
  closures: number;
  seconds: number;
  /** Places outside the student's departments in the relaxation's solution. */
  outside: number;
  /** Per student their total minus the LP's, for those more than half a rank above it, largest first. */
  above: number[];
}

export async function compareDraws(
  raw: unknown,
  seeds: readonly string[],
  report: { onRelaxation?: (r: PlacesRelaxation) => void; onDraw?: (d: DrawFigures) => void } = {},
): Promise<DrawFigures[]> {
  const inst = buildInstance(canonicalizeInput(parseAllocationInput(raw)));
  const floor = floorsOf(inst, checkNecessaryConditions(inst));
  const highs = await getHighs();
  const guide = guideOf(await relaxUpToFeasible(inst, floor, (model) => lpRelaxation(highs, model, 600), report.onRelaxation));
  if (!guide) return [];
  const { used, cost } = guide;
  const out: DrawFigures[] = [];
  for (const seed of seeds)
    for (const kind of ['plain', 'guided'] as const) {
      const began = performance.now();
      const draw = await runLottery(kind === 'guided' ? guidedView(inst, used) : inst, seed);
      const figures = figuresOf(inst, kind, seed, draw.picks, used, cost, (performance.now() - began) / 1000);
      const row = { ...figures, unplaced: draw.unplaced.length, closures: draw.closedByDraw?.size ?? 0 };
      report.onDraw?.(row);
      out.push(row);
    }
  return out;
}

function figuresOf(
  inst: Instance,
  kind: DrawFigures['kind'],
  seed: string,
  picks: readonly Pick[],
  used: readonly Uint8Array[],
  cost: Float64Array,
  seconds: number,
): Omit<DrawFigures, 'unplaced' | 'closures'> {
  const own = new Float64Array(inst.students.length);
  for (const p of picks) own[p.student]! += inst.rankOf(p.student, inst.sites[p.site]!);
  const pinned = new Set(inst.pins.map((p) => p.student * inst.sites.length + p.site));
  for (const p of inst.pins) if (p.site !== -1) own[p.student]! -= inst.rankOf(p.student, inst.sites[p.site]!);
  const above = Array.from(own, (o, s) => o - cost[s]!)
    .filter((x) => x > 0.5)
    .sort((a, b) => b - a);
  const outside = picks.filter(
    (p) => !pinned.has(p.student * inst.sites.length + p.site) && !used[p.student]![inst.sites[p.site]!.department],
  ).length;
  return { kind, seed, total: totalRank(inst, picks), seconds, outside, above };
}
