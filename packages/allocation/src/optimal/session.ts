import { type Highs } from 'highs';
import { type RunContext } from '../context';
import { type Instance } from '../instance';
import { lpRelaxation, type MipOutcome, type Relaxation, solveMip } from '../solver/highs';
import { type BuiltModel } from '../solver/lp-builder';
import { type LagrangianBound, lagrangianBound } from './lagrangian';
import { type PlacesRelaxation } from './places-relaxation';

/**
 * What the OPTIMAL attempts share: the instance, the budget, the students' rank caps, the MIP
 * call (time share of the remaining budget, progress, cancellation) and the running notes.
 */

export interface Pick {
  student: number;
  site: number;
}

export interface Attempt {
  status: MipOutcome['status'];
  picks: Pick[];
  objective: number;
  /** Proven lower bound on the total rank at this worst rank (-Infinity when none). */
  bound: number;
  timeLimitReached: boolean;
  notes: string[];
  strategy: 'MONOLITHIC' | 'DECOMPOSED';
}

export interface Session {
  inst: Instance;
  ctx: RunContext;
  /** A complete allocation to start from (a lottery), or null. */
  warmStart: Pick[] | null;
  /** A partial lottery (its picks and the students it left unplaced), when no complete one exists. */
  partial: { picks: Pick[]; unplaced: number[] } | null;
  /** The places relaxation at the worst ranks where the run solved it (optimal/places-relaxation.ts). */
  relaxations: ReadonlyMap<number, PlacesRelaxation>;
  /** Rank cap of each student at worst rank w: max(w, the student's floor). */
  capsAt(w: number): Int32Array;
  /** Solves with `share` of the remaining budget (or exactly `seconds`). */
  mip(
    model: BuiltModel,
    options?: {
      start?: Float64Array;
      share?: number;
      seconds?: number;
      relGap?: number;
      worstRank?: number;
      /** Further HiGHS options for this solve (solver/highs.ts). */
      highs?: Record<string, number | boolean | string>;
    },
  ): MipOutcome;
  /** The LP relaxation's optimum (a lower bound), with `share` of the remaining budget. */
  relaxation(model: BuiltModel, share?: number): Relaxation;
  /**
   * The Lagrangian bound at these caps (optimal/lagrangian.ts), with `share` of the remaining
   * budget; `target` is a known allocation's total rank at these caps. Starts from the prices of
   * the previous call (any prices give a valid bound; the last ones are a good guess).
   */
  lagrangian(caps: Int32Array, time: { share: number } | { seconds: number }, target?: number): LagrangianBound;
  solves(): number;
}

/** An absolute gap below 1 proves optimality: the objectives are integers. */
const ABS_GAP = 0.99;

export function createSession(
  highs: Highs,
  inst: Instance,
  ctx: RunContext,
  floor: Int32Array,
  warmStart: Pick[] | null,
  partial: Session['partial'] = null,
  relaxations: ReadonlyMap<number, PlacesRelaxation> = new Map(),
): Session {
  let solves = 0;
  let prices: Float64Array | undefined;
  /** The worst rank of the attempt under way (set when an attempt asks for its caps). */
  let attemptWorst: number | null = null;
  const tick = (gap: number, incumbent: number | null, worstRank: number | null) => {
    const elapsed = ctx.elapsed();
    const timeShare = elapsed / Math.max(1e-9, elapsed + ctx.remaining());
    const gapShare = Number.isFinite(gap) ? Math.max(0, 1 - gap) : 0;
    ctx.progress(0.05 + 0.9 * Math.max(timeShare, gapShare * 0.95), 'optimal', {
      incumbent: incumbent === null ? null : Math.round(incumbent),
      gap: incumbent !== null && Number.isFinite(gap) ? gap : null,
      worstRank,
    });
  };
  return {
    inst,
    ctx,
    warmStart,
    partial,
    relaxations,
    capsAt: (w) => {
      attemptWorst = w;
      return Int32Array.from(floor, (f) => Math.max(w, f));
    },
    mip(model, { start, share = 1, seconds, relGap = ctx.relGap, worstRank, highs: extra } = {}) {
      solves++;
      return solveMip(highs, model, {
        timeLimitSeconds: Math.max(0.05, seconds ?? ctx.remaining() * share),
        relGap,
        absGap: ABS_GAP,
        start,
        highs: extra,
        onTick: ({ gap, incumbent }) => tick(gap, incumbent, worstRank ?? attemptWorst),
        shouldStop: ctx.aborted,
      });
    },
    relaxation(model, share = 1) {
      solves++;
      return lpRelaxation(highs, model, Math.max(0.05, ctx.remaining() * share));
    },
    lagrangian(caps, time, target) {
      const seconds = 'seconds' in time ? time.seconds : Math.max(0.05, ctx.remaining() * time.share);
      const out = lagrangianBound(inst, caps, { seconds, target, prices, shouldStop: ctx.aborted });
      if (!out.infeasible) prices = out.prices;
      return out;
    },
    solves: () => solves,
  };
}

export function countColumns(inst: Instance, caps: Int32Array): number {
  let n = 0;
  inst.candidates.forEach((list, s) => {
    for (const c of list) if (c.rank <= caps[s]!) n++;
  });
  return n;
}

export function picksFrom(values: Float64Array, colStudent: Int32Array, colSite: Int32Array): Pick[] {
  const picks: Pick[] = [];
  for (let c = 0; c < colStudent.length; c++) if (values[c]! > 0.5) picks.push({ student: colStudent[c]!, site: colSite[c]! });
  return picks;
}

export const totalRank = (inst: Instance, picks: readonly Pick[]) =>
  picks.reduce((t, p) => t + inst.rankOf(p.student, inst.sites[p.site]!), 0);
