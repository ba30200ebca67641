import { keepAllocationThreadWarm, runVariations, runVariationsInThread, type ThreadProgress } from '../src';
import { warmUpModel } from '../src/solver/warm-up';
import { getHighs, solveMip } from '../src/solver/highs';
import { stable } from './support/build';
import { crowdedInstance } from './support/crowded';

/**
 * The kept-warm allocation thread (ADR 0068): started and warmed up ahead of the runs, it solves
 * them in turn (the same results as in the caller's thread), is replaced after a cancellation,
 * and never keeps the process alive.
 */

const threadOf = (progress: ThreadProgress[]) => new Set(progress.map((p) => p.threadId));

describe('keepAllocationThreadWarm', () => {
  it('warms a thread up before any run, which then solves the runs in turn with the results of the caller’s thread', async () => {
    const kept = keepAllocationThreadWarm(0.3);
    try {
      const warm = await kept.warm;
      expect(warm.solves).toBeGreaterThanOrEqual(1);
      const first: ThreadProgress[] = [];
      const second: ThreadProgress[] = [];
      const a = await runVariationsInThread(crowdedInstance(40), { seed: 'warm', onProgress: (p) => first.push(p) });
      const b = await runVariationsInThread(crowdedInstance(30), { seed: 'warm', onProgress: (p) => second.push(p) });
      // Both runs in the thread warmed up before them: not a thread started for each.
      expect(threadOf(first)).toEqual(new Set([warm.threadId]));
      expect(threadOf(second)).toEqual(new Set([warm.threadId]));
      expect(a.variations.map(stable)).toEqual((await runVariations(crowdedInstance(40), { seed: 'warm' })).variations.map(stable));
      expect(b.variations.map(stable)).toEqual((await runVariations(crowdedInstance(30), { seed: 'warm' })).variations.map(stable));
    } finally {
      await kept.stop();
    }
  });

  it('replaces the thread after a cancellation, and solves the next run in the new one', async () => {
    const kept = keepAllocationThreadWarm(0.3);
    try {
      const warm = await kept.warm;
      const controller = new AbortController();
      const cancelled = runVariationsInThread(crowdedInstance(120), {
        seed: 'cancel',
        signal: controller.signal,
        onProgress: (p) => {
          if (p.phase === 'lottery' || p.phase === 'optimal') controller.abort(new Error('run cancelled by coordinator'));
        },
      });
      await expect(cancelled).rejects.toThrow('run cancelled by coordinator');
      const next = keepAllocationThreadWarm(0.3);
      const replacement = await next.warm;
      expect(replacement.threadId).not.toBe(warm.threadId);
      const progress: ThreadProgress[] = [];
      await runVariationsInThread(crowdedInstance(30), { seed: 'after', onProgress: (p) => progress.push(p) });
      expect(threadOf(progress)).toEqual(new Set([replacement.threadId]));
    } finally {
      await kept.stop();
    }
  });

  it('solves a run posted during the warm-up without waiting for all of it', async () => {
    const kept = keepAllocationThreadWarm(600);
    try {
      const progress: ThreadProgress[] = [];
      const out = await runVariationsInThread(crowdedInstance(30), { seed: 'early', onProgress: (p) => progress.push(p) });
      expect(out.variations).toHaveLength(2);
      // The warm-up (600 s asked) ended at the run's arrival, in the thread that then solved it.
      const warm = await kept.warm;
      expect(warm.interrupted).toBe(true);
      expect(threadOf(progress)).toEqual(new Set([warm.threadId]));
    } finally {
      await kept.stop();
    }
  });
});

describe('warmUpModel', () => {
  it('is a feasible allocation-shaped MIP that branch and bound solves to optimality', async () => {
    const model = warmUpModel('warm-up 0');
    expect(model.numCols).toBeGreaterThan(1000);
    const out = solveMip(await getHighs(), model, { timeLimitSeconds: 60, relGap: 0, absGap: 0.99 });
    expect(out.status).toBe('OPTIMAL');
  });
});
