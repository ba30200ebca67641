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
