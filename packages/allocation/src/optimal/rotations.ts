import { type Instance } from '../instance';
import { runsOf } from '../rotation-runs';
import { type LpBuilder } from '../solver/lp-builder';

/**
 * Rotations longer than one block in the integer programs. For a student s and a specialty k
 * whose rotation lasts d > 1 blocks, a binary start column r[s, department, t] says "a rotation
 * at this department starts in block t" (only where blocks t .. t + d - 1 follow each other
 * without a calendar break and the student has a column, or a pin, at the department in each of
 * them). The block-level columns of k are then tied to the starts:
 *
 *   for each department D and block b:  sum x[s, sites of D in b] + pinned(D, b)
 *                                       = sum r[s, D, t] over t <= b < t + d
 *
 * so every block of k belongs to exactly one rotation at one department (two overlapping starts
 * would put 2 in a block the student can fill once). Everything else (seats, hospital limits,
 * minimum staffing, precedence, availability) stays on the block-level columns, which is why it
 * applies to every spanned block without further rows.
 */

export interface RotationCol {
  col: number;
  student: number;
  department: number;
  start: number;
  duration: number;
}

/**
 * Adds the start columns and coverage rows of student `s`. `cols` are the student's block-level
 * columns (any specialty; only the long ones are used), `pinnedSites` the sites fixed outside the
 * model (pins moved to the bounds), which count as covered blocks.
 */
export function addRotationRows(
  lp: LpBuilder,
  inst: Instance,
  s: number,
  cols: readonly { col: number; site: number }[],
  pinnedSites: readonly number[] = [],
): RotationCol[] {
  const st = inst.students[s]!;
  const out: RotationCol[] = [];
  for (const k of st.longRotations) {
    const d = st.duration[k]!;
    // department → block → columns there, and the pinned count there.
    const at = new Map<number, Map<number, { cols: number[]; pinned: number }>>();
    const cell = (department: number, block: number) => {
      let byBlock = at.get(department);
      if (!byBlock) at.set(department, (byBlock = new Map()));
      let c = byBlock.get(block);
      if (!c) byBlock.set(block, (c = { cols: [], pinned: 0 }));
      return c;
    };
    for (const c of cols) {
      const site = inst.sites[c.site]!;
      if (site.spec === k) cell(site.department, site.block).cols.push(c.col);
    }
    for (const i of pinnedSites) {
      const site = inst.sites[i]!;
      if (site.spec === k) cell(site.department, site.block).pinned++;
    }
    for (const department of [...at.keys()].sort((a, b) => a - b)) {
      const byBlock = at.get(department)!;
      const starts: RotationCol[] = [];
      for (let t = 0; t + d <= inst.blocks.length; t++) {
        if (!inst.spans(t, d)) continue;
        let covered = true;
        for (let b = t; b < t + d && covered; b++) covered = byBlock.has(b);
        if (covered) starts.push({ col: lp.addCol(0, 0, 1), student: s, department, start: t, duration: d });
      }
      for (const [b, c] of [...byBlock.entries()].sort((x, y) => x[0] - y[0])) {
        const r = starts.filter((x) => x.start <= b && b < x.start + d).map((x) => x.col);
        lp.addRow(-c.pinned, -c.pinned, [...c.cols, ...r], [...c.cols.map(() => 1), ...r.map(() => -1)]);
      }
      out.push(...starts);
    }
  }
  return out;
}

/**
 * The start columns' values for a complete allocation used as a MIP start: each run of
 * consecutive blocks of a long specialty at one department is cut into rotations from its first
 * block. (A run that does not cut evenly leaves its last starts unset; HiGHS then repairs or
 * drops the start.)
 */
export function rotationStartValues(
  inst: Instance,
  rotationCols: readonly RotationCol[],
  picks: readonly { student: number; site: number }[],
  values: Float64Array,
): void {
  if (!rotationCols.length) return;
  const col = new Map(rotationCols.map((r) => [`${r.student}:${r.department}:${r.start}`, r]));
  for (const r of rotationCols) values[r.col] = 0;
  for (const { s, department, blocks, duration } of runsOf(inst, picks)) {
    for (let i = 0; i + duration <= blocks.length; i += duration) {
      const r = col.get(`${s}:${department}:${blocks[i]}`);
      if (r) values[r.col] = 1;
    }
  }
}
