import { findCycle, findCycles, unknownTargets } from '../../src/domain/graph';

const graph = (edges: Record<string, string[]>) => new Map(Object.entries(edges));

describe('dependency graphs', () => {
  it('finds no cycle in a DAG, even a long chain', () => {
    expect(findCycle(graph({ a: ['b', 'c'], b: ['c'], c: [] }))).toBeNull();
    const chain = new Map(Array.from({ length: 20_000 }, (_, i) => [`n${i}`, i ? [`n${i - 1}`] : []]));
    expect(findCycle(chain)).toBeNull();
  });

  it('names the cycle as the path that closes it', () => {
    expect(findCycle(graph({ a: ['b'], b: ['c'], c: ['a'] }))).toEqual(['a', 'b', 'c', 'a']);
    expect(findCycle(graph({ x: [], a: ['a'] }))).toEqual(['a', 'a']);
    expect(findCycle(graph({ root: ['a'], a: ['b'], b: ['a'] }))).toEqual(['a', 'b', 'a']);
  });

  it('ignores edges to unknown nodes for cycles and reports them separately', () => {
    const g = graph({ a: ['ghost'], b: ['a'] });
    expect(findCycle(g)).toBeNull();
    expect(unknownTargets(g)).toEqual([['a', 'ghost']]);
  });

  it('finds several distinct cycles', () => {
    const cycles = findCycles(graph({ a: ['b'], b: ['a'], c: ['d'], d: ['c'], e: [] }));
    expect(cycles).toEqual([
      ['a', 'b', 'a'],
      ['c', 'd', 'c'],
    ]);
  });
});
