import { createRng } from '../prng';
import { getHighs, lpRelaxation, solveMip } from './highs';
import { type BuiltModel, LpBuilder } from './lp-builder';

/**
 * Warms HiGHS up once in a long-lived process, before its first run (ADR 0068).
 *
 * V8 compiles HiGHS' WebAssembly lazily with its baseline compiler (Liftoff) and recompiles a
 * function with its optimising compiler (TurboFan) only once it has run hot. The first MIP of a
 * process therefore ran about 2.5 times slower than the same MIP later (session 12: year80's
 * completion around the LP, 2.9–3.6 CPU s first, 1.2 s again), and with a 5 s budget that first
 * MIP was the one that had to find the answer. A small solve of the same kind at start-up (an LP
 * relaxation, then branch and bound with presolve and heuristics) runs the hot functions until
 * they tier up; every later run in the process (the runtime is shared, `getHighs`) gets their
 * optimised code.
 *
 * The model is synthetic (no snapshot is needed at start-up) and shaped like the allocation's:
 * students take one department per block, a number of blocks per specialty, departments have
 * seats per block, costs are ranks. Deterministic for its seed.
 */

export interface WarmUp {
  /** Wall seconds the warm-up took (compiling HiGHS included). */
  seconds: number;
  /** Solves made (the LP and the MIPs). */
  solves: number;
  /** Ended early because a run was waiting (`shouldStop`), not because its time was up. */
  interrupted: boolean;
}

/** Students, blocks and departments of the warm-up model: ~2,000 columns, a few tenths of a CPU second each solve. */
const STUDENTS = 40;
const BLOCKS = 8;
const DEPARTMENTS = 6;
/** Departments per specialty (three specialties), and blocks each student needs in each. */
const PER_SPECIALTY = 2;
const NEEDED = [3, 3, 2];
/** Seats per department and block: tight enough that branch and bound has work to do. */
const SEATS = 8;

export function warmUpModel(seed = 'warm-up'): BuiltModel {
  const rng = createRng(seed);
  const lp = new LpBuilder();
  const col: number[][][] = [];
  for (let s = 0; s < STUDENTS; s++) {
    col.push([]);
    const rank = Array.from({ length: DEPARTMENTS }, () => 1 + rng.int(DEPARTMENTS));
    for (let b = 0; b < BLOCKS; b++) col[s]!.push(rank.map((r) => lp.addCol(r + rng.int(2), 0, 1)));
  }
  for (let s = 0; s < STUDENTS; s++) {
    for (let b = 0; b < BLOCKS; b++) lp.addRow(1, 1, col[s]![b]!);
    NEEDED.forEach((n, k) => {
      const cols: number[] = [];
      for (let b = 0; b < BLOCKS; b++) for (let d = k * PER_SPECIALTY; d < (k + 1) * PER_SPECIALTY; d++) cols.push(col[s]![b]![d]!);
      lp.addRow(n, n, cols);
    });
  }
  for (let b = 0; b < BLOCKS; b++)
    for (let d = 0; d < DEPARTMENTS; d++)
      lp.addRow(
        0,
        SEATS,
        col.map((c) => c[b]![d]!),
      );
  return lp.build();
}

/**
 * Default seconds of warm-up. Measured on the shared machine (load 20-35; main-thread / process CPU
 * seconds of year80's attempt that proves 2,434): cold 3.4 / 6.4-6.7; after a warm-up of 0.6 / 2.3
 * 3.1 / 4.8; after 1.4 / 3.9, 3.5 / 4.9; after 5.8 / 8.8, 2.7 / 3.4, what the same attempt costs
 * when the run is repeated in the process (2.7 / 3.2). A small real instance (year24, 1.1 / 3.3)
 * did no better than the synthetic model: what counts is how long HiGHS has run. Five seconds of
 * an idle core, once per worker, for the whole gain.
 */
export const WARM_UP_SECONDS = 5;

/**
 * Compiles HiGHS and runs the warm-up solves for about `seconds` of wall, or until `shouldStop` says a run is waiting (polled between solves: a job never waits for
 * a whole warm-up). A second call only costs its solves.
 */
export async function warmUpSolver(seconds = WARM_UP_SECONDS, shouldStop: () => boolean = () => false): Promise<WarmUp> {
  const started = performance.now();
  const elapsed = () => (performance.now() - started) / 1000;
  const highs = await getHighs();
  let solves = 0;
  // At least one LP and one MIP unless a run is waiting: compiling HiGHS alone may outlast `seconds`.
  for (let i = 0; (solves === 0 || elapsed() < seconds) && !shouldStop(); i++) {
    const model = warmUpModel(`warm-up ${i}`);
    lpRelaxation(highs, model, Math.max(0.1, seconds - elapsed()));
    solves++;
    if (shouldStop()) break;
    solveMip(highs, model, { timeLimitSeconds: Math.max(0.1, seconds - elapsed()), relGap: 0, absGap: 0.99 });
    solves++;
  }
  return { seconds: elapsed(), solves, interrupted: shouldStop() };
}
