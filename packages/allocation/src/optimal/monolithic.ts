import { type Instance } from '../instance';
import { type BuiltModel, LpBuilder } from '../solver/lp-builder';
import { addRotationRows, type RotationCol } from './rotations';

/**
 * The full assignment model: x[s, site] = 1 when student s takes the site (a department in one
 * block). Only eligible sites ranked within the student's cap get a column (pinned sites always
 * do): that is how the first, worst-rank objective is imposed (see optimal/index.ts).
 *
 *   for each student s and block b:     sum x[s, sites of b]          <= 1
 *   for each student s:                 sum x[s, *]                   =  blocksToFill(s)
 *   for each student s and specialty k: min(s,k) <= sum x[s, sites of k] <= max(s,k)
 *   for each student s and hospital h:  sum x[s, sites of h]          <= hospital limit(h)
 *   for each site i:                    sum x[*, i]                   <= seats(i)
 *   for each pair group, member m, department d and block b:
 *                                       sum x[leader, d@b] - sum x[m, d@b] = 0
 *   pins: x = 1 (lower bound)
 *   rotations longer than one block: start columns tied to the blocks they span (rotations.ts)
 *   minimise sum rank(s, i) * x[s, i]
 *
 * With `elastic`, the soft rows get slack columns and the objective becomes the total slack:
 * the solution of that model names the constraints an infeasible instance cannot meet.
 */

export type SlackKind = 'CAPACITY' | 'FILL' | 'SPECIALTY' | 'GROUP' | 'PAIR' | 'STAFFING';

export interface Slack {
  col: number;
  kind: SlackKind;
  student?: number;
  site?: number;
  spec?: number;
  group?: number;
  /** STAFFING: the index in `Instance.staffed`. */
  staffed?: number;
}

export interface AssignmentModel {
  model: BuiltModel;
  /** Column → student and site, for the x columns (slack columns come after them). */
  colStudent: Int32Array;
  colSite: Int32Array;
  xCount: number;
  slacks: Slack[];
  /** Binary "open" columns of the departments and blocks with a minimum staffing. */
  staffingCols: { col: number; staffed: number }[];
  /** Start columns of the rotations longer than one block. */
  rotationCols: RotationCol[];
  /** Order columns of the precedences. */
  precedenceCols: PrecedenceCol[];
}

/** Capacity shortfalls are the cheapest explanation; a student left short costs more. */
const SLACK_COST: Record<SlackKind, number> = { CAPACITY: 1, FILL: 2, SPECIALTY: 2, GROUP: 2, PAIR: 2, STAFFING: 2 };

export interface MonolithicOptions {
  /** Soft rows with slack columns (infeasibility diagnosis). */
  elastic?: boolean;
  /** Only these students (whole pair groups), e.g. to repair part of a solution. */
  only?: ReadonlySet<number>;
  /** Seats per site still open to them (default: all seats). */
  seats?: Int32Array;
}

/** The order column u[t] of one student's precedence "A before B" (see addPrecedenceRows). */
export interface PrecedenceCol {
  col: number;
  student: number;
  /** The specialty that comes second (B). */
  after: number;
  block: number;
}

/**
 * "All of A before any of B" for student s, with an order column per block: u[t] = 1 once B
 * may have begun (by block t). For every block t,
 *
 *   sum x[A in t] + u[t] <= 1 - pinned A in t      (no A once B has begun)
 *   sum x[B in t] - u[t] <= -(pinned B in t)        (B only once it has begun)
 *   u[t] - u[t+1] <= 0                              (once begun, B stays begun)
 *
 * For 0/1 placements this is exactly "every block of A comes before every block of B" (u is the
 * step between them). It replaced a big-M row per block ((blocks of A from t on) + n × (B in t)
 * <= n), which is also exact but whose LP relaxation lets half a B block sit before half an A:
 * here a fractional B in block t already pushes every later A down by as much, which is what
 * the stage-1 bound needs on instances where most students have a precedence (bench/README.md,
 * ADR 0034). u is continuous: integral x make it integral wherever it matters.
 * `colsOf(k)` lists the block-level columns of specialty k; `pinnedAt(k)` the blocks of k fixed
 * by pins that have no column (they move to the right-hand side).
 */
export function addPrecedenceRows(
  lp: LpBuilder,
  inst: Instance,
  s: number,
  colsOf: (spec: number) => { col: number; block: number }[],
  pinnedAt: (spec: number) => number[] = () => [],
): PrecedenceCol[] {
  const st = inst.students[s]!;
  const out: PrecedenceCol[] = [];
  for (const [a, b] of st.precedences) {
    const as = colsOf(a);
    const bs = colsOf(b);
    const pa = pinnedAt(a);
    const pb = pinnedAt(b);
    if ((!as.length && !pa.length) || (!bs.length && !pb.length)) continue;
    const u = inst.blocks.map(() => lp.addCol(0, 0, 1, false));
    u.forEach((col, t) => out.push({ col, student: s, after: b, block: t }));
    for (let t = 0; t < inst.blocks.length; t++) {
      const aCols = as.filter((x) => x.block === t).map((x) => x.col);
      const aPinned = pa.filter((p) => p === t).length;
      if (aCols.length || aPinned) lp.addRow(-Infinity, 1 - aPinned, [...aCols, u[t]!]);
      const bCols = bs.filter((x) => x.block === t).map((x) => x.col);
      const bPinned = pb.filter((p) => p === t).length;
      if (bCols.length || bPinned) lp.addRow(-Infinity, -bPinned, [...bCols, u[t]!], [...bCols.map(() => 1), -1]);
      if (t + 1 < inst.blocks.length) lp.addRow(-Infinity, 0, [u[t]!, u[t + 1]!], [1, -1]);
    }
  }
  return out;
}

/**
 * The order columns' values for a complete allocation used as a MIP start: u[t] = 1 from the
 * student's first block of B on (pins included).
 */
export function precedenceStartValues(
  inst: Instance,
  precedenceCols: readonly PrecedenceCol[],
  picks: readonly { student: number; site: number }[],
  values: Float64Array,
): void {
  if (!precedenceCols.length) return;
  const firstB = new Map<string, number>();
  const pinnedPicks = inst.pins.filter((p) => p.site !== -1).map((p) => ({ student: p.student, site: p.site }));
  for (const p of [...picks, ...pinnedPicks]) {
    const site = inst.sites[p.site]!;
    const key = `${p.student}:${site.spec}`;
    firstB.set(key, Math.min(firstB.get(key) ?? Infinity, site.block));
  }
  for (const u of precedenceCols) values[u.col] = u.block >= (firstB.get(`${u.student}:${u.after}`) ?? Infinity) ? 1 : 0;
}

export function buildMonolithic(inst: Instance, caps: Int32Array, options: MonolithicOptions = {}): AssignmentModel {
  const { elastic = false, only, seats } = options;
  const lp = new LpBuilder();
  const colStudent: number[] = [];
  const colSite: number[] = [];
  const siteCols: number[][] = inst.sites.map(() => []);
  const deptBlockCols: Map<string, number[]>[] = inst.students.map(() => new Map());
  const studentRows: {
    s: number;
    perBlock: number[][];
    perSpec: number[][];
    perDept: Map<number, number[]>;
    perHospital: Map<number, number[]>;
    all: number[];
  }[] = [];
  const nSpec = inst.specialties.length;

  const students = only ? inst.students.filter((st) => only.has(st.index)) : inst.students;
  for (const st of students) {
    const pinned = new Set(inst.pinsByStudent[st.index]!.map((p) => p.site));
    const perBlock: number[][] = inst.blocks.map(() => []);
    const perSpec: number[][] = Array.from({ length: nSpec }, () => []);
    const all: number[] = [];
    const perDept = new Map<number, number[]>();
    const perHospital = new Map<number, number[]>();
    for (const c of inst.candidates[st.index]!) {
      const isPinned = pinned.has(c.site);
      if (!isPinned && c.rank > caps[st.index]!) continue;
      const site = inst.sites[c.site]!;
      const atDept = perDept.get(site.department);
      if (atDept) atDept.push(lp.numCols);
      else perDept.set(site.department, [lp.numCols]);
      const atHospital = perHospital.get(site.hospital);
      if (atHospital) atHospital.push(lp.numCols);
      else perHospital.set(site.hospital, [lp.numCols]);
      const col = lp.addCol(elastic ? 0 : c.rank, isPinned ? 1 : 0, 1);
      colStudent.push(st.index);
      colSite.push(c.site);
      perBlock[site.block]!.push(col);
      perSpec[site.spec]!.push(col);
      all.push(col);
      siteCols[c.site]!.push(col);
      const key = `${site.departmentId}\u0000${site.block}`;
      const list = deptBlockCols[st.index]!.get(key);
      if (list) list.push(col);
      else deptBlockCols[st.index]!.set(key, [col]);
    }
    studentRows.push({ s: st.index, perBlock, perSpec, perDept, perHospital, all });
  }
  const xCount = lp.numCols;
  const rotationCols: RotationCol[] = [];
  for (const { s, all } of studentRows)
    if (inst.students[s]!.longRotations.length)
      rotationCols.push(
        ...addRotationRows(
          lp,
          inst,
          s,
          all.map((col) => ({ col, site: colSite[col]! })),
        ),
      );
  const precedenceCols: PrecedenceCol[] = [];
  const slacks: Slack[] = [];
  const slack = (kind: SlackKind, extra: Omit<Slack, 'col' | 'kind'>): number => {
    const col = lp.addCol(SLACK_COST[kind], 0, Infinity, false);
    slacks.push({ col, kind, ...extra });
    return col;
  };

  for (const { s, perBlock, perSpec, perDept, perHospital, all } of studentRows) {
    const st = inst.students[s]!;
    for (const cols of perBlock) if (cols.length > 1) lp.addRow(-Infinity, 1, cols);
    for (const [d, cols] of perDept) if (cols.length > inst.departmentCap(s, d)) lp.addRow(-Infinity, inst.departmentCap(s, d), cols);
    for (const [h, cols] of perHospital) if (cols.length > inst.hospitalMax[h]!) lp.addRow(-Infinity, inst.hospitalMax[h]!, cols);
    precedenceCols.push(
      ...addPrecedenceRows(lp, inst, s, (k) => perSpec[k]!.map((col) => ({ col, block: inst.sites[colSite[col]!]!.block }))),
    );
    if (elastic) {
      const u = slack('FILL', { student: s });
      lp.addRow(st.blocksToFill, st.blocksToFill, [...all, u]);
    } else {
      lp.addRow(st.blocksToFill, st.blocksToFill, all);
    }
    for (let k = 0; k < nSpec; k++) {
      const cols = perSpec[k]!;
      const blocksWithK = new Set(cols.map((c) => inst.sites[colSite[c]!]!.block)).size;
      const lower = st.min[k]!;
      const upper = st.max[k]!;
      if (lower === 0 && upper >= blocksWithK) continue;
      if (elastic && lower > 0) {
        const v = slack('SPECIALTY', { student: s, spec: k });
        lp.addRow(lower, Infinity, [...cols, v]);
        if (upper < blocksWithK) lp.addRow(-Infinity, upper, cols);
      } else {
        lp.addRow(lower, upper, cols);
      }
    }
    st.groups.forEach((g, gi) => {
      const cols = g.specs.flatMap((k) => perSpec[k]!);
      if (elastic && g.min > 0) {
        lp.addRow(g.min, Infinity, [...cols, slack('GROUP', { student: s, group: gi })]);
        lp.addRow(-Infinity, g.max, cols);
      } else {
        lp.addRow(g.min, g.max, cols);
      }
    });
  }
  for (const site of inst.sites) {
    const cols = siteCols[site.index]!;
    const open = seats ? seats[site.index]! : site.seats;
    if (cols.length <= open) continue;
    if (elastic) {
      const e = slack('CAPACITY', { site: site.index });
      lp.addRow(-Infinity, open, [...cols, e], [...cols.map(() => 1), -1]);
    } else {
      lp.addRow(-Infinity, open, cols);
    }
  }
  const staffingCols = addStaffingRows(
    lp,
    inst,
    (i) => siteCols[i]!,
    (i) => (seats ? inst.sites[i]!.seats - seats[i]! : 0),
    elastic ? (staffed) => slack('STAFFING', { staffed }) : null,
  );
  for (const group of inst.groups) {
    if (only && !only.has(group[0]!)) continue;
    const [leader, ...members] = group;
    for (const m of members) {
      const keys = new Set([...deptBlockCols[leader!]!.keys(), ...deptBlockCols[m]!.keys()]);
      for (const key of [...keys].sort()) {
        const a = deptBlockCols[leader!]!.get(key) ?? [];
        const b = deptBlockCols[m]!.get(key) ?? [];
        const cols = [...a, ...b];
        const values = [...a.map(() => 1), ...b.map(() => -1)];
        if (elastic) {
          cols.push(slack('PAIR', { student: m }), slack('PAIR', { student: m }));
          values.push(1, -1);
        }
        lp.addRow(0, 0, cols, values);
      }
    }
  }
  return {
    model: lp.build(),
    colStudent: Int32Array.from(colStudent),
    colSite: Int32Array.from(colSite),
    xCount,
    slacks,
    staffingCols,
    rotationCols,
    precedenceCols,
  };
}

/**
 * "At least m students or none" for each department and block with a minimum: a binary open
 * column o, with  students - m·o >= -occupied  and  students - M·o <= -occupied, where
 * `occupied` counts students already there outside the model (pins moved to the bounds, the
 * fixed part of a repair) and M bounds the students the columns can add. `colsAt(site)` lists
 * the columns that put students at a site (a column may count several: the aggregated ones).
 * With `slack`, the lower row gets a slack column (infeasibility diagnosis).
 */
export function addStaffingRows(
  lp: LpBuilder,
  inst: Instance,
  colsAt: (site: number) => readonly number[],
  occupiedAt: (site: number) => number,
  slack: ((staffed: number) => number) | null = null,
  values: (col: number) => number = () => 1,
): { col: number; staffed: number }[] {
  const out: { col: number; staffed: number }[] = [];
  inst.staffed.forEach((entry, k) => {
    if (entry.closed) return;
    const cols = entry.sites.flatMap((i) => colsAt(i));
    const occupied = entry.sites.reduce((t, i) => t + occupiedAt(i), 0);
    if (!cols.length || occupied >= entry.min) return;
    const open = lp.addCol(0, occupied > 0 ? 1 : 0, 1);
    out.push({ col: open, staffed: k });
    // The students the columns can add: at most the seats left (every column lies within a seat
    // row), so M = seats is the tightest valid big-M; an elastic model may exceed the seats (its
    // capacity rows have slack), so there M also counts every column.
    const big = slack ? entry.seats + cols.length : entry.seats;
    const coeffs = cols.map(values);
    if (slack) lp.addRow(-occupied, Infinity, [...cols, open, slack(k)], [...coeffs, -entry.min, 1]);
    else lp.addRow(-occupied, Infinity, [...cols, open], [...coeffs, -entry.min]);
    lp.addRow(-Infinity, -occupied, [...cols, open], [...coeffs, -big]);
  });
  return out;
}

/** Values of the open columns for a start: open where the start places someone. */
export function staffingStart(
  inst: Instance,
  staffingCols: readonly { col: number; staffed: number }[],
  picks: readonly { site: number }[],
  values: Float64Array,
): void {
  const used = new Set(picks.map((p) => inst.staffedOf[p.site]!).filter((k) => k !== -1));
  for (const { col, staffed } of staffingCols) values[col] = used.has(staffed) ? 1 : 0;
}
