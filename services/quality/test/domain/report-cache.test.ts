import { type EntityManager } from 'typeorm';
import { ReportCache } from '../../src/data/report-cache';

/** A stand-in for the database: the generation counters only. */
function counters() {
  const values = new Map<string, number>();
  const em = {
    query: async (_sql: string, [scopes]: [string[]]) =>
      scopes.filter((s) => values.has(s)).map((scope) => ({ scope, generation: String(values.get(scope)) })),
  } as unknown as EntityManager;
  return { em, bump: (scope: string) => values.set(scope, (values.get(scope) ?? 0) + 1) };
}

describe('ReportCache', () => {
  it('serves an entry while its counters stand, recomputes once one moves', async () => {
    const { em, bump } = counters();
    const cache = new ReportCache();
    let computed = 0;
    const get = () => cache.get(em, 'k', ['INSTITUTION|H'], async () => ++computed);
    expect(await get()).toBe(1);
    expect(await get()).toBe(1);
    bump('INSTITUTION|H');
    expect(await get()).toBe(2);
    bump('NETWORK|*'); // another root's counter: nothing to do with this entry
    expect(await get()).toBe(2);
    bump('*'); // everything
    expect(await get()).toBe(3);
    expect(cache.stats).toEqual({ hits: 2, misses: 3 });
  });

  it('shares one computation between concurrent misses and keeps no failure', async () => {
    const { em } = counters();
    const cache = new ReportCache();
    let computed = 0;
    const slow = () => cache.get(em, 'k', [], async () => (await new Promise((r) => setTimeout(r, 10)), ++computed));
    expect(await Promise.all([slow(), slow(), slow()])).toEqual([1, 1, 1]);
    const failing = cache.get(em, 'f', [], async () => Promise.reject(new Error('boom')));
    await expect(failing).rejects.toThrow('boom');
    expect(await cache.get(em, 'f', [], async () => 'ok')).toBe('ok');
  });

  it('evicts the least recently used entries beyond its count or weight', async () => {
    const { em } = counters();
    const cache = new ReportCache(2, 10);
    const put = (key: string, weight: number) =>
      cache.get(
        em,
        key,
        [],
        async () => key,
        () => weight,
      );
    const computes: string[] = [];
    const read = (key: string) =>
      cache.get(em, key, [], async () => {
        computes.push(key);
        return key;
      });
    await put('a', 1);
    await put('b', 1);
    await read('a'); // a is now the most recently used
    await put('c', 1); // b goes
    await read('a');
    await read('b');
    expect(computes).toEqual(['b']);
    await put('heavy', 11); // over the weight: everything else goes, the newest stays
    computes.length = 0;
    await read('heavy');
    await read('c');
    expect(computes).toEqual(['c']);
  });
});
