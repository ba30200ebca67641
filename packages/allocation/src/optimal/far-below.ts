import { type Instance } from '../instance';
import { type StageOneModel } from './decomposed';
import { type Pick } from './session';
import { lotteryWithinCaps } from './starts';

/**
 * How many students a lottery places above a worst rank's caps (with their pair mates), and
 * whether that is too many to move it there without an LP solution to guide the move (ADR 0067).
 *
 * Moving the lottery within the caps re-solves those students around everyone else
 * (optimal/starts.ts), and when that is infeasible doubles the set. On year320 at worst ranks 3
 * and 4 the lottery has 104 students above the caps: 104 free were infeasible, 209 free (51,000
 * columns) found nothing in 46 s, then the probe of the whole stage 1 and the full model's repair
 * (73,000 and 147,000 columns) nothing either; a 600 s budget went there and the lottery's own
 * worst rank, where the search can improve it, was reached with 0.4 s left (bench/README.md,
 * session 12). year80's moves free at most 24 students and are guided by its LP.
 */
export const MOVED_MAX_STUDENTS = 64;

export function studentsAboveCaps(
  inst: Instance,
  one: StageOneModel,
  caps: Int32Array,
  picks: readonly Pick[],
  unplaced: readonly number[],
): number {
  return lotteryWithinCaps(inst, one, caps, picks, unplaced).free.size;
}

/**
 * The first worst rank, in a run, whose stage-1 LP was cut by the clock below such a lottery and
 * that the Lagrangian did not prove infeasible either (ADR 0069). The looser ranks after it are not
 * tried: their LPs are no smaller (year320's ranks 3 and 4: 76,301 and 76,639 columns, neither
 * solved in 120 s of wall), a Lagrangian that did not prove the tighter rank infeasible cannot
 * prove a looser one (more schedules, a larger most), and a bound below the lottery's worst rank
 * is not the run's. Each of those ranks took a tenth of the budget for its LP and another for its
 * Lagrangian, about a fifth of what year320's lottery left, which the lottery's own rank searches with.
 */
const unsolved = new WeakMap<object, number>();

export function recordUnsolvedFarBelow(session: object, w: number): void {
  if (!unsolved.has(session)) unsolved.set(session, w);
}

export function unsolvedFarBelow(session: object): number | undefined {
  return unsolved.get(session);
}
