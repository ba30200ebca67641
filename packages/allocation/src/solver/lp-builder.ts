/**
 * Builds a sparse MIP row by row and hands it to HiGHS as CSR arrays. Structured arrays instead
 * of CPLEX LP text: the large models have hundreds of thousands of columns, and formatting and
 * parsing that much text would cost more than some of the solves.
 */
export interface BuiltModel {
  /** Constant added to the objective. */
  offset: number;
  numCols: number;
  numRows: number;
  colCost: Float64Array;
  colLower: Float64Array;
  colUpper: Float64Array;
  integrality: Int32Array;
  rowLower: Float64Array;
  rowUpper: Float64Array;
  starts: Int32Array;
  indices: Int32Array;
  values: Float64Array;
}

export class LpBuilder {
  private readonly cost: number[] = [];
  private readonly lower: number[] = [];
  private readonly upper: number[] = [];
  private readonly integer: number[] = [];
  private readonly rowLower: number[] = [];
  private readonly rowUpper: number[] = [];
  private readonly starts: number[] = [0];
  private readonly indices: number[] = [];
  private readonly values: number[] = [];
  private offset = 0;

  get numCols(): number {
    return this.cost.length;
  }

  get numRows(): number {
    return this.rowLower.length;
  }

  setOffset(offset: number): void {
    this.offset = offset;
  }

  addCol(cost: number, lower: number, upper: number, integer = true): number {
    this.cost.push(cost);
    this.lower.push(lower);
    this.upper.push(upper);
    this.integer.push(integer ? 1 : 0);
    return this.cost.length - 1;
  }

  /** Adds `lower <= sum(values[i] * x[cols[i]]) <= upper` (values default to 1). */
  addRow(lower: number, upper: number, cols: readonly number[], values?: readonly number[]): number {
    if (values) {
      // Merge repeated columns: HiGHS rejects a row naming a column twice.
      const merged = new Map<number, number>();
      cols.forEach((c, i) => merged.set(c, (merged.get(c) ?? 0) + values[i]!));
      for (const [c, v] of merged) {
        if (v !== 0) {
          this.indices.push(c);
          this.values.push(v);
        }
      }
    } else {
      for (const c of cols) {
        this.indices.push(c);
        this.values.push(1);
      }
    }
    this.starts.push(this.indices.length);
    this.rowLower.push(lower);
    this.rowUpper.push(upper);
    return this.rowLower.length - 1;
  }

  build(): BuiltModel {
    return {
      offset: this.offset,
      numCols: this.cost.length,
      numRows: this.rowLower.length,
      colCost: Float64Array.from(this.cost),
      colLower: Float64Array.from(this.lower),
      colUpper: Float64Array.from(this.upper),
      integrality: Int32Array.from(this.integer),
      rowLower: Float64Array.from(this.rowLower),
      rowUpper: Float64Array.from(this.rowUpper),
      starts: Int32Array.from(this.starts),
      indices: Int32Array.from(this.indices),
      values: Float64Array.from(this.values),
    };
  }
}

/** A model with its fixed columns taken out (see `withoutFixedColumns`). */
export interface ReducedModel {
  model: BuiltModel;
  /** Column of the original model for each column of the reduced one. */
  kept: Int32Array;
}

/**
 * The model with every column whose bounds (`colLower`, `colUpper`, overriding the model's) are
 * equal taken out: its value moves to the row bounds and the objective offset, and rows left
 * without columns are dropped. The same optimum over far fewer columns: HiGHS' presolve would
 * do the same, but on the full arrays every time (the neighbourhood search solves hundreds of
 * these, each with most columns fixed).
 */
export function withoutFixedColumns(model: BuiltModel, colLower: Float64Array, colUpper: Float64Array): ReducedModel {
  const newIndex = new Int32Array(model.numCols).fill(-1);
  const kept: number[] = [];
  let offset = model.offset;
  for (let c = 0; c < model.numCols; c++) {
    if (colLower[c] === colUpper[c]) offset += model.colCost[c]! * colLower[c]!;
    else {
      newIndex[c] = kept.length;
      kept.push(c);
    }
  }
  const rowLower: number[] = [];
  const rowUpper: number[] = [];
  const starts: number[] = [0];
  const indices: number[] = [];
  const values: number[] = [];
  for (let r = 0; r < model.numRows; r++) {
    let fixedSum = 0;
    const begin = indices.length;
    for (let k = model.starts[r]!; k < model.starts[r + 1]!; k++) {
      const c = model.indices[k]!;
      if (newIndex[c] === -1) fixedSum += model.values[k]! * colLower[c]!;
      else {
        indices.push(newIndex[c]!);
        values.push(model.values[k]!);
      }
    }
    if (indices.length === begin) continue;
    rowLower.push(model.rowLower[r]! - fixedSum);
    rowUpper.push(model.rowUpper[r]! - fixedSum);
    starts.push(indices.length);
  }
  const pick = (from: Float64Array) => Float64Array.from(kept, (c) => from[c]!);
  return {
    model: {
      offset,
      numCols: kept.length,
      numRows: rowLower.length,
      colCost: pick(model.colCost),
      colLower: pick(colLower),
      colUpper: pick(colUpper),
      integrality: Int32Array.from(kept, (c) => model.integrality[c]!),
      rowLower: Float64Array.from(rowLower),
      rowUpper: Float64Array.from(rowUpper),
      starts: Int32Array.from(starts),
      indices: Int32Array.from(indices),
      values: Float64Array.from(values),
    },
    kept: Int32Array.from(kept),
  };
}
