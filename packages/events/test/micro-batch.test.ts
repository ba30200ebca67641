import { createMicroBatcher } from '../src/micro-batch';

/** The micro-batcher alone (no I/O): how it gathers items, and what happens when a batch fails. */
describe('createMicroBatcher', () => {
  it('gathers items submitted together into batches of at most maxSize', async () => {
    const batches: number[][] = [];
    const batcher = createMicroBatcher<number, number>(
      { maxSize: 4, waitMs: 5 },
      async (items) => {
        batches.push(items);
        return items.map((i) => i * 10);
      },
      async () => {
        throw new Error('not expected alone');
      },
    );
    const results = await Promise.all([1, 2, 3, 4, 5, 6].map((i) => batcher.submit(i)));
    expect(results).toEqual([10, 20, 30, 40, 50, 60]);
    expect(batches).toEqual([
      [1, 2, 3, 4],
      [5, 6],
    ]);
  });

  it('runs every item of a failed batch alone: only the bad one fails', async () => {
    const alone: number[] = [];
    const batcher = createMicroBatcher<number, string>(
      { maxSize: 10, waitMs: 5 },
      async () => {
        throw new Error('batch failed');
      },
      async (i) => {
        alone.push(i);
        if (i === 2) throw new Error('bad item');
        return `ok ${i}`;
      },
    );
    const settled = await Promise.allSettled([1, 2, 3].map((i) => batcher.submit(i)));
    expect(settled.map((s) => (s.status === 'fulfilled' ? s.value : (s.reason as Error).message))).toEqual(['ok 1', 'bad item', 'ok 3']);
    expect(alone).toEqual([1, 2, 3]);
  });

  it('runs at most maxInFlight batches at once; the rest wait and then leave', async () => {
    let running = 0;
    let most = 0;
    const batcher = createMicroBatcher<number, number>(
      { maxSize: 2, waitMs: 1, maxInFlight: 2 },
      async (items) => {
        most = Math.max(most, ++running);
        await new Promise((r) => setTimeout(r, 10));
        running--;
        return items;
      },
      async (i) => i,
    );
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => batcher.submit(i)));
    expect(results).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(most).toBe(2);
  });
});
