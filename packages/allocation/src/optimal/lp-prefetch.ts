import { type Instance } from '../instance';
import { highsModule, type Relaxation } from '../solver/highs';
import { startWorker } from '../start-worker';
import { attemptRanks } from './ranks';
import { countColumns } from './session';

/**
 * Stage 1's LP relaxations solved in another thread while the lottery draws (ADR 0066).
 *
 * OPTIMAL starts from the lottery, so on one thread its LPs waited for the draw; yet they need
 * nothing of it: the worst ranks below the optimum are proven infeasible by their LP alone, and
 * the first feasible one gives the bound and the guide of the start (ADR 0057). On a 2-core machine
 * the other core is idle during the draw. The thread builds the instance from the canonical input
 * (so its stage-1 columns are the caller's, in the same order), solves the worst ranks it is given
 * in increasing order and stops at the first whose LP is not infeasible (feasible or unfinished):
 * the attempts after it need the lottery. The caller takes each LP when its attempt comes, waiting
 * at most what it would have given the LP itself.
 *
 * Exactness and determinism are the caller's own LPs': the same model, solved by the same HiGHS.
 */

/** An LP the other thread solved, with its model's size (a check that both threads built the same model). */
export interface SolvedLp {
  w: number;
  columns: number;
  rows: number;
  lp: Relaxation;
}

export type PrefetchMessage = ({ type: 'lp' } & SolvedLp) | { type: 'started'; w: number } | { type: 'done' };

export interface LpPrefetch {
  /**
   * The LP at worst rank w, waiting at most `seconds` for it: null when the thread will not solve
   * it (not asked, stopped before it, failed), 'late' when it is not there in time, or at once
   * when the thread has not begun any LP yet (still starting: on a loaded machine its start-up
   * from sources took seconds, and the caller's own LP is then sooner).
   */
  at(w: number, seconds: number): Promise<SolvedLp | 'late' | null>;
  /** Resolves once the thread has begun its first LP. */
  begun: Promise<void>;
  stop(): void;
}

/**
 * Instances whose full model at the loosest caps has fewer columns than this are not worth a
 * thread: its start-up (about 0.3 s from compiled JavaScript) is longer than their LPs.
 */
export const PREFETCH_MIN_COLUMNS = 10_000;

/**
 * Starts the thread on OPTIMAL's worst ranks (attemptRanks) with `seconds` for all of them, or
 * null when the instance is too small to gain from it. An abort of `signal` stops it.
 */
export function prefetchStageOneLps(
  inst: Instance,
  floor: Int32Array,
  seconds: number,
  signal?: AbortSignal,
  minColumns = PREFETCH_MIN_COLUMNS,
): LpPrefetch | null {
  if (countColumns(inst, new Int32Array(inst.students.length).fill(inst.unrankedRank)) < minColumns) return null;
  const ranks = attemptRanks(inst, floor);
  const worker = startWorker(__dirname, 'lp-prefetch-entry', { input: inst.input, floor, ranks, seconds });
  // One compiled HiGHS for both threads: the code the LPs warm up here is the code this thread's
  // solves run after them (without it, this thread's first MIP paid for its own warm-up).
  void highsModule().then(
    (module) => worker.postMessage({ module }),
    () => void worker.terminate(),
  );
  const asked = new Set(ranks);
  const solved = new Map<number, SolvedLp>();
  let begin = () => {};
  const begun = new Promise<void>((resolve) => (begin = resolve));
  let hasBegun = false;
  const waiting = new Set<() => void>();
  let finished = false;
  const finish = () => {
    finished = true;
    for (const wake of [...waiting]) wake();
  };
  worker.on('message', (m: PrefetchMessage) => {
    if (m.type === 'lp') solved.set(m.w, { w: m.w, columns: m.columns, rows: m.rows, lp: m.lp });
    else if (m.type === 'started') {
      hasBegun = true;
      begin();
    } else finished = true;
    for (const wake of [...waiting]) wake();
  });
  worker.on('error', finish);
  worker.on('exit', finish);
  // The thread must not keep a process alive that has nothing else to do.
  worker.unref();
  const stop = () => {
    signal?.removeEventListener('abort', stop);
    finish();
    void worker.terminate();
  };
  signal?.addEventListener('abort', stop, { once: true });
  return {
    at(w, seconds) {
      return new Promise((resolve) => {
        const settle = (value: SolvedLp | 'late' | null) => {
          clearTimeout(timer);
          waiting.delete(wake);
          resolve(value);
        };
        const wake = () => {
          const lp = solved.get(w);
          if (lp) settle(lp);
          else if (finished || !asked.has(w)) settle(null);
        };
        const timer = setTimeout(() => settle('late'), hasBegun ? Math.max(0, seconds) * 1000 : 0);
        waiting.add(wake);
        wake();
      });
    },
    stop,
    begun,
  };
}
