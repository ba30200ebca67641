import { type Instance } from '../instance';
import { createRng, shuffle } from '../prng';
import { type MipOutcome } from '../solver/highs';
import { type BuiltModel, withoutFixedColumns } from '../solver/lp-builder';
import { type StageOneModel } from './decomposed';
import { type FixedOthers, searchFrom, searchRound, type StageOneOwners } from './fixing';
import { type NeighbourhoodOutcome } from './neighbourhoods';

/**
 * Stage-1 search by specialty (ADR 0067): every student's places in one specialty (or two) are
 * re-solved at once, everything else kept.
 *
 * A student's count of blocks per specialty is then fixed by their other places (the blocks to
 * fill), so which department of the specialty each student takes is close to a transportation
 * problem between all the students and the specialty's seats: HiGHS solves it whole, and every
 * chain of students trading places inside the specialty is in it however long, which a window of
 * a few dozen students (window-search.ts) rarely holds. Two specialties at once also let the
 * students whose requirement allows a range move a block from one to the other.
 *
 * Free: the place columns (aggregated and block-level) and rotation starts at the departments of
 * the chosen specialties, the seat spreads of their families, the order columns (precedences tie
 * specialties together; there are few) and the staffing columns. Fixed: every other column at the
 * incumbent's value. The model is solved from the incumbent, so an answer is never worse; no
 * bound comes from it.
 */

export function withSpecialtiesFree(
  inst: Instance,
  one: StageOneModel,
  owners: StageOneOwners,
  values: Float64Array,
  specs: ReadonlySet<number>,
): FixedOthers {
  const { model } = one;
  const specOfDept = new Int32Array(inst.departments.length).fill(-1);
  for (const site of inst.sites) specOfDept[site.department] = site.spec;
  const lower = Float64Array.from(model.colLower);
  const upper = Float64Array.from(model.colUpper);
  const fix = (c: number) => {
    const v = model.integrality[c] ? Math.round(values[c]!) : values[c]!;
    lower[c] = v;
    upper[c] = v;
  };
  const free = new Uint8Array(model.numCols);
  for (let c = 0; c < model.numCols; c++) {
    const d = owners.department[c]!;
    if (d >= 0 && specs.has(specOfDept[d]!)) free[c] = 1;
  }
  for (const r of one.rotationCols) if (specs.has(specOfDept[r.department]!)) free[r.col] = 1;
  for (const u of one.precedenceCols) free[u.col] = 1;
  for (const t of one.tCols) if (specs.has(inst.sites[t.site]!.spec)) free[t.col] = 1;
  for (const s of one.staffingCols) free[s.col] = 1;
  for (let c = 0; c < model.numCols; c++) if (!free[c]) fix(c);
  return { reduced: withoutFixedColumns(model, lower, upper), lower };
}

/**
 * One pass: every single specialty (shuffled), or every pair. Singles are repeated while one
 * improves before any pair: on year320 the singles made every improvement, and a pair's model
 * (twice the columns) was often cut by its time limit.
 */
function neighbourhoods(specialties: number, pairs: boolean, rng: ReturnType<typeof createRng>): number[][] {
  const all = Array.from({ length: specialties }, (_, k) => k);
  if (!pairs) return shuffle(all, rng).map((k) => [k]);
  const out: number[][] = [];
  for (let a = 0; a < specialties; a++) for (let b = a + 1; b < specialties; b++) out.push([a, b]);
  return shuffle(out, rng);
}

export function specialtySearch(
  inst: Instance,
  one: StageOneModel,
  incumbent: Float64Array,
  /** Stops once the incumbent's objective is at most this (the attempt's target). */
  enough: number,
  solve: (model: BuiltModel, start: Float64Array, seconds: number) => MipOutcome,
  budget: { seconds: number; perSolve: number; remaining: () => number },
  w: number,
  owners: StageOneOwners,
): NeighbourhoodOutcome {
  const { model } = one;
  const rng = createRng(`stage-1 specialties at worst rank ${w}`);
  const state = searchFrom(model, incumbent);
  const started = budget.remaining();
  const spent = () => started - budget.remaining();
  // Passes of singles while one improves, then of pairs while one improves (back to singles after
  // a pair improved); a pass of pairs with none better: a local optimum.
  for (let pairs = false; ;) {
    let better = false;
    for (const specs of neighbourhoods(inst.specialties.length, pairs, rng)) {
      if (state.objective <= enough || spent() >= budget.seconds || budget.remaining() <= Math.min(budget.perSolve, 0.5)) return state;
      const fixed = withSpecialtiesFree(inst, one, owners, state.values, new Set(specs));
      const seconds = Math.min(budget.perSolve, budget.remaining(), budget.seconds - spent());
      const before = state.improved;
      searchRound(state, model, fixed, solve, Math.max(0.05, seconds));
      if (state.improved > before) better = true;
    }
    if (pairs && !better) break;
    pairs = !better;
  }
  return state;
}
