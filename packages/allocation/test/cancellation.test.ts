import { allocate, type AllocationInput, runVariations } from '../src';
import { blocks, prefs, sites, student } from './support/build';

function instance(n = 30): AllocationInput {
  const b = ['b1', 'b2', 'b3'];
  const ids = Array.from({ length: n }, (_, i) => `s${i}`);
  return {
    blocks: blocks(...b),
    students: ids.map((id) => student(id, 2, { X: 1, Y: 1 })),
    sites: ['XA', 'XB', 'YA', 'YB'].flatMap((d) => sites(d, b, Math.ceil(n / 5), d[0]!)),
    preferences: ids.flatMap((id, i) => prefs(id, i % 3 ? { XA: 1, XB: 2, YA: 1, YB: 2 } : { XB: 1, XA: 2, YB: 1, YA: 2 })),
  };
}

describe('progress and cancellation', () => {
  it('reports monotone progress ending at 1', async () => {
    const seen: [number, string][] = [];
    await runVariations(instance(), { seed: 'x', onProgress: (f, phase) => seen.push([f, phase]) });
    const fractions = seen.map(([f]) => f);
    expect(fractions.length).toBeGreaterThan(2);
    expect(fractions).toEqual([...fractions].sort((a, b) => a - b));
    expect(fractions.at(-1)).toBe(1);
    expect(seen.map(([, p]) => p)).toEqual(expect.arrayContaining(['checks', 'done']));
  });

  it('rejects with the abort reason when the signal is already aborted', async () => {
    const controller = new AbortController();
    controller.abort(new Error('run cancelled by coordinator'));
    await expect(allocate(instance(), 'OPTIMAL', { signal: controller.signal })).rejects.toThrow('run cancelled by coordinator');
  });

  it('stops between phases when the signal is aborted during the run', async () => {
    const controller = new AbortController();
    const phases: string[] = [];
    const run = runVariations(instance(), {
      seed: 'x',
      signal: controller.signal,
      onProgress: (_f, phase) => {
        phases.push(phase);
        if (phase === 'checks') controller.abort();
      },
    });
    await expect(run).rejects.toMatchObject({ name: 'AbortError' });
    expect(phases).not.toContain('done');
  });

  it('can be aborted from outside while it yields to the event loop', async () => {
    const controller = new AbortController();
    const run = allocate(instance(200), 'OPTIMAL', { signal: controller.signal });
    setImmediate(() => controller.abort());
    await expect(run).rejects.toMatchObject({ name: 'AbortError' });
    // Without the abort, the same instance solves.
    expect((await allocate(instance(200), 'OPTIMAL')).status).toBe('OPTIMAL');
  });
});
