import { type MipOutcome } from '../solver/highs';
import { type BuiltModel, withoutFixedColumns } from '../solver/lp-builder';
import { expand, objectiveOf } from './fixing';

/**
 * Stage 1 around its LP relaxation (RINS, relaxation-induced neighbourhood search; ADR 0057).
 *
 * Where the incumbent and the LP's solution agree on an integer column, the column keeps that
 * value; every other column stays free, and the small model left is solved from the incumbent.
 * The LP is solved anyway for the bound, and its solution says where the cheap places are: on
 * year80 at worst rank 3 about 3,300 of 17,412 columns stay free, and that model's optimum was the
 * LP's own bound (2,434, from the moved lottery's 2,491) in about a CPU second, where the
 * six-student neighbourhoods (neighbourhoods.ts) found 2 ranks in 169 rounds: an improvement there
 * needs a long chain of students each taking the next one's place, which a random set of six
 * rarely holds, and the LP's support holds whole.
 *
 * Exactness is untouched: the answer is a stage-1 solution like any other (the fixings only
 * restrict the model), never worse than the incumbent, and its bound is not used (it holds for
 * the restricted model only). A round repeats with the new incumbent's agreements while it
 * improves.
 */

export interface LpNeighbourhoodOutcome {
  values: Float64Array;
  objective: number;
  rounds: number;
  improved: number;
  /** Free columns of the rounds' models, summed. */
  columns: number;
}

/** Rounds at most: the second one rarely frees anything the first did not. */
const ROUNDS = 3;
/** Two values agree when this close (an LP's whole values come back within solver tolerances). */
const AGREE = 1e-6;

/** The model with every integer column on which `incumbent` and `lp` agree fixed at that value. */
export function fixedWhereAgreeing(model: BuiltModel, incumbent: Float64Array, lp: Float64Array) {
  const lower = Float64Array.from(model.colLower);
  const upper = Float64Array.from(model.colUpper);
  for (let c = 0; c < model.numCols; c++) {
    if (!model.integrality[c]) continue;
    const v = Math.round(incumbent[c]!);
    if (Math.abs(lp[c]! - v) < AGREE) lower[c] = upper[c] = v;
  }
  return { reduced: withoutFixedColumns(model, lower, upper), lower };
}

export function improveAroundLp(
  model: BuiltModel,
  incumbent: Float64Array,
  lp: Float64Array,
  /** Stops once the incumbent's objective is at most this (the attempt's target: its bound, or within the gap asked for). */
  enough: number,
  solve: (model: BuiltModel, start: Float64Array, seconds: number) => MipOutcome,
  budget: { seconds: number; remaining: () => number },
): LpNeighbourhoodOutcome {
  let values = incumbent;
  let objective = objectiveOf(model, values);
  const started = budget.remaining();
  let rounds = 0;
  let improved = 0;
  let columns = 0;
  while (rounds < ROUNDS && objective > enough) {
    const left = Math.min(budget.seconds - (started - budget.remaining()), budget.remaining());
    if (left <= 0) break;
    const { reduced, lower } = fixedWhereAgreeing(model, values, lp);
    const out = solve(
      reduced.model,
      Float64Array.from(reduced.kept, (c) => values[c]!),
      left,
    );
    rounds++;
    columns += reduced.model.numCols;
    if (!out.values || out.objective >= objective - 0.5) break;
    values = expand({ reduced, lower }, out.values);
    objective = objectiveOf(model, values);
    improved++;
  }
  return { values, objective, rounds, improved, columns };
}

/**
 * A start from a lottery cut to the caps (`kept`: everyone's places but those of the students it
 * placed above their cap, who have none) and the LP: the columns on which the two agree are kept
 * and the rest solved, without a start. One solve instead of moving the lottery (starts.ts: on
 * year80 two infeasible repairs of 6 and 12 students, then 24 students re-solved) and improving
 * it around the LP afterwards. Null when the solve found nothing (the LP's support may leave a
 * student no schedule): the caller moves the lottery instead.
 */
export function startAroundLp(
  model: BuiltModel,
  kept: Float64Array,
  lp: Float64Array,
  solve: (model: BuiltModel) => MipOutcome,
): { values: Float64Array | null; columns: number; outcome: MipOutcome } {
  const { reduced, lower } = fixedWhereAgreeing(model, kept, lp);
  const outcome = solve(reduced.model);
  return { values: outcome.values ? expand({ reduced, lower }, outcome.values) : null, columns: reduced.model.numCols, outcome };
}
