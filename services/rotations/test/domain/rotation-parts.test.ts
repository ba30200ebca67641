import { relinkedParts, rotationWhat, type RotationPartRow, splitProblem } from '../../src/domain/rotation-parts';

const part = (id: string, block: number, extra: Partial<RotationPartRow> = {}): RotationPartRow => ({
  id,
  status: 'PROPOSED',
  departmentId: 'surgery',
  blockId: `b${block}`,
  blockName: `Block ${block}`,
  startsOn: `2026-0${block}-01`,
  endsOn: `2026-0${block}-28`,
  rotationPart: block,
  rotationParts: 3,
  rotationName: 'Surgery at Royal (Central), Block 1 – Block 3',
  ...extra,
});

describe('the parts of a rotation after a change (ADR 0035)', () => {
  it('renumbers the live parts in calendar order, spanning and naming what remains', () => {
    const parts = [part('c', 3, { status: 'CANCELLED' }), part('a', 1), part('b', 2, { status: 'COMPLETED' })];
    expect(relinkedParts(parts)).toEqual([
      { id: 'a', part: 1, parts: 2, name: 'Surgery at Royal (Central), Block 1 – Block 2', startsOn: '2026-01-01', endsOn: '2026-02-28' },
      { id: 'b', part: 2, parts: 2, name: 'Surgery at Royal (Central), Block 1 – Block 2', startsOn: '2026-01-01', endsOn: '2026-02-28' },
    ]);
    expect(relinkedParts([part('a', 1, { status: 'CANCELLED' }), part('b', 2, { status: 'CANCELLED' })])).toEqual([]);
    const middle = [part('a', 1, { status: 'CANCELLED' }), part('b', 2), part('c', 3, { status: 'CANCELLED' })];
    expect(relinkedParts(middle)).toEqual([
      { id: 'b', part: 1, parts: 1, name: 'Surgery at Royal (Central), Block 2', startsOn: '2026-02-01', endsOn: '2026-02-28' },
    ]);
  });

  it('finds the span in the name from the parts’ blocks or the blocks a part just left, else keeps the name whole', () => {
    expect(rotationWhat('Surgery at Royal (Central), Block 1 – Block 3', ['Block 1', 'Block 3'])).toBe('Surgery at Royal (Central)');
    expect(rotationWhat('Surgery at Royal (Central), Block 2', ['Block 2'])).toBe('Surgery at Royal (Central)');
    expect(rotationWhat('Surgery, Block 1 – Block 3', ['Block 1'])).toBeNull();
    expect(rotationWhat('Block 1', ['Block 1'])).toBeNull();
    // A part moved out of Block 1 into Block 4: the old span is found through the former block.
    const moved = [part('a', 2), part('b', 3), part('c', 4)].map((p) => ({ ...p, rotationName: 'S, Block 1 – Block 3' }));
    expect(relinkedParts(moved, ['Block 1'])[0]!.name).toBe('S, Block 2 – Block 4');
    expect(relinkedParts(moved)[0]!.name).toBe('S, Block 1 – Block 3');
  });

  it('says why live parts no longer make one rotation: two departments, a block left out, a calendar break', () => {
    const calendar = [
      { id: 'b1', name: 'Block 1', startsOn: '2026-01-01', endsOn: '2026-01-28' },
      { id: 'b2', name: 'Block 2', startsOn: '2026-01-29', endsOn: '2026-02-25' },
      { id: 'b3', name: 'Block 3', startsOn: '2026-03-05', endsOn: '2026-03-31' },
      { id: 'b4', name: 'Block 4', startsOn: '2026-04-09', endsOn: '2026-05-06' },
    ];
    const at = (blockId: string, departmentId = 'surgery') => ({ blockId, departmentId });
    expect(splitProblem([at('b1')], calendar)).toBeNull();
    expect(splitProblem([at('b2'), at('b1')], calendar)).toBeNull();
    // 7 days between Block 2 and Block 3 is not a break; 8 between Block 3 and Block 4 is.
    expect(splitProblem([at('b2'), at('b3')], calendar)).toBeNull();
    expect(splitProblem([at('b3'), at('b4')], calendar)).toBe('BLOCKS');
    expect(splitProblem([at('b1'), at('b3')], calendar)).toBe('BLOCKS');
    expect(splitProblem([at('b1'), at('b2', 'medicine')], calendar)).toBe('DEPARTMENTS');
    expect(splitProblem([at('b1'), at('elsewhere')], calendar)).toBe('BLOCKS');
  });
});
