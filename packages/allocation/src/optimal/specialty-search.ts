import { type Instance } from '../instance';
import { departmentsOf } from '../plan';
import { createRng, shuffle } from '../prng';
import { type MipOutcome } from '../solver/highs';
import { type BuiltModel, withoutFixedColumns } from '../solver/lp-builder';
import { type StageOneModel } from './decomposed';
import { type FixedOthers, searchFrom, searchRound, type StageOneOwners } from './fixing';
import { type NeighbourhoodOutcome } from './neighbourhoods';
import { chainsOf, windowAround } from './window-search';

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
 *
 * A neighbourhood too large to solve in a round (year320's surgery: 2-block rotations before
 * anaesthesia, every student's places block by block, 109,887 columns) is solved a window at a
 * time (ADR 0074), alternately
 * - a window of students: the chains of who wants whose place among its departments
 *   (window-search.ts), everyone else's places in it kept, and
 * - a window of blocks: every student's places in it within a few consecutive blocks, the others
 *   kept; it holds the moves in time (a rotation shifted to free a seat for another) that a window
 *   of students holds only where both students are in it.
 */

/**
 * A neighbourhood freeing more place and rotation columns than this is solved a window at a time.
 * On year320 surgery's whole neighbourhood (109,887 columns) was never solved in its 4 s, not even
 * its root LP; windows of 96-176 of its students (34,137-61,309 columns) were proven optimal in
 * 0.9-3.0 s each, and six of them took the total from 10,581 to 10,448.
 */
export const SPECIALTY_WINDOW_COLUMNS = 40_000;
/** Students in the first window; it grows by a step while its models are proven and shrinks when one is cut. */
const SPECIALTY_WINDOW_FIRST = 96;
const SPECIALTY_WINDOW_STEP = 16;
const SPECIALTY_WINDOW_MIN = 16;
/** Windows per pass over a split neighbourhood: each student's places in it re-solved about twice. */
const windowsPerPass = (columns: number, limit: number) => Math.ceil((2 * columns) / limit);

/**
 * Part of a split neighbourhood: some students' places in all its blocks, or every student's in
 * the blocks from `from` to `to` (exclusive; aggregated places have no block and stay free).
 */
export interface SpecialtyWindow {
  students?: ReadonlySet<number>;
  blocks?: { from: number; to: number };
}

export function withSpecialtiesFree(
  inst: Instance,
  one: StageOneModel,
  owners: StageOneOwners,
  values: Float64Array,
  specs: ReadonlySet<number>,
  /** Only part of the neighbourhood is freed (a split one's window); all of it when absent. */
  window: SpecialtyWindow = {},
): FixedOthers {
  const { model } = one;
  const { specOfDept } = departmentsOf(inst);
  const lower = Float64Array.from(model.colLower);
  const upper = Float64Array.from(model.colUpper);
  const fix = (c: number) => {
    const v = model.integrality[c] ? Math.round(values[c]!) : values[c]!;
    lower[c] = v;
    upper[c] = v;
  };
  const { students, blocks } = window;
  const inWindow = (student: number) => !students || students.has(student);
  const inBlocks = (from: number, to: number) => !blocks || (from >= blocks.from && to <= blocks.to);
  const blockOf = new Int32Array(model.numCols).fill(-1);
  for (const y of one.yCols) blockOf[y.col] = inst.sites[y.site]!.block;
  const free = new Uint8Array(model.numCols);
  for (let c = 0; c < model.numCols; c++) {
    const d = owners.department[c]!;
    const b = blockOf[c]!;
    if (d >= 0 && specs.has(specOfDept[d]!) && inWindow(owners.owner[c]!) && (b < 0 || inBlocks(b, b + 1))) free[c] = 1;
  }
  for (const r of one.rotationCols)
    if (specs.has(specOfDept[r.department]!) && inWindow(r.student) && inBlocks(r.start, r.start + r.duration)) free[r.col] = 1;
  for (const u of one.precedenceCols) if (inWindow(u.student)) free[u.col] = 1;
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
  budget: {
    seconds: number;
    perSolve: number;
    remaining: () => number;
    /** Columns above which a neighbourhood is solved a window at a time (SPECIALTY_WINDOW_COLUMNS unless given). */
    windowColumns?: number;
    /** Students in the first window of students (SPECIALTY_WINDOW_FIRST unless given). */
    windowFirst?: number;
  },
  w: number,
  owners: StageOneOwners,
): NeighbourhoodOutcome {
  const { model } = one;
  const rng = createRng(`stage-1 specialties at worst rank ${w}`);
  const state = searchFrom(model, incumbent);
  const started = budget.remaining();
  const spent = () => started - budget.remaining();
  const done = () => state.objective <= enough || spent() >= budget.seconds || budget.remaining() <= Math.min(budget.perSolve, 0.5);
  /** One neighbourhood solved from the incumbent; true when it improved it. */
  const round = (fixed: FixedOthers): { better: boolean; proven: boolean } => {
    const before = state.improved;
    const out = searchRound(
      state,
      model,
      fixed,
      solve,
      Math.max(0.05, Math.min(budget.perSolve, budget.remaining(), budget.seconds - spent())),
    );
    return { better: state.improved > before, proven: out.status === 'OPTIMAL' || out.status === 'INFEASIBLE' };
  };
  const { specOfDept } = departmentsOf(inst);
  const specOfCol = (c: number) => (owners.department[c]! >= 0 ? specOfDept[owners.department[c]!]! : -1);
  const placeCols = [...one.zCols.map((z) => z.col), ...one.yCols.map((y) => y.col)];
  // Place and rotation columns per specialty: what its neighbourhood frees.
  const columnsOf = new Int32Array(inst.specialties.length);
  for (const c of placeCols) columnsOf[specOfCol(c)]!++;
  for (const r of one.rotationCols) columnsOf[specOfDept[r.department]!]!++;
  const windowColumns = budget.windowColumns ?? SPECIALTY_WINDOW_COLUMNS;
  let longest = 1;
  for (const r of one.rotationCols) longest = Math.max(longest, r.duration);
  const all = inst.students.map((s) => s.index);
  let size = Math.min(all.length, budget.windowFirst ?? SPECIALTY_WINDOW_FIRST);
  // Passes of singles while one improves, then of pairs while one improves (back to singles after
  // a pair improved); a pass of pairs with none better: a local optimum.
  for (let pairs = false; ;) {
    let better = false;
    for (const specs of neighbourhoods(inst.specialties.length, pairs, rng)) {
      const set = new Set(specs);
      let columns = 0;
      for (const k of specs) columns += columnsOf[k]!;
      if (columns <= windowColumns) {
        if (done()) return state;
        if (round(withSpecialtiesFree(inst, one, owners, state.values, set)).better) better = true;
        continue;
      }
      const inScope = (c: number) => set.has(specOfCol(c));
      const scoped = placeCols.filter(inScope);
      // Windows of blocks about as large as the limit, and at least two of the longest rotations.
      const span = Math.min(inst.blocks.length, Math.max(2 * longest, Math.floor((inst.blocks.length * windowColumns) / columns)));
      for (let i = 0; i < windowsPerPass(columns, windowColumns); i++) {
        if (done()) return state;
        if (i % 2 === 1) {
          const from = rng.int(inst.blocks.length - span + 1);
          if (round(withSpecialtiesFree(inst, one, owners, state.values, set, { blocks: { from, to: from + span } })).better) better = true;
          continue;
        }
        const chains = chainsOf(model, owners, scoped, state.values, all.length, inScope);
        const seeds = all.filter((s) => chains.wants(s).length > 0);
        if (!seeds.length) break;
        const students = windowAround(inst, seeds[rng.int(seeds.length)]!, size, chains, rng, all);
        const out = round(withSpecialtiesFree(inst, one, owners, state.values, set, { students }));
        if (out.better) better = true;
        // Larger windows while the solver proves them; smaller when one is cut by the clock.
        if (out.proven) size = Math.min(all.length, size + SPECIALTY_WINDOW_STEP);
        else size = Math.max(Math.min(all.length, SPECIALTY_WINDOW_MIN), size - SPECIALTY_WINDOW_STEP);
      }
    }
    if (pairs && !better) break;
    pairs = !better;
  }
  return state;
}
