import { type Instance } from '../instance';
import { createRng, shuffle } from '../prng';
import { type MipOutcome } from '../solver/highs';
import { type BuiltModel } from '../solver/lp-builder';
import { type StageOneModel } from './decomposed';
import { ownersOf, searchFrom, searchRound, type SearchState, type StageOneOwners, withMates, withOthersFixed } from './fixing';

/**
 * Stage-1 neighbourhood search: a better incumbent for the places, a few students at a time.
 *
 * HiGHS' branch and bound on stage 1 of the 24-block year proves a bound close to the optimum
 * early but improves its incumbent slowly (its search is over thousands of near-symmetric
 * block-level rotation columns). Here every student's stage-1 columns (aggregated places,
 * block-level places, rotation starts, order columns) are fixed at the incumbent except for a
 * small set: one student who could do better (a department they rank better than one they got)
 * and the students holding places at those departments, with their pair mates. The shared
 * columns (seats spread over blocks, minimum staffing) stay free. The small model is solved from
 * the incumbent (so it is feasible and never worse) with the fixed columns taken out of it
 * (`withoutFixedColumns`: a few hundred columns instead of 17,000 on year80, which is what makes
 * a round cheap); a better answer becomes the incumbent.
 *
 * Exactness is untouched: the result is a stage-1 solution like any other (stage 2 timetables
 * it), and the bound still comes from the full stage-1 solve. Deterministic for a given budget
 * use: the sets are drawn from a PRNG seeded by the worst rank and the round.
 */

/** What a search hands back: its last incumbent and the rounds' figures. */
export type NeighbourhoodOutcome = SearchState;

/**
 * Students per neighbourhood (the seed student's competitors fill it, then random students). On
 * year80 (load 14–18), 6 found 6 improvements in 15 rounds, 12 found 2 in 19 and 24 none in 9:
 * larger sets rarely finish their solve within the per-solve limit.
 */
const SET_SIZE = 6;

export function improvePlaces(
  inst: Instance,
  one: StageOneModel,
  incumbent: Float64Array,
  bound: number,
  solve: (model: BuiltModel, start: Float64Array, seconds: number) => MipOutcome,
  budget: { seconds: number; perSolve: number; remaining: () => number; size?: number },
  w: number,
  owners: StageOneOwners = ownersOf(inst, one),
): NeighbourhoodOutcome {
  const { model } = one;
  const { owner, department, colsOf } = owners;
  const placeCols = [...one.zCols.map((z) => z.col), ...one.yCols.map((y) => y.col)];

  const state = searchFrom(model, incumbent);
  const rng = createRng(`stage-1 neighbourhoods at worst rank ${w}`);
  const started = budget.remaining();
  const all = inst.students.map((s) => s.index);
  while (started - budget.remaining() < budget.seconds && budget.remaining() > budget.perSolve && state.objective > bound + 0.5) {
    // Who holds which departments now, and each student's worst place.
    const holders = new Map<number, number[]>();
    const worst = new Float64Array(inst.students.length);
    for (const c of placeCols) {
      if (state.values[c]! < 0.5) continue;
      const s = owner[c]!;
      worst[s] = Math.max(worst[s]!, model.colCost[c]!);
      const list = holders.get(department[c]!);
      if (list) list.push(s);
      else holders.set(department[c]!, [s]);
    }
    // Seed: a student with a place worse than a department they could use, weighted by how much.
    const candidates = all.filter((s) => colsOf[s]!.some((c) => department[c]! >= 0 && model.colCost[c]! < worst[s]!));
    if (!candidates.length) break;
    const seed = candidates[rng.int(candidates.length)]!;
    const set = new Set<number>([seed]);
    const wanted = new Set(colsOf[seed]!.filter((c) => department[c]! >= 0 && model.colCost[c]! < worst[seed]!).map((c) => department[c]!));
    const competitors = shuffle(
      [...new Set([...wanted].flatMap((d) => holders.get(d) ?? []))].sort((a, b) => a - b),
      rng,
    );
    const size = budget.size ?? SET_SIZE;
    for (const s of competitors) if (set.size < size) set.add(s);
    for (const s of shuffle(all, rng)) if (set.size < size) set.add(s);
    withMates(inst, set);
    const fixed = withOthersFixed(model, owners, state.values, set);
    searchRound(state, model, fixed, solve, Math.min(budget.perSolve, budget.remaining()));
  }
  return state;
}
