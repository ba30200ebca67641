import { type Instance } from '../instance';
import { createRng, type Rng, shuffle } from '../prng';
import { type MipOutcome } from '../solver/highs';
import { type BuiltModel } from '../solver/lp-builder';
import { type StageOneModel } from './decomposed';
import { ownersOf, searchFrom, searchRound, type StageOneOwners, withMates, withOthersFixed } from './fixing';
import { type NeighbourhoodOutcome } from './neighbourhoods';

/**
 * Stage-1 window search (ADR 0067): a large neighbourhood search over windows of 16–48 students,
 * for a stage 1 that has no LP solution to guide it (too large to hand to HiGHS whole, or its LP
 * cut by the clock), where the search around the LP (lp-neighbourhood.ts) cannot run.
 *
 * The six-student search (neighbourhoods.ts) rarely holds an improving chain whole: a student
 * takes a better place only if its holder moves to one of theirs, whose holder moves in turn.
 * Here a window follows those chains: from a seed student who has a place worse than a
 * department they could use, it adds the holders of the departments the seed wants, then the
 * holders of the departments those want, breadth first, until the window is full (pair mates
 * join their partners). Everyone outside keeps their stage-1 columns (`withOthersFixed`), and the
 * window's model is solved from the incumbent, so an answer is never worse; a better one becomes
 * the incumbent.
 *
 * The window's size adapts to the solver: it grows while its models are proven optimal within
 * the per-solve limit and shrinks when one is cut, so a round stays a fraction of a second on a
 * 24-block year whatever the load. The seeds come from a PRNG seeded by the worst rank, so the
 * sequence of windows is the same for the same instance as long as the same solves finish.
 *
 * Exactness is untouched: the answer is a stage-1 solution like any other (stage 2 timetables
 * it), and no bound comes from a window's model.
 */

/** The window's size at the first round, and its limits. */
export const WINDOW_FIRST = 24;
export const WINDOW_MIN = 12;
export const WINDOW_MAX = 48;
/** Students added or removed when the window grows or shrinks. */
const WINDOW_STEP = 4;

export interface WindowBudget {
  /** Seconds the search may use. */
  seconds: number;
  /** The most one window's solve may take. */
  perSolve: number;
  remaining: () => number;
  /** The first window's size (WINDOW_FIRST unless given). */
  size?: number;
}

export interface WindowOutcome extends NeighbourhoodOutcome {
  /** The window's size when the search ended. */
  size: number;
}

/**
 * Departments each student could do better at, and who holds which department, in `values`:
 * the edges a window follows. `placeCols` and `inScope` narrow both to some departments (the
 * specialties of a split neighbourhood, specialty-search.ts).
 */
export function chainsOf(
  model: BuiltModel,
  owners: StageOneOwners,
  placeCols: number[],
  values: Float64Array,
  students: number,
  inScope: (col: number) => boolean = () => true,
) {
  const { owner, department, colsOf } = owners;
  const holders = new Map<number, number[]>();
  const worst = new Float64Array(students);
  for (const c of placeCols) {
    if (values[c]! < 0.5) continue;
    const s = owner[c]!;
    worst[s] = Math.max(worst[s]!, model.colCost[c]!);
    const list = holders.get(department[c]!);
    if (list) list.push(s);
    else holders.set(department[c]!, [s]);
  }
  const wants = (s: number) => [
    ...new Set(colsOf[s]!.filter((c) => department[c]! >= 0 && inScope(c) && model.colCost[c]! < worst[s]!).map((c) => department[c]!)),
  ];
  return { holders, wants };
}

/** A window of `size` students around `seed`, following the chains breadth first, then random students. */
export function windowAround(
  inst: Instance,
  seed: number,
  size: number,
  chains: ReturnType<typeof chainsOf>,
  rng: Rng,
  all: readonly number[],
): Set<number> {
  const window = withMates(inst, new Set([seed]));
  // Breadth first: the holders of what the seed wants, then of what they want, and so on.
  const queue = [...window];
  for (let head = 0; head < queue.length && window.size < size; head++) {
    const wanted = chains.wants(queue[head]!).sort((a, b) => a - b);
    const next = shuffle(
      [...new Set(wanted.flatMap((d) => chains.holders.get(d) ?? []))].filter((s) => !window.has(s)).sort((a, b) => a - b),
      rng,
    );
    for (const s of next) {
      if (window.size >= size) break;
      if (window.has(s)) continue;
      const mates = withMates(inst, new Set([s]));
      for (const m of mates) {
        window.add(m);
        queue.push(m);
      }
    }
  }
  for (const s of shuffle(all, rng)) {
    if (window.size >= size) break;
    window.add(s);
    withMates(inst, window);
  }
  return window;
}

export function windowSearch(
  inst: Instance,
  one: StageOneModel,
  incumbent: Float64Array,
  /** Stops once the incumbent's objective is at most this (the attempt's target). */
  enough: number,
  solve: (model: BuiltModel, start: Float64Array, seconds: number) => MipOutcome,
  budget: WindowBudget,
  w: number,
  owners: StageOneOwners = ownersOf(inst, one),
): WindowOutcome {
  const { model } = one;
  const placeCols = [...one.zCols.map((z) => z.col), ...one.yCols.map((y) => y.col)];
  const all = inst.students.map((s) => s.index);
  const rng = createRng(`stage-1 windows at worst rank ${w}`);
  const state = searchFrom(model, incumbent);
  let size = Math.min(all.length, budget.size ?? WINDOW_FIRST);
  const started = budget.remaining();
  let chains = chainsOf(model, owners, placeCols, state.values, all.length);
  while (state.objective > enough && started - budget.remaining() < budget.seconds && budget.remaining() > Math.min(budget.perSolve, 0.5)) {
    const seeds = all.filter((s) => chains.wants(s).length > 0);
    if (!seeds.length) break;
    const window = windowAround(inst, seeds[rng.int(seeds.length)]!, size, chains, rng, all);
    const fixed = withOthersFixed(model, owners, state.values, window);
    const seconds = Math.min(budget.perSolve, budget.remaining(), budget.seconds - (started - budget.remaining()));
    const before = state.improved;
    const out = searchRound(state, model, fixed, solve, Math.max(0.05, seconds));
    if (state.improved > before) chains = chainsOf(model, owners, placeCols, state.values, all.length);
    // Larger windows while the solver proves them; smaller when one is cut by the clock.
    if (out.status === 'OPTIMAL' || out.status === 'INFEASIBLE') size = Math.min(WINDOW_MAX, all.length, size + WINDOW_STEP);
    else size = Math.max(WINDOW_MIN, size - WINDOW_STEP);
  }
  return { ...state, size };
}
