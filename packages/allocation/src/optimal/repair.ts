import { type Instance } from '../instance';
import { type MipOutcome } from '../solver/highs';
import { type BuiltModel } from '../solver/lp-builder';
import { buildMonolithic } from './monolithic';

/**
 * Repair of a stage-2 timetable that left some students short (their stage-1 places did not fit
 * the per-block seats). Everyone else keeps their schedule; the broken students (with their pair
 * mates) are re-solved from scratch with the full model restricted to them and the seats left.
 * If that is infeasible, the students holding the full seats those students could use join the
 * repair set (doubling it), up to a few rounds. Small restricted models solve fast, unlike the
 * full model, whose block symmetry makes HiGHS slow (see the ADR).
 */

export interface RepairPick {
  student: number;
  site: number;
}

const ROUNDS = 5;

export interface RepairOutcome {
  picks: RepairPick[] | null;
  solves: number;
  /** The repair set grew to every student: its answer is the full model's (optimum or proof). */
  exact: boolean;
  /** Exact and infeasible: no allocation exists at this worst rank. */
  infeasible: boolean;
}

export function repairTimetable(
  inst: Instance,
  caps: Int32Array,
  placed: readonly RepairPick[],
  broken: ReadonlySet<number>,
  solve: (model: BuiltModel) => MipOutcome,
  notes: string[],
): RepairOutcome {
  const withMates = (set: Set<number>) => {
    for (const s of [...set]) {
      const g = inst.groupOf[s]!;
      if (g !== -1) for (const m of inst.groups[g]!) set.add(m);
    }
    return set;
  };
  const repairSet = withMates(new Set(broken));
  let solves = 0;
  for (let round = 0; round < ROUNDS; round++) {
    const fixed = placed.filter((p) => !repairSet.has(p.student));
    const seats = Int32Array.from(inst.sites.map((x) => x.seats));
    for (const p of fixed) seats[p.site]!--;
    const m = buildMonolithic(inst, caps, { only: repairSet, seats });
    const out = solve(m.model);
    solves++;
    const exact = fixed.length === 0 && repairSet.size === inst.students.length;
    notes.push(
      `repair round ${round + 1}: ${repairSet.size} students, ${m.xCount} columns, ${out.status.toLowerCase()} in ${out.seconds.toFixed(1)} s`,
    );
    if (out.values) {
      const picks = [...fixed];
      for (let c = 0; c < m.xCount; c++) if (out.values[c]! > 0.5) picks.push({ student: m.colStudent[c]!, site: m.colSite[c]! });
      return { picks, solves, exact: exact && out.status === 'OPTIMAL', infeasible: false };
    }
    if (out.status !== 'INFEASIBLE' || exact) return { picks: null, solves, exact, infeasible: exact && out.status === 'INFEASIBLE' };
    // Grow: students occupying full sites that the repair set could have used.
    const wanted = new Set<number>();
    for (const s of repairSet) for (const c of inst.candidates[s]!) if (c.rank <= caps[s]! && seats[c.site]! <= 0) wanted.add(c.site);
    const extra = [...new Set(fixed.filter((p) => wanted.has(p.site)).map((p) => p.student))].sort((a, b) => a - b);
    if (!extra.length) return { picks: null, solves, exact: false, infeasible: false };
    const limit = repairSet.size;
    for (const s of extra.slice(0, limit)) repairSet.add(s);
    withMates(repairSet);
  }
  return { picks: null, solves, exact: false, infeasible: false };
}
