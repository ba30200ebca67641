import { LpBuilder, withoutFixedColumns } from '../src/solver/lp-builder';

describe('withoutFixedColumns', () => {
  it('moves fixed columns to the row bounds and the offset, drops rows left empty, keeps the rest in order', () => {
    const lp = new LpBuilder();
    const a = lp.addCol(3, 0, 1);
    const b = lp.addCol(5, 0, 4);
    const c = lp.addCol(7, 0, 1);
    lp.addRow(1, 4, [a, b, c], [1, 2, 1]); // a + 2b + c in [1, 4]
    lp.addRow(-Infinity, 1, [a]); // only a
    lp.addRow(0, 0, [b, c], [1, -1]); // b = c
    lp.setOffset(10);
    const model = lp.build();
    const lower = Float64Array.from([1, 0, 0]);
    const upper = Float64Array.from([1, 4, 1]);
    const { model: reduced, kept } = withoutFixedColumns(model, lower, upper);
    expect(Array.from(kept)).toEqual([b, c]);
    expect(reduced.offset).toBe(13);
    expect(Array.from(reduced.colCost)).toEqual([5, 7]);
    expect(reduced.numRows).toBe(2);
    expect(Array.from(reduced.rowLower)).toEqual([0, 0]);
    expect(Array.from(reduced.rowUpper)).toEqual([3, 0]);
    expect(Array.from(reduced.starts)).toEqual([0, 2, 4]);
    expect(Array.from(reduced.indices)).toEqual([0, 1, 0, 1]);
    expect(Array.from(reduced.values)).toEqual([2, 1, 1, -1]);
  });
});
