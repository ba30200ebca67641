import { type Instance } from '../instance';
import { type Relaxation } from '../solver/highs';
import { type BuiltModel } from '../solver/lp-builder';
import { buildStageOne } from './decomposed';
import { attemptRanks } from './ranks';

/**
 * Stage 1 with the order of blocks relaxed (ADR 0073): every student's places per department
 * summed over the blocks, precedences and rotations longer than one block left out. It drops
 * constraints of stage 1, which is a relaxation of the full model, so
 *
 * - its LP's optimum is a lower bound on the total rank at that worst rank, and
 * - an infeasible LP proves that no allocation has that worst rank.
 *
 * It is what makes a large stage 1 tractable: on year320 its LP at worst rank 5 has 35,540 columns
 * and solves in 2.1 s (10,318, the same value as the whole stage 1's LP, which took native HiGHS
 * 58.6 s and the run's WebAssembly HiGHS more than its budget), and ranks 2-4 are proven infeasible
 * in 0.5-1.7 s each, where the whole stage 1's LP was never decided at ranks 3-4.
 */

export interface PlacesRelaxation {
  worstRank: number;
  columns: number;
  /** The LP's optimum, a lower bound on the total rank at this worst rank (-Infinity when not solved). */
  bound: number;
  /** Proven: no allocation has this worst rank. */
  infeasible: boolean;
  seconds: number;
  /**
   * Per student, a 1 for each department the LP's solution gives them some of (a share above
   * USED_MIN): where they would go if the order of blocks cost nothing. Null when not solved.
   */
  used: Uint8Array[] | null;
  /** Per student, the total rank of their places in the LP's solution (null when not solved). */
  cost: Float64Array | null;
}

/**
 * A department counts as used by a student from this share of a block on. Fractional LP solutions
 * split a student between departments; every department in the split is a place they may take.
 */
const USED_MIN = 0.01;

export function placesRelaxation(
  inst: Instance,
  caps: Int32Array,
  worstRank: number,
  relax: (model: BuiltModel) => Relaxation,
): PlacesRelaxation {
  const one = buildStageOne(inst, caps, { orderRelaxed: true });
  const lp = relax(one.model);
  let used: Uint8Array[] | null = null;
  let cost: Float64Array | null = null;
  if (lp.values) {
    const values = lp.values;
    cost = new Float64Array(inst.students.length);
    for (const { col, student } of [...one.zCols, ...one.yCols]) cost[student]! += values[col]! * one.model.colCost[col]!;
    used = inst.students.map(() => new Uint8Array(inst.departments.length));
    for (const z of one.zCols)
      if (values[z.col]! > USED_MIN) used[z.student]![inst.sites[inst.families[familyOfGroup(inst, z.group)]!.sites[0]!]!.department] = 1;
    for (const y of one.yCols) if (values[y.col]! > USED_MIN) used[y.student]![inst.sites[y.site]!.department] = 1;
  }
  return {
    worstRank,
    columns: one.model.numCols,
    bound: lp.bound,
    infeasible: lp.infeasible,
    seconds: lp.seconds,
    used,
    cost,
  };
}

/**
 * The places relaxation at the worst ranks in increasing order (each at or above the students'
 * floors), up to the first one not proven infeasible, each reported as it is solved; `goOn` may
 * stop before a rank (a run's budget or cancellation). The map's last entry is that first one,
 * unless every rank tried was infeasible or `goOn` stopped first.
 */
export async function relaxUpToFeasible(
  inst: Instance,
  floor: Int32Array,
  relax: (model: BuiltModel) => Relaxation,
  onEach: (relaxed: PlacesRelaxation) => void = () => {},
  goOn: () => Promise<boolean> = async () => true,
): Promise<Map<number, PlacesRelaxation>> {
  const relaxations = new Map<number, PlacesRelaxation>();
  for (const w of attemptRanks(inst, floor)) {
    if (!(await goOn())) break;
    const relaxed = placesRelaxation(
      inst,
      Int32Array.from(floor, (f) => Math.max(w, f)),
      w,
      relax,
    );
    relaxations.set(w, relaxed);
    onEach(relaxed);
    if (!relaxed.infeasible) break;
  }
  return relaxations;
}

/** A relaxation whose LP was solved: its departments per student guide a draw. */
export type RelaxationGuide = PlacesRelaxation & { used: Uint8Array[]; cost: Float64Array };

/** The first relaxation `relaxUpToFeasible` found not infeasible, when its LP was solved (null otherwise). */
export function guideOf(relaxations: Map<number, PlacesRelaxation>): RelaxationGuide | null {
  const last = [...relaxations.values()].at(-1);
  return last && !last.infeasible && last.used && last.cost ? { ...last, used: last.used, cost: last.cost } : null;
}

/** The family of a group key (decomposed.ts: family × (unranked + 1) + rank). */
const familyOfGroup = (inst: Instance, group: number) => Math.floor(group / (inst.unrankedRank + 1));
