import loadHighs, { type Highs, type HighsCallbackMap } from 'highs';
import { type BuiltModel } from './lp-builder';

/**
 * Thin wrapper over highs-js (HiGHS compiled to WebAssembly, single-threaded): one persistent
 * model per solve, always disposed (Wasm memory is not garbage-collected), statuses folded into
 * the four outcomes the mechanisms care about.
 */

let runtime: Promise<Highs> | undefined;

/** The Wasm runtime is compiled once per process and shared by every solve (a fresh one after an abort). */
export function getHighs(): Promise<Highs> {
  runtime ??= loadHighs();
  return runtime;
}

/**
 * HiGHS aborted inside WebAssembly: most often its memory (2 GB) ran out on a large model. The
 * runtime is dead after an abort (every later call aborts too), so it is dropped: the next
 * `getHighs()` compiles a fresh one. Callers fall back to what they had (optimal/index.ts).
 */
export class SolverAborted extends Error {
  constructor(cause: Error) {
    super(`the solver (HiGHS) aborted, most likely out of its 2 GB of memory on a model this large: ${cause.message}`);
    this.name = 'SolverAborted';
  }
}

/** WebAssembly's RuntimeError (what Emscripten's abort throws); the lib types here have no WebAssembly global. */
const isWasmAbort = (error: unknown): error is Error => error instanceof Error && error.name === 'RuntimeError';

export function solveMip(highs: Highs, model: BuiltModel, options: MipOptions): MipOutcome {
  try {
    return solveOnce(highs, model, options);
  } catch (error) {
    if (!isWasmAbort(error)) throw error;
    runtime = undefined;
    throw new SolverAborted(error);
  }
}

export interface MipOptions {
  timeLimitSeconds: number;
  relGap: number;
  /** The objectives here are integers: an absolute gap below 1 proves optimality. */
  absGap: number;
  /** A feasible (or partial) start, one value per column. */
  start?: Float64Array;
  /** Called from HiGHS' MIP callbacks (at most every 250 ms) with the running gap. */
  onTick?: (tick: { gap: number; seconds: number; incumbent: number | null }) => void;
  /** Polled from HiGHS' MIP callbacks; true interrupts the solve (the incumbent is kept). */
  shouldStop?: () => boolean;
  /** Further HiGHS options (e.g. `mip_max_nodes`, `mip_heuristic_effort`), applied last. */
  highs?: Record<string, number | boolean | string>;
}

export interface MipOutcome {
  status: 'OPTIMAL' | 'FEASIBLE' | 'INFEASIBLE' | 'NO_SOLUTION';
  values: Float64Array | null;
  objective: number;
  /** Proven lower bound on the objective (minimisation). */
  bound: number;
  gap: number;
  timeLimitReached: boolean;
  interrupted: boolean;
  seconds: number;
}

/** The outcome of a solve that was not made (not needed, or no start to make it from). */
export const NO_SOLVE: Readonly<MipOutcome> = {
  status: 'NO_SOLUTION',
  values: null,
  objective: Infinity,
  bound: -Infinity,
  gap: Infinity,
  timeLimitReached: false,
  interrupted: false,
  seconds: 0,
};

function solveOnce(highs: Highs, model: BuiltModel, options: MipOptions): MipOutcome {
  const started = performance.now();
  const seconds = () => (performance.now() - started) / 1000;
  if (model.numCols === 0) {
    // HiGHS reports an empty model as "empty", not optimal; decide it here.
    const ok = Array.from(model.rowLower).every((lo, i) => lo <= 0 && 0 <= model.rowUpper[i]!);
    return {
      status: ok ? 'OPTIMAL' : 'INFEASIBLE',
      values: ok ? new Float64Array(0) : null,
      objective: model.offset,
      bound: model.offset,
      gap: 0,
      timeLimitReached: false,
      interrupted: false,
      seconds: seconds(),
    };
  }
  const m = highs.createModel({
    offset: model.offset,
    numCols: model.numCols,
    numRows: model.numRows,
    colCost: model.colCost,
    colLower: model.colLower,
    colUpper: model.colUpper,
    rowLower: model.rowLower,
    rowUpper: model.rowUpper,
    integrality: model.integrality,
    matrix: {
      format: 'csr',
      numRows: model.numRows,
      numCols: model.numCols,
      starts: model.starts,
      indices: model.indices,
      values: model.values,
    },
  });
  let aborted = false;
  try {
    m.options.set({
      output_flag: false,
      time_limit: Math.max(0.01, options.timeLimitSeconds),
      mip_rel_gap: options.relGap,
      mip_abs_gap: options.absGap,
      random_seed: 0,
      ...options.highs,
    });
    if (options.start) m.setSolution({ colValue: options.start });
    let lastTick = 0;
    let interrupted = false;
    const types = highs.constants.callbackType;
    const callbacks: HighsCallbackMap = {
      [types.mipInterrupt](event) {
        const now = performance.now();
        if (options.onTick && now - lastTick > 250) {
          lastTick = now;
          const primal = event.data.mip_primal_bound;
          options.onTick({
            gap: event.data.mip_gap ?? Infinity,
            seconds: (now - started) / 1000,
            incumbent: primal !== undefined && Number.isFinite(primal) && Math.abs(primal) < 1e29 ? primal : null,
          });
        }
        if (options.shouldStop?.()) {
          interrupted = true;
          event.interrupt();
        }
        return undefined;
      },
    };
    const run = m.run(options.onTick || options.shouldStop ? callbacks : undefined);
    const status = run.modelStatus;
    const codes = highs.constants.modelStatus;
    const hasSolution = Number(m.info.get('primal_solution_status')) === 2;
    const objective = hasSolution ? m.getObjectiveValue() : Infinity;
    const bound = Number(m.info.get('mip_dual_bound'));
    const gap = hasSolution ? Number(m.info.get('mip_gap')) : Infinity;
    const outcome = (s: MipOutcome['status']): MipOutcome => ({
      status: s,
      values: hasSolution ? m.getSolution().colValue : null,
      objective,
      bound: Number.isFinite(bound) ? bound : -Infinity,
      gap: s === 'OPTIMAL' ? 0 : gap,
      timeLimitReached: status === codes.timeLimit,
      interrupted,
      seconds: seconds(),
    });
    if (status === codes.optimal) return outcome('OPTIMAL');
    if (status === codes.infeasible || status === codes.unboundedOrInfeasible) return outcome('INFEASIBLE');
    return outcome(hasSolution ? 'FEASIBLE' : 'NO_SOLUTION');
  } catch (error) {
    aborted = isWasmAbort(error);
    throw error;
  } finally {
    // A dead runtime cannot dispose anything: the whole runtime is dropped instead.
    if (!aborted) m.dispose();
  }
}

/** What one LP relaxation gives: its optimum (the bound), a proof of infeasibility, its solution. */
export interface Relaxation {
  bound: number;
  infeasible: boolean;
  seconds: number;
  /** The LP's optimal solution (null when it did not finish): rounded, it is a start (optimal/fixing.ts). */
  values: Float64Array | null;
}

/**
 * The optimum of a model's LP relaxation (every column continuous): a lower bound on the MIP's
 * objective that costs one LP, for when branch and bound is cut before its root node reports one.
 * `infeasible` proves the MIP infeasible; `bound` is -Infinity when the LP did not finish.
 */
export function lpRelaxation(highs: Highs, model: BuiltModel, seconds: number): Relaxation {
  const out = solveMip(
    highs,
    { ...model, integrality: new Int32Array(model.numCols) },
    { timeLimitSeconds: seconds, relGap: 0, absGap: 0 },
  );
  return {
    bound: out.status === 'OPTIMAL' ? out.objective : -Infinity,
    infeasible: out.status === 'INFEASIBLE',
    seconds: out.seconds,
    values: out.status === 'OPTIMAL' ? out.values : null,
  };
}
