import { aggregate } from '../../src/domain/aggregates';
import { closedBlocks, teacherRelease } from '../../src/domain/release';

const at = (day: number) => new Date(Date.UTC(2026, 10, day));
const block = (blockId: string, day: number, ...evaluatorIds: string[]) => ({ blockId, closedAt: at(day), evaluatorIds });

describe("a teacher's release", () => {
  it('needs k distinct evaluators across at least two closed blocks', () => {
    expect(teacherRelease([block('b1', 1, 'a', 'b', 'c', 'd', 'e', 'f')], 5, 2)).toMatchObject({
      released: false,
      withheldReason: 'TOO_FEW_BLOCKS',
    });
    expect(teacherRelease([block('b1', 1, 'a', 'b'), block('b2', 2, 'a', 'b', 'c')], 5, 2)).toMatchObject({
      released: false,
      withheldReason: 'TOO_FEW_EVALUATORS',
    });
    const released = teacherRelease([block('b1', 1, 'a', 'b', 'c'), block('b2', 2, 'd', 'e')], 5, 2);
    expect(released).toEqual({ released: true, withheldReason: null, blockIds: ['b1', 'b2'], evaluatorCount: 5, releasedThrough: at(2) });
    // The same student twice is one evaluator.
    expect(teacherRelease([block('b1', 1, 'a', 'b', 'c'), block('b2', 2, 'a', 'b', 'c', 'd')], 5, 2).released).toBe(false);
  });

  it('grows only by groups of k new evaluators, in the order blocks closed', () => {
    const blocks = [block('b1', 1, 'a', 'b', 'c'), block('b2', 2, 'd', 'e'), block('b3', 3, 'f'), block('b4', 5, 'g', 'h', 'i', 'j')];
    // b3 alone (one evaluator) would be readable by difference: it waits until b4 closes with it.
    expect(teacherRelease(blocks.slice(0, 3), 5, 2).blockIds).toEqual(['b1', 'b2']);
    expect(teacherRelease(blocks, 5, 2)).toMatchObject({ blockIds: ['b1', 'b2', 'b3', 'b4'], evaluatorCount: 10, releasedThrough: at(5) });
    // Arrival order of the list does not matter; closing order does.
    expect(teacherRelease([...blocks].reverse(), 5, 2).blockIds).toEqual(['b1', 'b2', 'b3', 'b4']);
    expect(teacherRelease([block('e', 1)], 5, 2).withheldReason).toBe('TOO_FEW_EVALUATORS');
  });
});

describe("a teacher's release: the edges of the rule", () => {
  it('withholds k evaluators in a single block as too few blocks, and k - 1 as too few evaluators', () => {
    expect(teacherRelease([block('b1', 1, 'a', 'b', 'c', 'd', 'e')], 5, 2).withheldReason).toBe('TOO_FEW_BLOCKS');
    expect(teacherRelease([block('b1', 1, 'a', 'b'), block('b2', 2, 'c', 'd')], 5, 2).withheldReason).toBe('TOO_FEW_EVALUATORS');
  });

  it('does not count a block nobody evaluated towards the blocks needed, nor name it in the release', () => {
    expect(teacherRelease([block('empty', 1), block('b1', 2, 'a', 'b', 'c', 'd', 'e')], 5, 2)).toMatchObject({
      released: false,
      withheldReason: 'TOO_FEW_BLOCKS',
    });
    const r = teacherRelease([block('b1', 1, 'a', 'b', 'c'), block('empty', 2), block('b2', 3, 'd', 'e')], 5, 2);
    expect(r.blockIds).toEqual(['b1', 'b2']);
  });

  it('releases with exactly minBlocks blocks and exactly k evaluators, and needs minBlocks only for the first group', () => {
    expect(teacherRelease([block('b1', 1, 'a', 'b', 'c', 'd', 'e')], 5, 1)).toMatchObject({ released: true, blockIds: ['b1'] });
    const later = teacherRelease([block('b1', 1, 'a', 'b', 'c'), block('b2', 2, 'd', 'e'), block('b3', 3, 'f', 'g', 'h', 'i', 'j')], 5, 2);
    expect(later).toMatchObject({ blockIds: ['b1', 'b2', 'b3'], evaluatorCount: 10, releasedThrough: at(3) });
  });

  it('orders blocks that closed at the same time by id', () => {
    const r = teacherRelease([block('b2', 1, 'a', 'b', 'c'), block('b1', 1, 'd', 'e')], 5, 2);
    expect(r.blockIds).toEqual(['b1', 'b2']);
  });
});

describe("a teacher's release: what a withheld release shows", () => {
  it('names no block, no evaluator and no date while withheld', () => {
    expect(teacherRelease([block('b1', 1, 'a', 'b'), block('b2', 2, 'c')], 5, 2)).toEqual({
      released: false,
      withheldReason: 'TOO_FEW_EVALUATORS',
      blockIds: [],
      evaluatorCount: 0,
      releasedThrough: null,
    });
  });
});

describe('closed blocks', () => {
  it('keeps a block open while a task is pending or unsettled, whatever the other field says', () => {
    const closed = closedBlocks([
      { blockId: 'b1', placementStatus: 'COMPLETED', tasks: [{ status: 'PENDING', settledAt: at(3) }] },
      { blockId: 'b2', placementStatus: 'COMPLETED', tasks: [{ status: 'SUBMITTED', settledAt: null }] },
      { blockId: 'b3', placementStatus: 'CANCELLED', tasks: [{ status: 'DECLINED', settledAt: at(4) }] },
    ]);
    expect([...closed.entries()]).toEqual([['b3', at(4)]]);
  });

  it('closes a block whose placements all ended without any evaluation task at the epoch', () => {
    expect([...closedBlocks([{ blockId: 'b1', placementStatus: 'CANCELLED', tasks: [] }]).entries()]).toEqual([['b1', new Date(0)]]);
    expect([...closedBlocks([{ blockId: 'b1', placementStatus: 'CONFIRMED', tasks: [] }]).entries()]).toEqual([]);
  });

  it('closes at the last settlement, whichever placement it came from', () => {
    const settled = (day: number) => ({ status: 'SUBMITTED', settledAt: at(day) });
    const closed = closedBlocks([
      { blockId: 'b1', placementStatus: 'COMPLETED', tasks: [settled(9)] },
      { blockId: 'b1', placementStatus: 'COMPLETED', tasks: [settled(3)] },
    ]);
    expect(closed.get('b1')).toEqual(at(9));
  });

  it('closes a block when every placement ended and every task settled, at the last settlement', () => {
    const settled = (day: number) => ({ status: 'SUBMITTED', settledAt: at(day) });
    const closed = closedBlocks([
      { blockId: 'b1', placementStatus: 'COMPLETED', tasks: [settled(3), { status: 'EXPIRED', settledAt: at(9) }] },
      { blockId: 'b1', placementStatus: 'CANCELLED', tasks: [] },
      { blockId: 'b2', placementStatus: 'COMPLETED', tasks: [settled(2)] },
      { blockId: 'b2', placementStatus: 'IN_PROGRESS', tasks: [] },
      { blockId: 'b3', placementStatus: 'COMPLETED', tasks: [{ status: 'PENDING', settledAt: null }] },
    ]);
    expect([...closed.entries()]).toEqual([['b1', at(9)]]);
  });
});

describe('aggregates', () => {
  it('averages ratings per item and overall, ignoring free text and N/A', () => {
    const items = new Map([
      ['x', { key: 'x', label: 'X', min: 1, max: 5, position: 1 }],
      ['y', { key: 'y', label: 'Y', min: 1, max: 5, position: 2 }],
    ]);
    const r = (itemKey: string, rating: number | null, extra = {}) => ({
      itemKey,
      rating,
      notApplicable: false,
      done: null,
      text: null,
      ...extra,
    });
    const result = aggregate(
      [
        { evaluatorId: 'a', responses: [r('y', 2), r('x', 4), r('comments', null, { text: 'Great' })] },
        { evaluatorId: 'b', responses: [r('x', 5), r('y', null, { notApplicable: true })] },
      ],
      items,
    );
    expect(result).toEqual({
      evaluationCount: 2,
      evaluatorCount: 2,
      overallMean: 3.67,
      items: [
        { itemKey: 'x', label: 'X', mean: 4.5, responseCount: 2, scaleMin: 1, scaleMax: 5 },
        { itemKey: 'y', label: 'Y', mean: 2, responseCount: 1, scaleMin: 1, scaleMax: 5 },
      ],
    });
  });
});
