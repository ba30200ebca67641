import { threadId as callerThread } from 'node:worker_threads';
import { AllocationInputError, runVariations, runVariationsInThread, type ThreadProgress } from '../src';
import { stable } from './support/build';
import { crowdedInstance } from './support/crowded';

/** Solving in a worker thread: same results, progress with the solver's figures, the caller's loop free, cancellation at once. */

describe('runVariationsInThread', () => {
  it('gives what runVariations gives, solving in another thread with progress that carries the incumbent and its gap', async () => {
    const input = crowdedInstance(60);
    const progress: ThreadProgress[] = [];
    const inThread = await runVariationsInThread(input, { seed: 'thread', onProgress: (p) => progress.push(p) });
    const inProcess = await runVariations(input, { seed: 'thread' });
    expect(inThread.inputHash).toBe(inProcess.inputHash);
    expect(inThread.variations.map(stable)).toEqual(inProcess.variations.map(stable));

    expect(progress.length).toBeGreaterThan(2);
    for (const p of progress) expect(p.threadId).not.toBe(callerThread);
    const fractions = progress.map((p) => p.fraction);
    expect(fractions).toEqual([...fractions].sort((a, b) => a - b));
    expect(progress.at(-1)).toMatchObject({ fraction: 1, phase: 'done' });
    const solving = progress.filter((p) => p.phase === 'optimal' && p.detail);
    expect(solving.length).toBeGreaterThan(0);
    for (const p of solving) {
      expect(p.detail!.worstRank).toEqual(expect.any(Number));
      if (p.detail!.incumbent !== null) expect(p.detail!.gap).toBeGreaterThanOrEqual(0);
    }
  });

  it('keeps the caller’s event loop turning while it solves', async () => {
    let ticks = 0;
    let ticksAtFirstProgress: number | null = null;
    const timer = setInterval(() => ticks++, 1);
    try {
      await runVariationsInThread(crowdedInstance(120), {
        seed: 'loop',
        onProgress: () => {
          ticksAtFirstProgress ??= ticks;
        },
      });
    } finally {
      clearInterval(timer);
    }
    // Timers fired between the first progress message and the answer: the solve never held this thread.
    expect(ticksAtFirstProgress).not.toBeNull();
    expect(ticks).toBeGreaterThan(ticksAtFirstProgress!);
  });

  it('stops a solve in the middle when the signal aborts, and rejects with its reason', async () => {
    const controller = new AbortController();
    const phases: string[] = [];
    const run = runVariationsInThread(crowdedInstance(120), {
      seed: 'cancel',
      signal: controller.signal,
      onProgress: (p) => {
        phases.push(p.phase);
        if (p.phase === 'lottery' || p.phase === 'optimal') controller.abort(new Error('run cancelled by coordinator'));
      },
    });
    await expect(run).rejects.toThrow('run cancelled by coordinator');
    expect(phases).not.toContain('done');
  });

  it('rejects a malformed snapshot with the same error and issues as in the caller’s thread', async () => {
    const bad = crowdedInstance(2);
    bad.preferences.push({ studentId: 'nobody', rank: 1, departmentId: 'XA' });
    const error = await runVariationsInThread(bad, { seed: 'x' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AllocationInputError);
    expect((error as AllocationInputError).issues.join('\n')).toContain('nobody');
  });
});
