import { type Instance } from '../instance';
import { type MipOutcome } from '../solver/highs';
import { type BuiltModel, type ReducedModel, withoutFixedColumns } from '../solver/lp-builder';
import { type StageOneModel } from './decomposed';

/**
 * Stage 1 with most students fixed: who owns which column, and the small model left when every
 * student outside a free set keeps their values (ADR 0041 §3, ADR 0050). The neighbourhood
 * search and the starts (optimal/starts.ts) solve these small models instead of the whole stage 1.
 *
 * A student's columns are their places (aggregated and block-level), rotation starts and order
 * columns. The seats spread over the blocks (t columns) belong to no student, but a family whose
 * places are all fixed has its spread fixed too (when the values give it in whole students), and
 * so is a staffing column whose rows have nothing else free: they can only stay as they are.
 * (On year80 a 6-student model still has about 2,000 columns: the free students' own, and the
 * spreads of the families they can join.)
 */
export interface StageOneOwners {
  /** Student owning each column, -1 for the shared ones (seat spreads, staffing). */
  owner: Int32Array;
  /** Department of each place column, -1 otherwise. */
  department: Int32Array;
  /** Family of each aggregated place and seat-spread column, -1 otherwise. */
  family: Int32Array;
  /** Each student's columns. */
  colsOf: number[][];
}

export function ownersOf(inst: Instance, one: StageOneModel): StageOneOwners {
  const n = one.model.numCols;
  const owner = new Int32Array(n).fill(-1);
  const department = new Int32Array(n).fill(-1);
  const family = new Int32Array(n).fill(-1);
  for (const z of one.zCols) {
    owner[z.col] = z.student;
    family[z.col] = Math.floor(z.group / (inst.unrankedRank + 1));
    department[z.col] = inst.sites[inst.families[family[z.col]!]!.sites[0]!]!.department;
  }
  for (const y of one.yCols) {
    owner[y.col] = y.student;
    department[y.col] = inst.sites[y.site]!.department;
  }
  for (const t of one.tCols) family[t.col] = inst.sites[t.site]!.family;
  for (const r of one.rotationCols) owner[r.col] = r.student;
  for (const u of one.precedenceCols) owner[u.col] = u.student;
  const colsOf: number[][] = inst.students.map(() => []);
  for (let c = 0; c < n; c++) if (owner[c]! >= 0) colsOf[owner[c]!]!.push(c);
  return { owner, department, family, colsOf };
}

const isWhole = (v: number) => Math.abs(v - Math.round(v)) < 1e-6;

/** A student whose integer columns are all whole in `values` (e.g. in an LP's solution). */
export function isIntegral(model: BuiltModel, owners: StageOneOwners, student: number, values: Float64Array): boolean {
  return owners.colsOf[student]!.every((c) => !model.integrality[c] || isWhole(values[c]!));
}

/** Adds the pair mates of every student in the set (pairs are placed together). */
export function withMates(inst: Instance, set: Set<number>): Set<number> {
  for (const s of [...set]) {
    const g = inst.groupOf[s]!;
    if (g !== -1) for (const m of inst.groups[g]!) set.add(m);
  }
  return set;
}

/** The stage-1 model with every student outside `free` fixed at `values`, and the bounds used. */
export interface FixedOthers {
  reduced: ReducedModel;
  /** Column bounds of the whole model (fixed columns at their value): the base of a full solution. */
  lower: Float64Array;
}

export function withOthersFixed(model: BuiltModel, owners: StageOneOwners, values: Float64Array, free: ReadonlySet<number>): FixedOthers {
  const { owner, family } = owners;
  const lower = Float64Array.from(model.colLower);
  const upper = Float64Array.from(model.colUpper);
  const fix = (c: number, v: number) => {
    lower[c] = v;
    upper[c] = v;
  };
  for (let c = 0; c < model.numCols; c++) {
    if (owner[c]! < 0 || free.has(owner[c]!)) continue;
    fix(c, model.integrality[c] ? Math.round(values[c]!) : values[c]!);
  }
  // Families some free student may join keep their seat spread free; the others keep theirs
  // when it is in whole students (an LP's may not be).
  const open = new Set<number>();
  const spread = new Map<number, number[]>();
  for (let c = 0; c < model.numCols; c++) {
    if (family[c]! < 0) continue;
    if (owner[c]! >= 0) {
      if (free.has(owner[c]!)) open.add(family[c]!);
    } else {
      const list = spread.get(family[c]!);
      if (list) list.push(c);
      else spread.set(family[c]!, [c]);
    }
  }
  for (const [f, cols] of spread)
    if (!open.has(f) && cols.every((c) => isWhole(values[c]!))) for (const c of cols) fix(c, Math.round(values[c]!));
  // A shared column outside the families (a department's staffing "open" column) whose rows have
  // nothing else left free is decided: fixed too, when whole.
  const live = new Uint8Array(model.numRows);
  for (let r = 0; r < model.numRows; r++)
    for (let k = model.starts[r]!; k < model.starts[r + 1]! && !live[r]; k++) {
      const c = model.indices[k]!;
      if (lower[c] !== upper[c] && (owner[c]! >= 0 || family[c]! >= 0)) live[r] = 1;
    }
  const decided = new Uint8Array(model.numCols).fill(1);
  for (let r = 0; r < model.numRows; r++)
    if (live[r]) for (let k = model.starts[r]!; k < model.starts[r + 1]!; k++) decided[model.indices[k]!] = 0;
  for (let c = 0; c < model.numCols; c++)
    if (owner[c]! < 0 && family[c]! < 0 && lower[c] !== upper[c] && decided[c] && isWhole(values[c]!)) fix(c, Math.round(values[c]!));
  return { reduced: withoutFixedColumns(model, lower, upper), lower };
}

/** A full stage-1 vector: the fixed columns' values and the reduced model's solution. */
export function expand(fixed: FixedOthers, solution: Float64Array): Float64Array {
  const full = Float64Array.from(fixed.lower);
  fixed.reduced.kept.forEach((c, i) => (full[c] = solution[i]!));
  return full;
}

/**
 * A neighbourhood search's incumbent and what its rounds cost and bought (improvePlaces,
 * specialtySearch, windowSearch): the figures of NeighbourhoodOutcome.
 */
export interface SearchState {
  values: Float64Array;
  objective: number;
  rounds: number;
  improved: number;
  /** Columns of the rounds' models, summed (their mean says how small a neighbourhood was). */
  columns: number;
}

export const searchFrom = (model: BuiltModel, incumbent: Float64Array): SearchState => ({
  values: incumbent,
  objective: objectiveOf(model, incumbent),
  rounds: 0,
  improved: 0,
  columns: 0,
});

/**
 * One round of a neighbourhood search: the neighbourhood's model (everything outside it fixed)
 * solved from the incumbent, and its answer made the incumbent when it is better by at least a
 * whole rank (objectives are integers; less is the solver's tolerance). Returns the solver's outcome.
 */
export function searchRound(
  state: SearchState,
  model: BuiltModel,
  fixed: FixedOthers,
  solve: (model: BuiltModel, start: Float64Array, seconds: number) => MipOutcome,
  seconds: number,
): MipOutcome {
  const out = solve(
    fixed.reduced.model,
    Float64Array.from(fixed.reduced.kept, (c) => state.values[c]!),
    seconds,
  );
  state.rounds++;
  state.columns += fixed.reduced.model.numCols;
  if (out.values && out.objective < state.objective - 0.5) {
    state.values = expand(fixed, out.values);
    state.objective = objectiveOf(model, state.values);
    state.improved++;
  }
  return out;
}

/** Objective of a stage-1 vector (offset included). */
export function objectiveOf(model: BuiltModel, values: Float64Array): number {
  let cost = model.offset;
  for (let c = 0; c < model.numCols; c++) cost += model.colCost[c]! * values[c]!;
  return cost;
}
