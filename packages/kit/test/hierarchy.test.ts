import { childrenOf, subtree, subtreeOf } from '../src/hierarchy';

describe('a hierarchy indexed once, walked for every root', () => {
  const parentOf = new Map<string, string | null>([
    ['SA', null],
    ['SA.1', 'SA'],
    ['SA.2', 'SA'],
    ['SA.2.a', 'SA.2'],
    ['EPA1', null],
  ]);

  it('lists each id’s children in the order the links came', () => {
    const children = childrenOf(parentOf);
    expect(children.get('SA')).toEqual(['SA.1', 'SA.2']);
    expect(children.get('SA.2')).toEqual(['SA.2.a']);
    expect(children.has('EPA1')).toBe(false);
  });

  it('answers what subtree answers, for every root, from one index', () => {
    const children = childrenOf(parentOf);
    for (const root of [...parentOf.keys(), 'unknown']) expect(subtreeOf(root, children)).toEqual(subtree(root, parentOf));
    expect(subtreeOf('SA', children)).toEqual(new Set(['SA', 'SA.1', 'SA.2', 'SA.2.a']));
    expect(subtreeOf('unknown', children)).toEqual(new Set(['unknown']));
  });

  it('ends on a cycle (bad data must not hang a request)', () => {
    const cyclic = new Map<string, string | null>([
      ['a', 'b'],
      ['b', 'a'],
    ]);
    expect(subtreeOf('a', childrenOf(cyclic))).toEqual(new Set(['a', 'b']));
  });
});
