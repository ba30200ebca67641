import { threadId as callerThread } from 'node:worker_threads';
import { AllocationInputError, type AllocationInput, runVariations, runVariationsInThread, type ThreadProgress } from '../src';
import { blocks, prefs, sites, stable, student } from './support/build';

/** Solving in a worker thread: same results, progress with the solver's figures, the caller's loop free, cancellation at once. */

function instance(n: number): AllocationInput {
  const b = ['b1', 'b2', 'b3', 'b4'];
  const ids = Array.from({ length: n }, (_, i) => `s${i}`);
  const departments = ['XA', 'XB', 'XC', 'YA', 'YB', 'YC'];
  return {
    blocks: blocks(...b),
    students: ids.map((id) => student(id, 2, { X: 1, Y: 1 })),
    sites: departments.flatMap((d) => sites(d, b, Math.ceil(n / 11), d[0]!)),
    // Crowded favourites, so that the integer program has work to do.
    preferences: ids.flatMap((id, i) =>
      prefs(id, Object.fromEntries(departments.map((d, j) => [d, 1 + ((i * 7 + j * ((i % 5) + 1)) % 6)]))),
    ),
  };
}

describe('runVariationsInThread', () => {
  it('gives what runVariations gives, solving in another thread with progress that carries the incumbent and its gap', async () => {
    const input = instance(60);
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
      await runVariationsInThread(instance(120), {
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
    const run = runVariationsInThread(instance(120), {
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
    const bad = instance(2);
    bad.preferences.push({ studentId: 'nobody', rank: 1, departmentId: 'XA' });
    const error = await runVariationsInThread(bad, { seed: 'x' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AllocationInputError);
    expect((error as AllocationInputError).issues.join('\n')).toContain('nobody');
  });
});
