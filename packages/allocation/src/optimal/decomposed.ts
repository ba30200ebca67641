import { type Instance } from '../instance';
import { type BuiltModel, LpBuilder } from '../solver/lp-builder';
import { addPrecedenceRows, addStaffingRows, type PrecedenceCol, precedenceStartValues } from './monolithic';
import { addRotationRows, type RotationCol, rotationStartValues } from './rotations';

/**
 * Decomposition for large instances: where first, when second.
 *
 * Stage 1 (places): z[s, g] = number of blocks student s spends in group g, a department family
 * f (a department, or its seats reserved for one school) at one rank, with the seats of f summed
 * over the blocks (t[f, b] spreads them). Preferences are about places, so nothing is lost in the
 * objective. When a student can use a family only in some of the blocks where it has seats and
 * where they are available (a prerequisite, a bar for one block, a block-specific preference),
 * and for students placed in
 * pairs, the group gets one 0/1 column per block instead, which stage 1 places in time directly. Stage 1 is a relaxation of the full
 * model: its bound is a valid lower bound, and its infeasibility proves the full model infeasible
 * at that worst rank.
 *
 * Stage 2 (times): x[s, site] restricted to the groups stage 1 chose, with the sum over the
 * group's blocks equal to z[s, g], one site per student and block, and the real per-block seats;
 * the block-level choices of stage 1 and the pins are fixed. When a department offers the same
 * number of seats in every block, stage 2 is always feasible (split each department into one node
 * per seat; the student–seat multigraph has degree at most the number of blocks, and König's
 * edge-colouring theorem colours it with that many blocks), so the decomposition is exact. Pins,
 * pairs and uneven seats can break that guarantee: stage 2 is then solved elastic (a block that
 * does not fit becomes a charged shortfall) and the students left short are repaired
 * (optimal/repair.ts); the full model is the last resort.
 */

export interface StageOneModel {
  model: BuiltModel;
  /** Aggregated columns: a number of blocks in a group (see groupKey). */
  zCols: { col: number; student: number; group: number }[];
  /** Block-level columns: 1 when the student takes this site. */
  yCols: { col: number; student: number; site: number }[];
  /** t columns: aggregated students at a site. */
  tCols: { col: number; site: number }[];
  /** Open columns of the departments and blocks with a minimum staffing. */
  staffingCols: { col: number; staffed: number }[];
  /** Start columns of the rotations longer than one block (over the block-level columns). */
  rotationCols: RotationCol[];
  /** Order columns of the precedences (over the block-level columns). */
  precedenceCols: PrecedenceCol[];
}

/**
 * A student's blocks at one family are grouped by the rank they have there (one group unless the
 * student ranked the department differently in some blocks), so that stage 1 charges each block
 * its true rank: its bound is exact whenever stage 2 can timetable its places.
 */
export const groupKey = (inst: Instance, family: number, rank: number) => family * (inst.unrankedRank + 1) + rank;

export interface StageOneOptions {
  /**
   * Drop the order of blocks: precedences and rotations longer than one block get no block-level
   * columns and no rows, so their specialties are aggregated like the others. Still a relaxation of
   * the full model (constraints are only dropped), and one a fifth the size on year320 (35,540
   * columns against 156,606): its LP is the bound and the guide of a large stage 1 (ADR 0073).
   */
  orderRelaxed?: boolean;
}

export function buildStageOne(inst: Instance, caps: Int32Array, options: StageOneOptions = {}): StageOneModel {
  const lp = new LpBuilder();
  const zCols: StageOneModel['zCols'] = [];
  const yCols: StageOneModel['yCols'] = [];
  const rotationCols: RotationCol[] = [];
  const precedenceCols: PrecedenceCol[] = [];
  const familyZ: number[][] = inst.families.map(() => []);
  const siteY: number[][] = inst.sites.map(() => []);
  const blockY: number[][] = inst.blocks.map(() => []);
  // Pair members are placed block by block in stage 1 (their columns are all block-level), so
  // that "same department in the same block" is stated exactly: key department + block.
  const deptBlockY: Map<string, number[]>[] = inst.students.map(() => new Map());
  const nSpec = inst.specialties.length;
  // Blocks in which each family has seats: a group covering all of them is aggregated.
  const familyBlocks = inst.families.map((fam) => fam.sites.filter((i) => inst.sites[i]!.seats > 0).length);
  // Pinned blocks are constants: their ranks go to the objective offset, their seats and counts
  // to the row bounds.
  const pinsAtSite = new Int32Array(inst.sites.length);
  const pinnedInBlock = new Int32Array(inst.blocks.length);
  const pinnedDeptBlock: Set<string>[] = inst.students.map(() => new Set());
  let offset = 0;
  const hospitalOfDept = new Int32Array(inst.departments.length);
  for (const site of inst.sites) hospitalOfDept[site.department] = site.hospital;
  for (const st of inst.students) {
    const pins = inst.pinsByStudent[st.index]!.filter((p) => p.site !== -1);
    const pinnedBlocks = new Set(pins.map((p) => p.block));
    const pinnedSpec = new Int32Array(nSpec);
    for (const p of pins) {
      const site = inst.sites[p.site]!;
      pinnedSpec[site.spec]!++;
      pinsAtSite[p.site]!++;
      pinnedInBlock[p.block]!++;
      pinnedDeptBlock[st.index]!.add(`${site.departmentId}\u0000${site.block}`);
      offset += inst.rankOf(st.index, site);
    }
    // Per family and rank: the sites still usable at this worst rank.
    const usable = new Map<number, { family: number; rank: number; sites: number[] }>();
    for (const c of inst.candidates[st.index]!) {
      const site = inst.sites[c.site]!;
      if (c.rank > caps[st.index]! || pinnedBlocks.has(site.block)) continue;
      const key = groupKey(inst, site.family, c.rank);
      const u = usable.get(key);
      if (u) u.sites.push(c.site);
      else usable.set(key, { family: site.family, rank: c.rank, sites: [c.site] });
    }
    const all: number[] = [];
    const perSpec: number[][] = Array.from({ length: nSpec }, () => []);
    const perBlock: number[][] = inst.blocks.map(() => []);
    const perDept = new Map<number, number[]>();
    const perHospital = new Map<number, number[]>();
    const toDept = (department: number, col: number) => {
      const list = perDept.get(department);
      if (list) list.push(col);
      else perDept.set(department, [col]);
      const h = hospitalOfDept[department]!;
      const atHospital = perHospital.get(h);
      if (atHospital) atHospital.push(col);
      else perHospital.set(h, [col]);
    };
    const pinnedPerDept = new Map<number, number>();
    for (const p of pins) pinnedPerDept.set(inst.sites[p.site]!.department, (pinnedPerDept.get(inst.sites[p.site]!.department) ?? 0) + 1);
    const paired = inst.groupOf[st.index] !== -1;
    // Specialties in a precedence are placed block by block (their order matters), and so are
    // rotations longer than one block (their blocks must follow each other at one department).
    const ordered = new Set(options.orderRelaxed ? [] : [...st.precedences.flat(), ...st.longRotations]);
    const ownY: { col: number; site: number }[] = [];
    const ySpec = new Map<number, { col: number; block: number }[]>();
    // A student away in some blocks can use a family only in its other blocks: the group stays
    // aggregated when it covers every block the student is available in (availability is
    // first-class, unlike a per-block bar, which splits the group into block-level columns).
    const reachable = inst.available[st.index]!.every(Boolean) ? familyBlocks : availableFamilyBlocks(inst, st.index);
    for (const key of [...usable.keys()].sort((a, b) => a - b)) {
      const u = usable.get(key)!;
      const f = u.family;
      const spec = inst.sites[inst.families[f]!.sites[0]!]!.spec;
      const cap = st.max[spec]! - pinnedSpec[spec]!;
      if (cap < 1) continue;
      if (paired || ordered.has(spec) || u.sites.length < reachable[f]!) {
        for (const i of u.sites) {
          const site = inst.sites[i]!;
          const col = lp.addCol(u.rank, 0, 1);
          yCols.push({ col, student: st.index, site: i });
          ownY.push({ col, site: i });
          all.push(col);
          perSpec[spec]!.push(col);
          perBlock[site.block]!.push(col);
          toDept(site.department, col);
          ySpec.set(spec, [...(ySpec.get(spec) ?? []), { col, block: site.block }]);
          siteY[i]!.push(col);
          blockY[site.block]!.push(col);
          const dk = `${site.departmentId}\u0000${site.block}`;
          const list = deptBlockY[st.index]!.get(dk);
          if (list) list.push(col);
          else deptBlockY[st.index]!.set(dk, [col]);
        }
      } else {
        const col = lp.addCol(u.rank, 0, Math.min(u.sites.length, cap));
        zCols.push({ col, student: st.index, group: key });
        toDept(inst.sites[inst.families[f]!.sites[0]!]!.department, col);
        all.push(col);
        perSpec[spec]!.push(col);
        familyZ[f]!.push(col);
      }
    }
    const fill = st.blocksToFill - pins.length;
    lp.addRow(fill, fill, all);
    for (let k = 0; k < nSpec; k++) {
      const lower = Math.max(0, st.min[k]! - pinnedSpec[k]!);
      if (lower > 0 || perSpec[k]!.length > 0) lp.addRow(lower, st.max[k]! - pinnedSpec[k]!, perSpec[k]!);
    }
    for (const g of st.groups) {
      const pinnedInGroup = g.specs.reduce((t, k) => t + pinnedSpec[k]!, 0);
      lp.addRow(
        Math.max(0, g.min - pinnedInGroup),
        g.max - pinnedInGroup,
        g.specs.flatMap((k) => perSpec[k]!),
      );
    }
    for (const cols of perBlock) if (cols.length > 1) lp.addRow(-Infinity, 1, cols);
    if (st.longRotations.length && !options.orderRelaxed)
      rotationCols.push(
        ...addRotationRows(
          lp,
          inst,
          st.index,
          ownY,
          pins.map((p) => p.site),
        ),
      );
    if (!options.orderRelaxed)
      precedenceCols.push(
        ...addPrecedenceRows(
          lp,
          inst,
          st.index,
          (k) => ySpec.get(k) ?? [],
          (k) => pins.filter((p) => inst.sites[p.site]!.spec === k).map((p) => p.block),
        ),
      );
    // Blocks at one department (aggregated columns count several): within the student's cap.
    for (const [d, cols] of perDept) {
      const left = inst.departmentCap(st.index, d) - (pinnedPerDept.get(d) ?? 0);
      if (left < st.blocksToFill) lp.addRow(-Infinity, Math.max(0, left), cols);
    }
    // Blocks at one hospital: within its limit per student, pins included. Stage 2 keeps each
    // group's count (a group lies in one department), so the limit survives the timetabling.
    for (const [h, cols] of perHospital) {
      const left = inst.hospitalMax[h]! - pins.filter((p) => inst.sites[p.site]!.hospital === h).length;
      if (left < st.blocksToFill) lp.addRow(-Infinity, Math.max(0, left), cols);
    }
  }
  lp.setOffset(offset);
  // Seats: t[f, b] = aggregated students of family f in block b; with the block-level columns
  // and the pins, within the seats of each site; at most all students in a block.
  const blockT: number[][] = inst.blocks.map(() => []);
  const tCols: StageOneModel['tCols'] = [];
  inst.families.forEach((fam, f) => {
    const z = familyZ[f]!;
    const t: number[] = [];
    for (const i of fam.sites) {
      const site = inst.sites[i]!;
      const open = Math.max(0, site.seats - pinsAtSite[i]!);
      const y = siteY[i]!;
      if (z.length && open > 0) {
        const col = lp.addCol(0, 0, open);
        tCols.push({ col, site: i });
        t.push(col);
        blockT[site.block]!.push(col);
        if (y.length) lp.addRow(-Infinity, open, [col, ...y]);
      } else if (y.length > open) {
        lp.addRow(-Infinity, open, y);
      }
    }
    if (z.length) lp.addRow(0, 0, [...z, ...t], [...z.map(() => 1), ...t.map(() => -1)]);
  });
  // Minimum staffing per department and block: the students a site gets are its t column (the
  // aggregated ones) and its block-level columns; pins are constants.
  const tOfSite = new Map(tCols.map((t) => [t.site, t.col]));
  const staffingCols = addStaffingRows(
    lp,
    inst,
    (i) => [...(tOfSite.has(i) ? [tOfSite.get(i)!] : []), ...siteY[i]!],
    (i) => pinsAtSite[i]!,
  );
  inst.blocks.forEach((_, b) => {
    const cols = [...blockT[b]!, ...blockY[b]!];
    const present = inst.students.reduce((n, st) => n + inst.available[st.index]![b]!, 0);
    if (cols.length) lp.addRow(-Infinity, present - pinnedInBlock[b]!, cols);
  });
  for (const group of inst.groups) {
    const [leader, ...members] = group;
    for (const m of members) {
      const keys = [
        ...new Set([...deptBlockY[leader!]!.keys(), ...deptBlockY[m]!.keys(), ...pinnedDeptBlock[leader!]!, ...pinnedDeptBlock[m]!]),
      ].sort();
      for (const key of keys) {
        const a = deptBlockY[leader!]!.get(key) ?? [];
        const b = deptBlockY[m]!.get(key) ?? [];
        // at(leader, d, b) = at(m, d, b), pins included.
        const rhs = (pinnedDeptBlock[m]!.has(key) ? 1 : 0) - (pinnedDeptBlock[leader!]!.has(key) ? 1 : 0);
        lp.addRow(rhs, rhs, [...a, ...b], [...a.map(() => 1), ...b.map(() => -1)]);
      }
    }
  }
  return { model: lp.build(), zCols, yCols, tCols, staffingCols, rotationCols, precedenceCols };
}

/** Per family, the blocks where it has seats and the student is available. */
function availableFamilyBlocks(inst: Instance, student: number): number[] {
  const available = inst.available[student]!;
  return inst.families.map((fam) => fam.sites.filter((i) => inst.sites[i]!.seats > 0 && available[inst.sites[i]!.block]).length);
}

/**
 * Stage-1 values of a complete allocation (e.g. a lottery), as a MIP start; undefined when the
 * allocation gives a student a site ranked worse than their cap.
 */
export function stageOneStart(
  inst: Instance,
  one: StageOneModel,
  caps: Int32Array,
  picks: readonly { student: number; site: number }[],
): Float64Array | undefined {
  const values = new Float64Array(one.model.numCols);
  const z = new Map(one.zCols.map((c) => [`${c.student}:${c.group}`, c.col]));
  const y = new Map(one.yCols.map((c) => [`${c.student}:${c.site}`, c.col]));
  const t = new Map(one.tCols.map((c) => [c.site, c.col]));
  const pinned = new Set(inst.pins.map((p) => `${p.student}:${p.site}`));
  for (const p of picks) {
    if (pinned.has(`${p.student}:${p.site}`)) continue;
    const site = inst.sites[p.site]!;
    const rank = inst.rankOf(p.student, site);
    if (rank > caps[p.student]!) return undefined;
    const yc = y.get(`${p.student}:${p.site}`);
    if (yc !== undefined) {
      values[yc] = 1;
      continue;
    }
    const zc = z.get(`${p.student}:${groupKey(inst, site.family, rank)}`);
    const tc = t.get(p.site);
    if (zc === undefined || tc === undefined) return undefined;
    values[zc]!++;
    values[tc]!++;
  }
  const used = new Set(picks.map((p) => inst.staffedOf[p.site]!).filter((k) => k !== -1));
  for (const { col, staffed } of one.staffingCols) values[col] = used.has(staffed) ? 1 : 0;
  rotationStartValues(inst, one.rotationCols, picks, values);
  precedenceStartValues(inst, one.precedenceCols, picks, values);
  return values;
}

export interface StageTwoModel {
  model: BuiltModel;
  /** x columns come first (`xCount` of them), then one shortfall column per (student, group). */
  colStudent: Int32Array;
  colSite: Int32Array;
  xCount: number;
  shortfalls: { col: number; student: number; group: number }[];
}

/**
 * `blocksAt[s]` maps a group (family and rank, see groupKey) → number of blocks stage 1 gave
 * student s there; `fixed[s]` are the sites already decided (pins and stage-1 block-level
 * choices), columns fixed to 1 outside the groups. With `elastic`, a
 * block that cannot be timetabled becomes a shortfall (heavily charged) instead of making the
 * model infeasible, so the students involved can be repaired (see optimal/repair.ts). The exact
 * model is tried first: HiGHS solves it far faster when it is feasible.
 */
export function buildStageTwo(
  inst: Instance,
  caps: Int32Array,
  blocksAt: Map<number, number>[],
  fixed: Set<number>[],
  elastic: boolean,
): StageTwoModel {
  const shortfallCost = 100 * inst.unrankedRank * Math.max(1, inst.blocks.length);
  const groupRows: { student: number; group: number; n: number; cols: number[] }[] = [];
  const lp = new LpBuilder();
  const colStudent: number[] = [];
  const colSite: number[] = [];
  const siteCols: number[][] = inst.sites.map(() => []);
  const deptBlockCols: Map<string, number[]>[] = inst.students.map(() => new Map());
  for (const st of inst.students) {
    const chosen = blocksAt[st.index]!;
    const pinnedSites = fixed[st.index]!;
    const perBlock: number[][] = inst.blocks.map(() => []);
    const perGroup = new Map<number, number[]>();
    const pinnedBlocks = new Set([...pinnedSites].map((i) => inst.sites[i]!.block));
    for (const c of inst.candidates[st.index]!) {
      const site = inst.sites[c.site]!;
      const isPinned = pinnedSites.has(c.site);
      const group = groupKey(inst, site.family, c.rank);
      if (!isPinned && (!chosen.has(group) || pinnedBlocks.has(site.block) || c.rank > caps[st.index]!)) continue;
      // The exact model's total rank is fixed by stage 1 (every column of a group has its rank, and
      // the group's count is given): it is a feasibility problem, solved with no objective. With
      // the ranks, HiGHS found year320's timetable in about a second and then spent 37 s (native)
      // on the root LP to prove a bound equal to it.
      const col = lp.addCol(elastic ? c.rank : 0, isPinned ? 1 : 0, 1);
      colStudent.push(st.index);
      colSite.push(c.site);
      perBlock[site.block]!.push(col);
      siteCols[c.site]!.push(col);
      if (!isPinned) {
        const list = perGroup.get(group);
        if (list) list.push(col);
        else perGroup.set(group, [col]);
      }
      const key = `${site.departmentId}\u0000${site.block}`;
      const dl = deptBlockCols[st.index]!.get(key);
      if (dl) dl.push(col);
      else deptBlockCols[st.index]!.set(key, [col]);
    }
    for (const cols of perBlock) if (cols.length > 1) lp.addRow(-Infinity, 1, cols);
    for (const [g, n] of [...chosen.entries()].sort((a, b) => a[0] - b[0]))
      groupRows.push({ student: st.index, group: g, n, cols: perGroup.get(g) ?? [] });
  }
  const xCount = lp.numCols;
  const shortfalls: StageTwoModel['shortfalls'] = [];
  for (const row of groupRows) {
    const u = lp.addCol(shortfallCost, 0, elastic ? row.n : 0, false);
    shortfalls.push({ col: u, student: row.student, group: row.group });
    lp.addRow(row.n, row.n, [...row.cols, u]);
  }
  for (const site of inst.sites) {
    const cols = siteCols[site.index]!;
    if (cols.length > site.seats) lp.addRow(-Infinity, site.seats, cols);
  }
  // Minimum staffing again: stage 1 met it with its per-site counts, which stage 2 may move
  // between sites of one department but must keep at 0 or at least the minimum.
  addStaffingRows(
    lp,
    inst,
    (i) => siteCols[i]!,
    () => 0,
  );
  for (const group of inst.groups) {
    const [leader, ...members] = group;
    for (const m of members) {
      const keys = [...new Set([...deptBlockCols[leader!]!.keys(), ...deptBlockCols[m]!.keys()])].sort();
      for (const key of keys) {
        const a = deptBlockCols[leader!]!.get(key) ?? [];
        const b = deptBlockCols[m]!.get(key) ?? [];
        lp.addRow(0, 0, [...a, ...b], [...a.map(() => 1), ...b.map(() => -1)]);
      }
    }
  }
  return { model: lp.build(), colStudent: Int32Array.from(colStudent), colSite: Int32Array.from(colSite), xCount, shortfalls };
}
