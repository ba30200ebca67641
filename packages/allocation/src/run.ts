import { canonicalizeInput, hashAllocationInput } from './canonical';
import { createContext, type RunContext } from './context';
import { type ExplainMode, explainAll } from './explain';
import { checkNecessaryConditions, type FeasibilityReport, floorsOf } from './feasibility';
import { buildInstance, type Instance } from './instance';
import { runLottery } from './lottery';
import { computeMetrics, scheduleFigures } from './metrics';
import { LEFT_OUT_REASON, siteMapping, studentsToLeaveOut, withoutStudents } from './place-others';
import { polishSchedules, scheduleWeightsOf } from './schedule-polish';
import { type PartialStart, type Pick, solveOptimal } from './optimal';
import { drawsGuided, GUIDED_MIN_COLUMNS } from './optimal/guided-draw';
import { conflictReason, findConflictSet } from './optimal/conflict';
import { createSession } from './optimal/session';
import { getHighs } from './solver/highs';
import { parseAllocationInput } from './schema';
import { understaffedReasons, understaffedSites } from './staffing';
import {
  type AllocationResult,
  type Assignment,
  type InfeasibilityReason,
  type Mechanism,
  type SolvedResult,
  type SolveOptions,
  type SolverReport,
  type VariationOptions,
  type ScheduleWeights,
  type VariationsResult,
  reportWithoutBound,
} from './types';

/**
 * Entry points. `runVariations` is what the rotations service's `allocation` job calls: it
 * validates and canonicalises the snapshot, checks the necessary conditions once, draws the
 * lotteries, then solves OPTIMAL (warm-started from the best complete lottery), and returns every
 * variation with metrics and explanations. Infeasibility is a result, never an exception; only a
 * malformed snapshot (AllocationInputError) or a cancellation (the signal's reason) rejects.
 */

interface Prepared {
  inst: Instance;
  inputHash: string;
  feasibility: FeasibilityReport;
  weights: ScheduleWeights;
  /** SolveOptions.placeOthersWhenInfeasible. */
  placeOthers: boolean;
  /** SolveOptions.guidedDrawFrom. */
  guidedFrom: number;
}

/**
 * OPTIMAL draws its own start, guided by the places relaxation, instead of a plain lottery
 * (ADR 0073): a large instance, and a strategy that uses stage 1 (MONOLITHIC draws no guided start).
 */
function drawsOwnStart(prep: Prepared, ctx: RunContext): boolean {
  return ctx.strategy !== 'MONOLITHIC' && drawsGuided(prep.inst, prep.guidedFrom);
}

function prepare(raw: unknown, weights: ScheduleWeights, placeOthers = false, guidedFrom = GUIDED_MIN_COLUMNS): Prepared {
  const input = canonicalizeInput(parseAllocationInput(raw));
  const inst = buildInstance(input);
  return { inst, inputHash: hashAllocationInput(input), feasibility: checkNecessaryConditions(inst), weights, placeOthers, guidedFrom };
}

function toAssignments(inst: Instance, picks: readonly Pick[]): Assignment[] {
  return picks
    .map((p) => {
      const site = inst.sites[p.site]!;
      return {
        student: p.student,
        block: site.block,
        a: {
          studentId: inst.students[p.student]!.id,
          blockId: inst.blocks[site.block]!.id,
          departmentId: site.departmentId,
          hospitalId: site.hospitalId,
          specialty: site.specialty,
          rank: inst.rankOf(p.student, site),
        },
      };
    })
    .sort((x, y) => x.student - y.student || x.block - y.block)
    .map((x) => x.a);
}

function solved(
  prep: Prepared,
  mechanism: Mechanism,
  status: SolvedResult['status'],
  mechanismPicks: readonly Pick[],
  unplaced: Map<number, string>,
  mode: ExplainMode,
  solver: SolverReport,
  extra: Partial<SolvedResult> = {},
): SolvedResult {
  const { inst } = prep;
  // The mechanism's allocation is final here: the whole-schedule polish rearranges blocks
  // without changing any rank (schedule-polish.ts, ADR 0038).
  const before = scheduleFigures(
    inst,
    mechanismPicks,
    mechanismPicks.map((p) => inst.rankOf(p.student, inst.sites[p.site]!)),
  );
  const polished = polishSchedules(inst, mechanismPicks, prep.weights);
  const picks = polished.picks;
  const metrics = computeMetrics(inst, picks, new Set(unplaced.keys()), floorsOf(inst, prep.feasibility));
  metrics.schedulePolish = {
    weights: prep.weights,
    moves: polished.moves,
    hospitalChangesBefore: before.hospitalChanges,
    idleBlocksBefore: before.idleBlocks,
  };
  return {
    mechanism,
    inputHash: prep.inputHash,
    status,
    assignments: toAssignments(inst, picks),
    unplaced: [...unplaced.entries()].sort((a, b) => a[0] - b[0]).map(([s, reason]) => ({ studentId: inst.students[s]!.id, reason })),
    metrics,
    explanations: explainAll(inst, picks, unplaced, mode),
    solver,
    ...extra,
  };
}

async function lotteryVariation(
  prep: Prepared,
  seed: string,
  ctx: RunContext,
): Promise<{ result: SolvedResult; picks: Pick[] | null; partial: PartialStart | null }> {
  const started = ctx.elapsed();
  const out = await runLottery(prep.inst, seed, ctx);
  const unplaced = new Map(out.unplaced.map((u) => [u.student, u.reason]));
  const report = reportWithoutBound('LOTTERY', ctx.elapsed() - started, [
    `random serial dictatorship, ${out.order.length} turns`,
    ...(out.completion
      ? [
          `completion after the draw (ADR 0054): ${out.completion.placed.length} unplaced students placed, ${out.completion.moved.length} students placed earlier moved to schedules no worse for them`,
        ]
      : []),
  ]);
  const result = solved(
    prep,
    'LOTTERY',
    unplaced.size ? 'PARTIAL' : 'FEASIBLE',
    out.picks,
    unplaced,
    { kind: 'LOTTERY', turn: out.turn, seatsAtTurn: out.seatsAtTurn, students: prep.inst.students.length },
    report,
    { seed, lotteryOrder: out.order.map((s) => prep.inst.students[s]!.id), ...understaffedOf(prep.inst, out.closedByDraw) },
  );
  return {
    result,
    picks: unplaced.size ? null : out.picks,
    partial: unplaced.size ? { picks: out.picks, unplaced: [...unplaced.keys()] } : null,
  };
}

async function optimalVariation(
  prep: Prepared,
  ctx: RunContext,
  warmStart: Pick[] | null,
  lotteryDrawn: boolean,
  partial: PartialStart | null,
): Promise<AllocationResult> {
  // A large instance's solver draws its own start, guided by the places relaxation (ADR 0073).
  if (!warmStart && !lotteryDrawn && !drawsOwnStart(prep, ctx)) {
    // A complete allocation to start from (and to fall back on if the limit comes first): one
    // internal lottery draw, seeded from the input hash so the run stays deterministic. Not when
    // the run's own lotteries were drawn and none was complete: another draw costs as much (51 s
    // of a 60 s budget on the 320-student rotations bench instance) and most likely leaves
    // someone unplaced too, so the budget goes to the solver instead.
    const draw = await runLottery(prep.inst, `optimal-warm-start:${prep.inputHash}`, ctx);
    if (!draw.unplaced.length) warmStart = draw.picks;
    else partial = { picks: draw.picks, unplaced: draw.unplaced.map((u) => u.student) };
  }
  // A partial draw (the run's own, or the internal one) is completed by the solver into a start.
  const out = await solveOptimal(prep.inst, prep.feasibility, ctx, warmStart, partial, {
    seed: `optimal-warm-start:${prep.inputHash}`,
    guidedFrom: prep.guidedFrom,
  });
  const base = { mechanism: 'OPTIMAL' as const, inputHash: prep.inputHash };
  if (out.kind === 'INFEASIBLE') {
    const others = prep.placeOthers ? await optimalOfOthers(prep, ctx, out.reasons) : null;
    return others ?? { ...base, status: 'INFEASIBLE', reasons: [...out.reasons, ...understaffedReasons(prep.inst)] };
  }
  if (out.kind === 'TIMED_OUT') {
    return {
      ...base,
      status: 'TIMED_OUT',
      solver: out.report,
      reasons: [
        {
          kind: 'TIME_LIMIT',
          message: out.aborted
            ? `${out.aborted}, before any complete allocation was found`
            : out.report.timeLimitReached
              ? 'the time limit was reached before any complete allocation was found (or proven impossible)'
              : 'no complete allocation was found (nor proven impossible) with this strategy; try AUTO or a longer limit',
        },
      ],
    };
  }
  const proven = out.report.gap === 0 && out.report.worstRankProven;
  return solved(
    prep,
    'OPTIMAL',
    proven ? 'OPTIMAL' : 'FEASIBLE',
    out.picks,
    new Map(),
    { kind: 'OPTIMAL' },
    out.report,
    understaffedOf(prep.inst),
  );
}

/** `understaffed` for a solved result, absent when every minimum could be met. */
function understaffedOf(inst: Instance, drawn?: ReadonlyMap<number, string>): Partial<SolvedResult> {
  const understaffed = understaffedSites(inst, drawn);
  return understaffed.length ? { understaffed } : {};
}

/**
 * When a necessary condition already fails: which constraints clash, as a conflicting set
 * (optimal/conflict.ts; a pin on a closed site included), within a tenth of the budget (at most 10 s).
 */
async function conflictOf(prep: Prepared, ctx: RunContext): Promise<InfeasibilityReason | null> {
  ctx.progress(0.05, 'diagnosis');
  await ctx.checkpoint();
  const session = createSession(await getHighs(), prep.inst, ctx, new Int32Array(prep.inst.students.length), null);
  const named = prep.feasibility.reasons.flatMap((r) => (r.studentIds ?? []).map((id) => prep.inst.studentIndex.get(id)!));
  const conflict = findConflictSet(session, Math.min(10, Math.max(0.5, ctx.remaining() / 10)), named);
  return conflict ? conflictReason(prep.inst, conflict) : null;
}

/**
 * OPTIMAL over everyone but the students of the conflicting sets (place-others.ts): leaves out
 * the students of the first set in `reasons`, solves the rest, and repeats with the rest's own
 * set while it is infeasible. Null when no set is named, the rest times out or the budget is spent
 * (the caller then reports the instance INFEASIBLE as it is).
 */
async function optimalOfOthers(prep: Prepared, ctx: RunContext, reasons: InfeasibilityReason[]): Promise<SolvedResult | null> {
  const leftOut: InfeasibilityReason[] = [];
  const leave = new Set<string>();
  for (;;) {
    const conflict = reasons.find((r) => r.kind === 'CONFLICTING_SET');
    if (!conflict || ctx.remaining() <= 0) return null;
    const before = leave.size;
    for (const id of studentsToLeaveOut(prep.inst, conflict)) leave.add(id);
    if (leave.size === before) return null; // a set without new students would repeat itself
    leftOut.push(conflict);
    await ctx.checkpoint();
    const done = (picks: Pick[], report: SolverReport, rest: Instance | null) => {
      const sets = `${leftOut.length} conflicting set${leftOut.length === 1 ? '' : 's'}`;
      report.notes.push(`${leave.size} student${leave.size === 1 ? '' : 's'} of ${sets} left out at the caller's request`);
      const unplaced = new Map([...leave].map((id) => [prep.inst.studentIndex.get(id)!, LEFT_OUT_REASON]));
      const understaffed = rest ? understaffedOf(rest) : {};
      return solved(prep, 'OPTIMAL', 'PARTIAL', picks, unplaced, { kind: 'OPTIMAL' }, report, { ...understaffed, leftOut });
    };
    // Everyone is in a set: nobody is left to place.
    if (leave.size === prep.inst.students.length) return done([], { ...NOTHING_SOLVED, notes: [] }, null);
    const rest = prepare(withoutStudents(prep.inst.input, leave), prep.weights, false, prep.guidedFrom);
    if (rest.feasibility.reasons.length) {
      const next = await conflictOf(rest, ctx);
      reasons = next ? [next] : [];
      continue;
    }
    // A large rest draws its start guided inside the solver (ADR 0073).
    const draw = drawsOwnStart(rest, ctx) ? null : await runLottery(rest.inst, `optimal-warm-start:${rest.inputHash}`, ctx);
    const complete = draw !== null && !draw.unplaced.length;
    const partial = draw && !complete ? { picks: draw.picks, unplaced: draw.unplaced.map((u) => u.student) } : null;
    const out = await solveOptimal(rest.inst, rest.feasibility, ctx, complete ? draw.picks : null, partial, {
      seed: `optimal-warm-start:${rest.inputHash}`,
      guidedFrom: rest.guidedFrom,
    });
    if (out.kind === 'INFEASIBLE') {
      reasons = out.reasons;
      continue;
    }
    if (out.kind === 'TIMED_OUT') return null;
    const site = siteMapping(prep.inst, rest.inst);
    const picks = out.picks.map((p) => ({ student: prep.inst.studentIndex.get(rest.inst.students[p.student]!.id)!, site: site[p.site]! }));
    return done(picks, out.report, rest.inst);
  }
}

/** The solver report of a variation that needed no solve. */
const NOTHING_SOLVED: SolverReport = {
  strategy: 'MONOLITHIC',
  gap: 0,
  timeLimitReached: false,
  worstRankProven: true,
  bound: 0,
  seconds: 0,
  solves: 0,
  notes: [],
};

function infeasible(prep: Prepared, mechanism: Mechanism, seed?: string): AllocationResult {
  return {
    mechanism,
    inputHash: prep.inputHash,
    status: 'INFEASIBLE',
    reasons: [...prep.feasibility.reasons, ...understaffedReasons(prep.inst)],
    ...(seed === undefined ? {} : { seed }),
  };
}

/** Seeds of the lottery draws: the published seed, then seed#2, seed#3… */
export function lotterySeeds(seed: string, draws: number): string[] {
  return Array.from({ length: draws }, (_, i) => (i === 0 ? seed : `${seed}#${i + 1}`));
}

/** Runs the requested mechanisms on one snapshot (default: OPTIMAL and one LOTTERY draw). */
export async function runVariations(raw: unknown, options: VariationOptions): Promise<VariationsResult> {
  const prep = prepare(raw, scheduleWeightsOf(options.scheduleWeights), options.placeOthersWhenInfeasible ?? false, options.guidedDrawFrom);
  // The budget starts after the checks: validating the snapshot and each student's plan alone
  // (the floors) are not the mechanisms' time (ADR 0055).
  const ctx = createContext(options);
  const mechanisms = options.mechanisms ?? ['OPTIMAL', 'LOTTERY'];
  const seeds = mechanisms.includes('LOTTERY') ? lotterySeeds(options.seed, options.lotteryDraws ?? 1) : [];
  ctx.progress(0.02, 'checks');
  await ctx.checkpoint();
  const variations: AllocationResult[] = [];
  if (prep.feasibility.reasons.length) {
    const conflict = await conflictOf(prep, ctx);
    if (conflict) prep.feasibility.reasons.unshift(conflict);
    if (mechanisms.includes('OPTIMAL')) {
      const others = prep.placeOthers ? await optimalOfOthers(prep, ctx, prep.feasibility.reasons) : null;
      variations.push(others ?? infeasible(prep, 'OPTIMAL'));
    }
    for (const seed of seeds) variations.push(infeasible(prep, 'LOTTERY', seed));
    ctx.progress(1, 'done');
    return { inputHash: prep.inputHash, seed: options.seed, variations };
  }
  // A large instance's OPTIMAL draws its own start, guided by the places relaxation (ADR 0073):
  // it needs nothing of the lottery draws, so it runs first, on the budget it was given (the
  // budget is OPTIMAL's; on year320 the plain draw alone took 41-46 s of a 60 s one).
  const optimalFirst = mechanisms.includes('OPTIMAL') && drawsOwnStart(prep, ctx);
  const finished = (result: AllocationResult) => {
    options.onVariation?.(result);
    return result;
  };
  if (optimalFirst) variations.push(finished(await optimalVariation(prep, ctx, null, false, null)));
  const lotteries: SolvedResult[] = [];
  let warmStart: { picks: Pick[]; worst: number; total: number } | null = null;
  // The draw that placed the most students, when none placed everyone: OPTIMAL completes it.
  let partial: PartialStart | null = null;
  for (const seed of seeds) {
    const { result, picks, partial: drawn } = await lotteryVariation(prep, seed, ctx);
    lotteries.push(result);
    finished(result);
    if (drawn && (!partial || drawn.unplaced.length < partial.unplaced.length)) partial = drawn;
    const worst = result.metrics.worstRank ?? 0;
    if (picks && (!warmStart || worst < warmStart.worst || (worst === warmStart.worst && result.metrics.totalRank < warmStart.total))) {
      warmStart = { picks, worst, total: result.metrics.totalRank };
    }
  }
  if (mechanisms.includes('OPTIMAL') && !optimalFirst)
    variations.push(
      finished(await optimalVariation(prep, ctx, warmStart?.picks ?? null, lotteries.length > 0, warmStart ? null : partial)),
    );
  variations.push(...lotteries);
  ctx.progress(1, 'done');
  return { inputHash: prep.inputHash, seed: options.seed, variations };
}

/** One mechanism on one snapshot. LOTTERY needs `seed`. */
export async function allocate(
  raw: unknown,
  mechanism: Mechanism,
  options: SolveOptions & { seed?: string } = {},
): Promise<AllocationResult> {
  if (mechanism === 'LOTTERY' && options.seed === undefined) throw new TypeError('LOTTERY needs a seed');
  const { variations } = await runVariations(raw, { ...options, seed: options.seed ?? '', mechanisms: [mechanism] });
  return variations[0]!;
}
