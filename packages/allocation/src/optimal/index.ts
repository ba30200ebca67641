import { type RunContext } from '../context';
import { type FeasibilityReport, floorsOf } from '../feasibility';
import { type Instance } from '../instance';
import { getHighs, SolverAborted } from '../solver/highs';
import { type InfeasibilityReason, reportWithoutBound, type SolverReport } from '../types';
import { decomposedAttempt, FAST_PATH_COLUMNS, monolithicAttempt } from './attempts';
import { diagnoseInfeasibility } from './diagnose';
import { drawsGuided, GUIDED_MIN_COLUMNS, guidedWarmStart, relaxesPlaces } from './guided-draw';
import { attemptRanks } from './ranks';
import { repairTimetable } from './repair';
import { countColumns, createSession, type Pick, type Session, totalRank } from './session';

export { type Pick } from './session';

/**
 * OPTIMAL: lexicographic optimum of (1) the worst rank any student gets, (2) the total rank.
 *
 * (1) is measured above each student's floor: the worst rank the student (or pair) would get
 * alone with every seat free, which their own bars, prerequisites and requirement force. Without
 * that, one student barred from all the departments they ranked would set the worst rank of the
 * whole cohort to "unranked" and the criterion would protect nobody. When no floor exceeds the
 * optimum, it is exactly the plain worst rank.
 *
 * (1) is imposed by construction rather than weighted: the models at worst rank W only have
 * columns for sites ranked at most max(W, floor of the student). The driver tries the distinct
 * ranks W in increasing order; the first W whose model is feasible is the optimal worst rank,
 * and the same solve minimises the total rank under it. A weighted single objective would need
 * weights of the order of (students × blocks)^rank to be equivalent, far beyond floating-point
 * tolerances; the restricted models are also smaller than the full one.
 */

export type OptimalOutcome =
  | { kind: 'SOLVED'; picks: Pick[]; report: SolverReport }
  | { kind: 'INFEASIBLE'; reasons: InfeasibilityReason[]; report: SolverReport }
  | { kind: 'TIMED_OUT'; report: SolverReport; /** Why, when the solver aborted rather than the clock ran out. */ aborted?: string };

function gapOf(total: number, rawBound: number): { bound: number | null; gap: number | null } {
  const bound = Number.isFinite(rawBound) ? Math.ceil(rawBound - 1e-6) : null;
  const gap = bound === null ? null : total === 0 ? 0 : Math.max(0, (total - bound) / total);
  return { bound, gap: gap !== null && gap < 1e-9 ? 0 : gap };
}

/** A lottery that left students unplaced: its picks (everyone else's complete schedule) and them. */
export interface PartialStart {
  picks: Pick[];
  unplaced: number[];
}

/** The warm start's guided draw on a large instance (optimal/guided-draw.ts). */
export interface GuidedOptions {
  /** Seeds the draw. */
  seed?: string;
  /** Columns from which the instance counts as large (SolveOptions.guidedDrawFrom). */
  guidedFrom?: number;
}

/** Share of the remaining budget each round of completing a partial lottery may use. */
const COMPLETION_SHARE = 0.15;
/** Budget (seconds left) from which a large instance's partial lottery is not completed first. */
const COMPLETION_SKIP_MIN_SECONDS = 30;
/** The completion only has to be complete and not absurd: the attempts improve it. */
const COMPLETION_GAP = 0.1;
/** Seconds a run without any bound may spend past its budget on the Lagrangian bound of the allocation it returns. */
const LATE_BOUND_SECONDS = 0.5;

/**
 * Completes a partial lottery into a warm start: the unplaced students are solved with the full
 * model restricted to them and the seats the others left (optimal/repair.ts), which grows to the
 * holders of the seats they need when that is not enough. Every rank is allowed (the start only
 * has to be complete; the attempts improve it). Null when no completion was found in time.
 */
export function completePartial(
  highs: Awaited<ReturnType<typeof getHighs>>,
  inst: Instance,
  ctx: RunContext,
  floor: Int32Array,
  partial: PartialStart,
  notes: string[],
): Pick[] | null {
  const session = createSession(highs, inst, ctx, floor, null);
  const caps = new Int32Array(inst.students.length).fill(inst.unrankedRank);
  const started = ctx.elapsed();
  const repaired = repairTimetable(
    inst,
    caps,
    partial.picks,
    new Set(partial.unplaced),
    (model) => session.mip(model, { share: COMPLETION_SHARE, relGap: COMPLETION_GAP }),
    notes,
  );
  notes.push(
    `warm start: the lottery left ${partial.unplaced.length} students unplaced; ${
      repaired.picks ? 'completed' : 'not completed'
    } in ${(ctx.elapsed() - started).toFixed(1)} s`,
  );
  return repaired.picks;
}

export async function solveOptimal(
  inst: Instance,
  feasibility: FeasibilityReport,
  ctx: RunContext,
  warmStart: Pick[] | null,
  partial: PartialStart | null = null,
  guided: GuidedOptions = {},
): Promise<OptimalOutcome> {
  const started = ctx.elapsed();
  try {
    return await solveWithHighs(inst, feasibility, ctx, warmStart, partial, guided);
  } catch (error) {
    if (!(error instanceof SolverAborted)) throw error;
    // What the run had before the solver: a complete lottery is still a valid allocation (its
    // gap unknown); without one the run ends as a time-out would, saying why.
    const report = reportWithoutBound(ctx.strategy === 'MONOLITHIC' ? 'MONOLITHIC' : 'DECOMPOSED', ctx.elapsed() - started, [
      `${error.message}; ${warmStart ? 'returning the best complete lottery' : 'no complete allocation to return'}`,
    ]);
    return warmStart ? { kind: 'SOLVED', picks: warmStart, report } : { kind: 'TIMED_OUT', report, aborted: error.message };
  }
}

async function solveWithHighs(
  inst: Instance,
  feasibility: FeasibilityReport,
  ctx: RunContext,
  warmStart: Pick[] | null,
  partial: PartialStart | null,
  { seed = 'optimal-guided', guidedFrom = GUIDED_MIN_COLUMNS }: GuidedOptions,
): Promise<OptimalOutcome> {
  const started = ctx.elapsed();
  const floor = floorsOf(inst, feasibility);
  const highs = await getHighs();
  const notes: string[] = [];
  // A large instance's warm start is a draw guided by the places relaxation, which also proves
  // the worst ranks below it infeasible and bounds the one it guides (ADR 0073). A lottery the
  // run drew itself stays the start when it is the better one.
  let relaxations: Session['relaxations'] = new Map();
  if (ctx.strategy !== 'MONOLITHIC' && relaxesPlaces(inst, guidedFrom)) {
    const drawSeed = drawsGuided(inst, guidedFrom) ? seed : null;
    const guided = await guidedWarmStart(createSession(highs, inst, ctx, floor, null), floor, drawSeed, ctx, notes);
    relaxations = guided.relaxations;
    if (guided.picks && (!warmStart || betterAllocation(inst, floor, guided.picks, warmStart))) warmStart = guided.picks;
    else if (!warmStart && guided.partial) partial = guided.partial;
  }
  // A large instance's attempts move the partial lottery within their caps in stage 1
  // (optimal/starts.ts), which places its unplaced students too: completing it first with the
  // full model cost 9.6 s of wall on year80 at load 25 (ADR 0050). Only with a short budget is
  // it completed first, as the incumbent to fall back on if the attempts find nothing in time.
  const movedInStageOne =
    ctx.strategy !== 'MONOLITHIC' &&
    ctx.remaining() >= COMPLETION_SKIP_MIN_SECONDS &&
    countColumns(inst, new Int32Array(inst.students.length).fill(inst.unrankedRank)) >= FAST_PATH_COLUMNS;
  // Only within the budget: a run whose budget is spent returns TIMED_OUT, not a late completion.
  if (!warmStart && partial && partial.unplaced.length && ctx.remaining() > 0 && !movedInStageOne)
    warmStart = completePartial(highs, inst, ctx, floor, partial, notes);
  const session = createSession(highs, inst, ctx, floor, warmStart, warmStart ? null : partial, relaxations);
  let proven = true;
  let timeLimitReached = false;
  let strategy: SolverReport['strategy'] = ctx.strategy === 'MONOLITHIC' ? 'MONOLITHIC' : 'DECOMPOSED';
  const report = (extra: Partial<SolverReport>): SolverReport => ({
    strategy,
    gap: null,
    timeLimitReached,
    worstRankProven: false,
    bound: null,
    seconds: ctx.elapsed() - started,
    solves: session.solves(),
    notes,
    ...extra,
  });
  // The limit came before any solver solution: the warm start (a complete lottery) is the
  // incumbent, with the gap against the bound of the attempt at its worst rank if there was one,
  // else against the seats' Lagrangian bound at its worst rank, found in at most LATE_BOUND_SECONDS
  // past the budget (a gap is worth that much; ADR 0055).
  const fallBack = (rawBound: number, worstProven: boolean): OptimalOutcome => {
    notes.push('time limit: no solver solution yet, returning the best complete lottery as the incumbent');
    const relaxed = relaxations.get(warmWorst);
    if (!Number.isFinite(rawBound) && relaxed && Number.isFinite(relaxed.bound)) rawBound = relaxed.bound;
    if (!Number.isFinite(rawBound)) {
      const late = session.lagrangian(
        session.capsAt(warmWorst),
        { seconds: Math.max(LATE_BOUND_SECONDS, ctx.remaining() / 2) },
        totalRank(inst, warmStart!),
      );
      if (!late.infeasible) rawBound = late.bound;
      notes.push(
        `worst rank ${warmWorst}: the seats' Lagrangian bound ${Number.isFinite(rawBound) ? rawBound.toFixed(1) : 'not found'} in ${late.rounds} rounds, ${late.seconds.toFixed(1)} s`,
      );
    }
    return {
      kind: 'SOLVED',
      picks: warmStart!,
      report: report({ ...gapOf(totalRank(inst, warmStart!), rawBound), timeLimitReached: true, worstRankProven: worstProven }),
    };
  };

  const warmWorst = warmStart ? worstBeyondFloor(inst, warmStart, floor) : Infinity;
  for (const w of attemptRanks(inst, floor)) {
    await ctx.checkpoint();
    if (ctx.remaining() <= 0) {
      // This worst rank and the looser ones were never tried: nothing is proven infeasible.
      timeLimitReached = true;
      proven = false;
      break;
    }
    const attempt = ctx.strategy === 'MONOLITHIC' ? monolithicAttempt(session, w) : decomposedAttempt(session, w);
    strategy = attempt.strategy;
    notes.push(...attempt.notes);
    timeLimitReached ||= attempt.timeLimitReached;
    if (attempt.status === 'INFEASIBLE') continue;
    if (attempt.status === 'NO_SOLUTION') {
      // Undecided at this worst rank. The warm start is a solution here, so its gap against
      // this attempt's bound is valid; otherwise try a looser worst rank.
      if (w >= warmWorst) return fallBack(attempt.bound, proven);
      proven = false;
      continue;
    }
    return {
      kind: 'SOLVED',
      picks: attempt.picks,
      report: report({ strategy: attempt.strategy, ...gapOf(totalRank(inst, attempt.picks), attempt.bound), worstRankProven: proven }),
    };
  }
  if (warmStart) return fallBack(-Infinity, false);
  // Nothing found. Proven infeasible at every worst rank, or undecided (the limit, or the
  // decomposition alone could not conclude): the elastic model settles it and names the causes.
  if (proven || ctx.remaining() > 1) {
    ctx.progress(0.9, 'diagnosis');
    await ctx.checkpoint();
    const diagnosis = diagnoseInfeasibility(session, proven ? Math.max(5, Math.min(60, ctx.remaining())) : ctx.remaining());
    if (diagnosis.status === 'INFEASIBLE')
      return { kind: 'INFEASIBLE', reasons: diagnosis.reasons, report: report({ worstRankProven: true }) };
    if (proven) {
      const reasons: InfeasibilityReason[] = [
        {
          kind: 'STUDENT_CANNOT_COMPLETE',
          message: 'no complete allocation exists; the constraints at fault could not be isolated in time',
        },
      ];
      return { kind: 'INFEASIBLE', reasons, report: report({ worstRankProven: true }) };
    }
    if (diagnosis.status === 'FEASIBLE') notes.push('a complete allocation exists but none was found within the limits');
  }
  return { kind: 'TIMED_OUT', report: report({}) };
}

/**
 * The first objective of an allocation: the worst rank of a non-pinned pick above its student's
 * floor (0 when none is above).
 */
export function worstBeyondFloor(inst: Instance, picks: readonly Pick[], floor: Int32Array): number {
  const pinned = new Set(inst.pins.map((p) => p.student * inst.sites.length + p.site));
  let worst = 0;
  for (const p of picks) {
    if (pinned.has(p.student * inst.sites.length + p.site)) continue;
    const rank = inst.rankOf(p.student, inst.sites[p.site]!);
    if (rank > floor[p.student]!) worst = Math.max(worst, rank);
  }
  return worst;
}

/** True when `a` is the better allocation: a smaller worst rank above the floors, then a smaller total. */
function betterAllocation(inst: Instance, floor: Int32Array, a: readonly Pick[], b: readonly Pick[]): boolean {
  const wa = worstBeyondFloor(inst, a, floor);
  const wb = worstBeyondFloor(inst, b, floor);
  return wa < wb || (wa === wb && totalRank(inst, a) < totalRank(inst, b));
}
