import { parentPort, workerData } from 'node:worker_threads';
import { buildInstance } from '../instance';
import { getHighs, lpRelaxation, useHighsModule } from '../solver/highs';
import { type AllocationInput } from '../types';
import { WHOLE_STAGE_ONE_MAX_COLUMNS } from './attempts';
import { buildStageOne } from './decomposed';
import { type PrefetchMessage } from './lp-prefetch';

/**
 * The other thread of lp-prefetch.ts: stage 1's LP at each worst rank asked, in increasing order,
 * until the first that is not infeasible (the attempts after it need the lottery), posting each.
 */
const { input, floor, ranks, seconds } = workerData as { input: AllocationInput; floor: Int32Array; ranks: number[]; seconds: number };
const post = (m: PrefetchMessage) => parentPort!.postMessage(m);

async function solveInTurn(): Promise<void> {
  const started = performance.now();
  const inst = buildInstance(input);
  const { module } = await new Promise<{ module: Parameters<typeof useHighsModule>[0] }>((resolve) => parentPort!.once('message', resolve));
  useHighsModule(module);
  const highs = await getHighs();
  for (const w of ranks) {
    const left = seconds - (performance.now() - started) / 1000;
    if (left <= 0) return;
    post({ type: 'started', w });
    const one = buildStageOne(
      inst,
      Int32Array.from(floor, (f) => Math.max(w, f)),
    );
    // Too large to hand to HiGHS whole: the caller does not solve its LP either (ADR 0055).
    if (one.model.numCols >= WHOLE_STAGE_ONE_MAX_COLUMNS) return;
    const lp = lpRelaxation(highs, one.model, left);
    post({ type: 'lp', w, columns: one.model.numCols, rows: one.model.numRows, lp });
    if (!lp.infeasible) return;
  }
}

// Any failure only ends the thread's part: the caller solves what it did not post.
const done = () => post({ type: 'done' });
solveInTurn().then(done, done);
