import { type Instance } from '../instance';
import { createRng, shuffle } from '../prng';
import { type MipOutcome } from '../solver/highs';
import { type BuiltModel } from '../solver/lp-builder';
import { stageOneStart, type StageOneModel } from './decomposed';
import { expand, isIntegral, type StageOneOwners, withMates, withOthersFixed } from './fixing';
import { type Pick } from './session';

/**
 * Starts for a large stage 1 that its own branch and bound need not find (ADR 0050). On year80
 * the whole stage 1's first solution cost 5–25 s and was poor (3,166 against a bound of 2,434),
 * and its branch and bound never improved a start it was given. Two cheaper ones:
 *
 * - **The LP rounded**: the students whose columns are all whole in the LP relaxation's solution
 *   keep them; the others (with their pair mates) are solved around them. The LP is solved anyway
 *   for the bound, and needs no lottery (year320 and year1000, whose lottery is slow).
 * - **A lottery moved within the caps**: the students it places above the worst rank being tried,
 *   or leaves unplaced, are solved around everyone else's places.
 *
 * Both re-solve a few students in stage 1 with the others fixed (`withOthersFixed`). When that
 * is infeasible, the students holding places at the departments they could use join them (up
 * to doubling the set), for a few rounds: the set of a repair grows only as far as it must.
 */

/** Rounds of growing a repair set before giving up. */
const ROUNDS = 4;

/**
 * Re-solves `free` in stage 1 around the other students fixed at `values`; the full stage-1
 * vector, or null when no round found a solution in time.
 */
export function repairPlaces(
  inst: Instance,
  one: StageOneModel,
  owners: StageOneOwners,
  values: Float64Array,
  free: ReadonlySet<number>,
  solve: (model: BuiltModel) => MipOutcome,
  notes: string[],
  label: string,
  maxColumns = Infinity,
): Float64Array | null {
  const set = withMates(inst, new Set(free));
  const rng = createRng(`stage-1 repair: ${label}`);
  for (let round = 1; round <= ROUNDS; round++) {
    const fixed = withOthersFixed(one.model, owners, values, set);
    // A repair grown as large as a stage 1 that is never handed to HiGHS whole is not solved either.
    if (fixed.reduced.model.numCols >= maxColumns) {
      notes.push(`${label}: round ${round}, ${set.size} students free, ${fixed.reduced.model.numCols} columns: too large to solve`);
      return null;
    }
    const out = solve(fixed.reduced.model);
    notes.push(
      `${label}: round ${round}, ${set.size} students free, ${fixed.reduced.model.numCols} columns, ${out.status.toLowerCase()} in ${out.seconds.toFixed(1)} s`,
    );
    if (out.values) return expand(fixed, out.values);
    if (out.status !== 'INFEASIBLE' || set.size === inst.students.length) return null;
    // Grow: the fixed students holding places at departments the free ones could use.
    const wanted = new Set<number>();
    for (const s of set) for (const c of owners.colsOf[s]!) if (owners.department[c]! >= 0) wanted.add(owners.department[c]!);
    const holders = new Set<number>();
    for (let c = 0; c < one.model.numCols; c++) {
      const s = owners.owner[c]!;
      if (s >= 0 && !set.has(s) && owners.department[c]! >= 0 && values[c]! > 0.5 && wanted.has(owners.department[c]!)) holders.add(s);
    }
    const extra = shuffle(
      [...holders].sort((a, b) => a - b),
      rng,
    ).slice(0, set.size);
    if (!extra.length) return null;
    for (const s of extra) set.add(s);
    withMates(inst, set);
  }
  return null;
}

/** The LP relaxation's solution rounded: its whole students kept, the others repaired. */
export function roundedStart(
  inst: Instance,
  one: StageOneModel,
  owners: StageOneOwners,
  lpValues: Float64Array,
  solve: (model: BuiltModel) => MipOutcome,
  notes: string[],
  w: number,
): Float64Array | null {
  const fractional = new Set(inst.students.map((s) => s.index).filter((s) => !isIntegral(one.model, owners, s, lpValues)));
  return repairPlaces(inst, one, owners, lpValues, fractional, solve, notes, `worst rank ${w}: LP rounded`);
}

/**
 * A lottery's picks moved within the caps: the students placed above their cap, and `unplaced`
 * (a partial lottery's), are repaired around everyone else's places.
 */
export function movedStart(
  inst: Instance,
  one: StageOneModel,
  owners: StageOneOwners,
  caps: Int32Array,
  picks: readonly Pick[],
  unplaced: readonly number[],
  solve: (model: BuiltModel) => MipOutcome,
  notes: string[],
  w: number,
  maxColumns = Infinity,
): Float64Array | null {
  const { free, values } = lotteryWithinCaps(inst, one, caps, picks, unplaced);
  if (!values) return null;
  return repairPlaces(inst, one, owners, values, free, solve, notes, `worst rank ${w}: lottery moved (${free.size} students)`, maxColumns);
}

/**
 * A lottery cut to the caps: the students it places above their cap or leaves unplaced (with
 * their pair mates), and the stage-1 values of everyone else's places (they have none); null
 * values when the others' places are no stage-1 solution at these caps.
 */
export function lotteryWithinCaps(
  inst: Instance,
  one: StageOneModel,
  caps: Int32Array,
  picks: readonly Pick[],
  unplaced: readonly number[],
): { free: Set<number>; values: Float64Array | undefined } {
  const pinned = new Set(inst.pins.map((p) => p.student * inst.sites.length + p.site));
  const free = new Set(unplaced);
  for (const p of picks)
    if (!pinned.has(p.student * inst.sites.length + p.site) && inst.rankOf(p.student, inst.sites[p.site]!) > caps[p.student]!)
      free.add(p.student);
  withMates(inst, free);
  return {
    free,
    values: stageOneStart(
      inst,
      one,
      caps,
      picks.filter((p) => !free.has(p.student)),
    ),
  };
}
