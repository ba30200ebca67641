import { createLogger } from '@medcollab/kit';
import { startLoop } from '../src/loop';

/** The background loop alone (no I/O): how long it pauses after a pass. */
describe('startLoop', () => {
  const log = createLogger('loop-test', 'silent');

  it('sleeps as long as a pass asks when it resolves a number, instead of the interval', async () => {
    let passes = 0;
    // An interval of ten minutes: only a pass's own pause of 50 ms lets the loop come back within the test.
    const loop = startLoop({
      name: 'timer',
      log,
      intervalMs: 600_000,
      run: async () => {
        passes++;
        return 50;
      },
    });
    await new Promise((r) => setTimeout(r, 400));
    await loop.stop();
    // More than one pass (not the interval), and far fewer than a loop that never pauses would run.
    expect(passes).toBeGreaterThan(1);
    expect(passes).toBeLessThan(40);
  }, 240_000);

  it('runs again at once after true, and waits the interval after false', async () => {
    const results = [true, true, false];
    let passes = 0;
    let done!: () => void;
    const reachedFalse = new Promise<void>((resolve) => (done = resolve));
    const loop = startLoop({
      name: 'batches',
      log,
      intervalMs: 600_000,
      run: async () => {
        const more = results[passes++] ?? false;
        if (!more) done();
        return more;
      },
    });
    await reachedFalse;
    // The third pass said "no more work": the loop now sleeps the (ten-minute) interval.
    await new Promise((r) => setTimeout(r, 100));
    expect(passes).toBe(3);
    await loop.stop();
  }, 240_000);
});
