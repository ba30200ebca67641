import { canonicalizeInput } from '../canonical';
import { checkNecessaryConditions, floorsOf } from '../feasibility';
import { buildInstance } from '../instance';
import { parseAllocationInput } from '../schema';
import { getHighs, lpRelaxation } from '../solver/highs';
import { WHOLE_STAGE_ONE_MAX_COLUMNS } from './attempts';
import { buildStageOne } from './decomposed';
import { lagrangianBound } from './lagrangian';

/**
 * OPTIMAL's two lower bounds side by side at given worst ranks, without solving any allocation:
 * the seats' Lagrangian (ADR 0055) and stage 1's LP relaxation (when the model is small enough to
 * hand to HiGHS whole). For bench/allocation-bound.ts; the run itself uses them in
 * optimal/attempts.ts.
 */
export interface BoundsAtRank {
  worstRank: number;
  stageOneColumns: number;
  lagrangian: { bound: number; infeasible: boolean; rounds: number; seconds: number; cpuSeconds: number; orderedGain: number };
  lp: { bound: number; infeasible: boolean; seconds: number } | null;
}

export async function compareBounds(
  raw: unknown,
  ranks: number[],
  options: { seconds: number; lp: boolean; onRank?: (row: BoundsAtRank) => void },
): Promise<{ checksSeconds: number; rows: BoundsAtRank[] }> {
  const began = performance.now();
  const inst = buildInstance(canonicalizeInput(parseAllocationInput(raw)));
  const floor = floorsOf(inst, checkNecessaryConditions(inst));
  const checksSeconds = (performance.now() - began) / 1000;
  const rows: BoundsAtRank[] = [];
  let prices: Float64Array | undefined;
  for (const w of ranks) {
    const caps = Int32Array.from(floor, (f) => Math.max(w, f));
    const one = buildStageOne(inst, caps);
    const cpu = process.cpuUsage();
    const lag = lagrangianBound(inst, caps, { seconds: options.seconds, prices });
    const used = process.cpuUsage(cpu);
    if (!lag.infeasible) prices = lag.prices;
    const lp =
      options.lp && one.model.numCols < WHOLE_STAGE_ONE_MAX_COLUMNS ? lpRelaxation(await getHighs(), one.model, options.seconds) : null;
    const row: BoundsAtRank = {
      worstRank: w,
      stageOneColumns: one.model.numCols,
      lagrangian: { ...lag, cpuSeconds: (used.user + used.system) / 1e6 },
      lp: lp && { bound: lp.bound, infeasible: lp.infeasible, seconds: lp.seconds },
    };
    options.onRank?.(row);
    rows.push(row);
  }
  return { checksSeconds, rows };
}
