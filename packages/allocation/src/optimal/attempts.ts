import { type MipOutcome, NO_SOLVE, type Relaxation } from '../solver/highs';
import { buildStageOne, buildStageTwo, stageOneStart, type StageOneModel } from './decomposed';
import { objectiveOf, ownersOf, type StageOneOwners } from './fixing';
import { buildMonolithic, precedenceStartValues, staffingStart } from './monolithic';
import { improveAroundLp, startAroundLp } from './lp-neighbourhood';
import { improvePlaces } from './neighbourhoods';
import { MOVED_MAX_STUDENTS, recordUnsolvedFarBelow, studentsAboveCaps, unsolvedFarBelow } from './far-below';
import { specialtySearch } from './specialty-search';
import { stageTwoAroundLottery } from './stage-two-around';
import { windowSearch } from './window-search';
import { repairTimetable } from './repair';
import { rotationStartValues } from './rotations';
import { lotteryWithinCaps, movedStart, roundedStart } from './starts';
import { type BuiltModel } from '../solver/lp-builder';
import { type Attempt, countColumns, type Pick, picksFrom, type Session, totalRank } from './session';

/**
 * One attempt at worst rank w: find the allocation of least total rank among those that give no
 * student a site ranked above their cap. Either with the full model, or with the decomposition
 * (places, then blocks; see decomposed.ts), its repair and, for small instances, a polish.
 */

/** Relative gap accepted from the elastic timetable (its objective is mostly shortfall charges). */
const ELASTIC_GAP = 0.02;
/** Above this many columns the full model is too slow to be worth a polish (see the ADR). */
const POLISH_MAX_COLUMNS = 20_000;
/** Above this many columns the full model is not even tried as a last resort (Wasm memory, time). */
const FULL_MODEL_MAX_COLUMNS = 200_000;

export function monolithicAttempt(session: Session, w: number, from: Pick[] | null = session.warmStart, share = 1): Attempt {
  const { inst } = session;
  const m = buildMonolithic(inst, session.capsAt(w));
  let start: Float64Array | undefined;
  if (from) {
    const col = new Map<number, number>();
    for (let c = 0; c < m.xCount; c++) col.set(m.colStudent[c]! * inst.sites.length + m.colSite[c]!, c);
    const values = new Float64Array(m.model.numCols);
    const ok = from.every((p) => {
      const c = col.get(p.student * inst.sites.length + p.site);
      if (c !== undefined) values[c] = 1;
      return c !== undefined;
    });
    if (ok) {
      staffingStart(inst, m.staffingCols, from, values);
      rotationStartValues(inst, m.rotationCols, from, values);
      precedenceStartValues(inst, m.precedenceCols, from, values);
      start = values;
    }
  }
  const out = session.mip(m.model, { start, share, worstRank: w });
  return {
    status: out.status,
    picks: out.values ? picksFrom(out.values, m.colStudent, m.colSite) : [],
    objective: out.objective,
    bound: out.bound,
    timeLimitReached: out.timeLimitReached,
    notes: [
      `worst rank ${w}: full model, ${m.xCount} columns, ${m.model.numRows} rows, ${out.status.toLowerCase()} in ${out.seconds.toFixed(1)} s`,
    ],
    strategy: 'MONOLITHIC',
  };
}

/** Share of the remaining budget per round of bringing the warm start within a worst rank. */
const START_REPAIR_SHARE = 0.2;
/** That start only has to be good enough for HiGHS to improve. */
const START_REPAIR_GAP = 0.05;
/**
 * Share of the remaining budget for HiGHS on stage 1 from a start. On year80 its branch and
 * bound never improved the start it was given (5 CPU s from 2,480, 73 s of wall at load 25 from
 * 2,629; its bound = the LP's, 2,434), while the neighbourhood search took 2,629 to 2,459 in 63 s
 * of the same wall: most of the budget goes to the search.
 */
const STAGE_ONE_SHARE = 0.15;
/**
 * Share of the remaining budget for the stage-1 neighbourhood search (neighbourhoods.ts) after HiGHS' own,
 * the rest for a branch and bound from its incumbent. A stage 1 too large to solve whole has no such
 * tail and the search gets all of it above stage 2's reserve: year1000 ended 51 s before its 290 s
 * (the search had 135 s and made one improvement a round).
 */
const NEIGHBOURHOOD_SHARE = 0.8;
/**
 * Seconds kept for stage 2 after stage 1 (the neighbourhood search only uses what is
 * above it): year80's stage 2 took 1.1 s on the idle machine, and without it the attempt has no
 * allocation at all.
 */
const STAGE_TWO_RESERVE = 2;
/**
 * ... and at least this share of what is left after stage 1: on a loaded machine (load 20 on 2
 * cores) 2 s of wall were 0.2 CPU s, stage 2 found nothing in them and the run fell back on the
 * lottery. It was 0.3 while stage 2 also proved its total rank (ADR 0074): year320's stage 2 took
 * 6.9-7.2 s of its 54 s then, 0.9-1.4 s as the feasibility problem it is, and 0.3 left 6 s unused.
 */
const STAGE_TWO_SHARE = 0.15;
/**
 * Share of the remaining budget for the lottery completed around the LP (lp-neighbourhood.ts):
 * the start, and on year80 the optimum.
 */
const AROUND_LP_START_SHARE = 0.6;
/** Share of the remaining budget for stage 1's LP relaxation (0.9 CPU s on year80 at worst rank 3). */
const LP_SHARE = 0.2;
/** ... and when it is also the only start (no lottery; year320's LP did not finish in 20 % at load 30). */
const LP_ONLY_START_SHARE = 0.5;
/**
 * Seconds the LP gets whatever its share, up to LP_MAX_SHARE of what is left: it is the bound
 * and the guide of the start (ADR 0057), and on year80 with a 5 s budget a fifth of what the
 * lottery left (0.6 s) cut it (about 1 CPU s), leaving neither.
 */
const LP_MIN_SECONDS = 2;
const LP_MAX_SHARE = 0.6;
const lpShare = (share: number, remaining: number) =>
  remaining > 0 ? Math.max(share, Math.min(LP_MIN_SECONDS, LP_MAX_SHARE * remaining) / remaining) : share;
/** The most one neighbourhood's solve may take. */
const NEIGHBOURHOOD_SOLVE_SECONDS = 2;
/** Share of the remaining budget stage 1 gets at a worst rank below the warm start's before that start is moved. */
const PROBE_SHARE = 0.1;
/**
 * Stage-1 models with at least this many columns are never handed to HiGHS whole (neither its LP
 * nor its branch and bound): year1000's aborted HiGHS' 2 GB of WebAssembly (ADR 0050, amendment).
 * Their bound is the seats' Lagrangian (optimal/lagrangian.ts); their start and search only solve
 * small models with most students fixed.
 */
export const WHOLE_STAGE_ONE_MAX_COLUMNS = 100_000;
/** Share of the remaining budget for the Lagrangian bound where the LP gave none (ADR 0055). */
const PRICES_SHARE = 0.1;
/** ... and where it is the only bound (a stage 1 too large to solve whole). */
const PRICES_ONLY_SHARE = 0.15;
/**
 * ... and there at the lottery's own worst rank, where it is the run's bound (ADR 0069): on year320
 * 0.15 gave 86-193 rounds (10,226-10,253), 0.25 158-213 rounds (10,260-10,274; 368 rounds, its
 * end, 10,274.7), and the search by specialty, which stops at its local optimum, reached the same
 * totals or better with what was left.
 */
const PRICES_RUN_BOUND_SHARE = 0.25;
/**
 * Share of the remaining budget for the LP below a lottery too many students must leave
 * (far-below.ts): enough to prove a rank infeasible (year320's ranks 1-2: 2-7 s of wall at load
 * 20-35), not to solve a feasible one (ranks 3-4: not in 120 s of wall, 9-12 CPU s).
 */
const TOO_FAR_LP_SHARE = 0.1;
/** The LP of a stage 1 too large to solve whole: not solved. */
const NO_LP: Relaxation = { bound: -Infinity, infeasible: false, seconds: 0, values: null };

/**
 * A start for stage 1 at worst rank w when the warm start (a lottery) gives some students a site
 * ranked worse than their cap: those students are re-solved within their caps around everyone
 * else (optimal/repair.ts, growing to the holders of the seats they need). Without it, stage 1
 * at a worst rank below the lottery's starts from nothing, and on the 24-block year it found no
 * solution in its share of the budget (ADR 0034).
 */
export function startAt(session: Session, w: number, caps: Int32Array, one: ReturnType<typeof buildStageOne>, notes: string[]) {
  const { inst, warmStart } = session;
  const pinned = new Set(inst.pins.map((p) => p.student * inst.sites.length + p.site));
  const over = new Set(
    warmStart!
      .filter((p) => !pinned.has(p.student * inst.sites.length + p.site) && inst.rankOf(p.student, inst.sites[p.site]!) > caps[p.student]!)
      .map((p) => p.student),
  );
  const repaired = repairTimetable(
    inst,
    caps,
    warmStart!,
    over,
    (model) => session.mip(model, { share: START_REPAIR_SHARE, relGap: START_REPAIR_GAP, worstRank: w }),
    notes,
  );
  const start = repaired.picks ? stageOneStart(inst, one, caps, repaired.picks) : undefined;
  notes.push(`worst rank ${w}: ${over.size} students above it in the warm start, ${start ? 'moved within it' : 'not moved within it'}`);
  return start;
}

/** Objective of a start vector (offset included). */
export const startCost = objectiveOf;

/** The start of least objective among those given (undefined when there is none). */
export function betterStart(model: BuiltModel, ...starts: (Float64Array | undefined)[]): Float64Array | undefined {
  let best: Float64Array | undefined;
  for (const s of starts) if (s && (!best || startCost(model, s) < startCost(model, best))) best = s;
  return best;
}

/**
 * Starts for a large stage 1 without its branch and bound (optimal/starts.ts): the warm start
 * when it is within the caps, else the lottery (complete or partial) moved within the caps, else
 * the LP rounded. Undefined when none was found in time.
 */
function startsWithoutBranching(
  session: Session,
  w: number,
  caps: Int32Array,
  one: StageOneModel,
  owners: StageOneOwners,
  lp: Relaxation,
  notes: string[],
  maxColumns = Infinity,
): Float64Array | undefined {
  const { inst, ctx, warmStart, partial } = session;
  const within = warmStart ? stageOneStart(inst, one, caps, warmStart) : undefined;
  if (within) return within;
  const solve = (model: BuiltModel) => session.mip(model, { share: START_REPAIR_SHARE, relGap: START_REPAIR_GAP, worstRank: w });
  const lottery = warmStart ?? partial?.picks;
  // The lottery cut to the caps and completed around the LP's solution, in one solve (ADR 0057).
  const cut = lottery && lp.values && ctx.remaining() > 0 ? lotteryWithinCaps(inst, one, caps, lottery, partial?.unplaced ?? []) : null;
  if (cut?.values) {
    const around = startAroundLp(one.model, cut.values, lp.values!, (model) =>
      session.mip(model, { share: AROUND_LP_START_SHARE, worstRank: w }),
    );
    notes.push(
      `worst rank ${w}: the lottery (${cut.free.size} students above the caps) completed around the LP, ${around.columns} columns free, ${around.outcome.status.toLowerCase()}${around.values ? ` ${Math.round(around.outcome.objective)}` : ''} in ${around.outcome.seconds.toFixed(1)} s`,
    );
    if (around.values) {
      notes.push(`worst rank ${w}: start without branch and bound: the lottery completed around the LP`);
      return around.values;
    }
  }
  // Else the lottery moved: on year80 it was the better start (2,655 against the LP rounded's
  // 3,025, whose LP left 59 of 80 students fractional) and the cheaper one.
  const moved =
    lottery && ctx.remaining() > 0
      ? movedStart(inst, one, owners, caps, lottery, partial?.unplaced ?? [], solve, notes, w, maxColumns)
      : null;
  const rounded = !moved && lp.values && ctx.remaining() > 0 ? roundedStart(inst, one, owners, lp.values, solve, notes, w) : null;
  const start = moved ?? rounded;
  if (start) notes.push(`worst rank ${w}: start without branch and bound: ${moved ? 'the lottery moved' : 'the LP rounded'}`);
  return start ?? undefined;
}

/**
 * Stage-1 models with at least this many columns skip the probe and start the search from a
 * cheap start (year80 has 10,000; the small instances keep branch and bound, which proves them).
 */
export const FAST_PATH_COLUMNS = 4_000;
/**
 * Share of what is left above stage 2's reserve for stage 1 around its LP (lp-neighbourhood.ts)
 * before the six-student search: on year80 it reached the LP's bound from the moved lottery.
 */
const AROUND_LP_SHARE = 0.7;

/**
 * The largest stage-1 objective an attempt stops improving at: the bound itself (objectives are
 * whole ranks), or, when the run asks for a relative gap (`mipRelGap`), the largest total within it.
 */
export function enoughFor(bound: number, relGap: number): number {
  if (!Number.isFinite(bound)) return -Infinity;
  const whole = Math.ceil(bound - 1e-6);
  return Math.max(whole + 0.5, relGap > 0 && relGap < 1 ? whole / (1 - relGap) : -Infinity);
}

/**
 * Share of what is left above stage 2's reserve for the search by specialty (specialty-search.ts)
 * where stage 1 has no LP solution, and the most one of its solves may take: on year320 at worst
 * rank 5 it took the lottery's 12,575 to 11,311 in 21 solves of at most 5 s (13.9 CPU s at load 25).
 * Since it splits surgery into windows (ADR 0074) it makes year320's improvements and the searches
 * after it none (0 better in every run of session 15), so it gets nearly all: with windows of
 * students only, 0.75 ended at 10,425 and 0.95 at 10,419 on the same machine.
 */
const SPECIALTY_SHARE = 0.95;
const SPECIALTY_SOLVE_SECONDS = 5;
/** The largest stage 1 the searches by specialty and by window run on (year320's at worst rank 5: 156,606). */
const SPECIALTY_MAX_STAGE_ONE_COLUMNS = 300_000;
/**
 * Share of what is left after it for the window search (window-search.ts); the six-student search
 * gets the rest.
 */
const WINDOW_SHARE = 0.85;
/** The most one window's solve may take. */
const WINDOW_SOLVE_SECONDS = 3;
/** Seconds the search must leave above stage 2's reserve for a branch and bound after it. */
const TAIL_MIN_SECONDS = 1;

/** An attempt that proved its worst rank infeasible. */
const infeasibleAttempt = (notes: string[]): Attempt => ({
  status: 'INFEASIBLE',
  picks: [],
  objective: Infinity,
  bound: -Infinity,
  timeLimitReached: false,
  notes,
  strategy: 'DECOMPOSED',
});

export function decomposedAttempt(
  session: Session,
  w: number,
  fastFrom = FAST_PATH_COLUMNS,
  wholeMax = WHOLE_STAGE_ONE_MAX_COLUMNS,
): Attempt {
  const { inst, ctx, warmStart } = session;
  const caps = session.capsAt(w);
  const notes: string[] = [];
  // The places relaxation the run solved at this rank (ADR 0073): infeasible proves it.
  const relaxed = session.relaxations.get(w);
  if (relaxed?.infeasible) return infeasibleAttempt([`worst rank ${w}: infeasible (its stage 1 with the order of blocks relaxed is)`]);
  const one = buildStageOne(inst, caps);
  const start = warmStart ? stageOneStart(inst, one, caps, warmStart) : undefined;
  // Below the lottery's worst rank, a lottery that many students must leave is not moved (nor
  // stage 1 probed whole): the attempt is its bound, and its LP only gets the time to prove the
  // rank infeasible (ADR 0067).
  const lottery = warmStart ?? session.partial?.picks;
  const above =
    one.model.numCols >= fastFrom && !start && lottery ? studentsAboveCaps(inst, one, caps, lottery, session.partial?.unplaced ?? []) : 0;
  const tooFar = above > MOVED_MAX_STUDENTS;
  const huge = one.model.numCols >= wholeMax;
  // A tighter rank below the same lottery was not decided in its time: this one is not tried (ADR 0069).
  const undecided = tooFar && !huge ? unsolvedFarBelow(session) : undefined;
  // Stage 1's LP relaxation first: its infeasibility proves this worst rank infeasible, and its
  // optimum is the attempt's bound even when branch and bound is cut before its root (on a loaded
  // machine it was: a bound of 786, or none, against the LP's 2,434 on year80). One LP, 0.9 CPU s.
  // Without a lottery a large stage 1's only start is the LP rounded: the LP gets more time.
  const lpOnly = one.model.numCols >= fastFrom && !warmStart && !session.partial;
  // Where stage 1's own LP is out of reach, the places relaxation's optimum is its bound (ADR 0073).
  const relaxedBound = (huge || tooFar) && relaxed && Number.isFinite(relaxed.bound) ? relaxed.bound : undefined;
  let lp =
    relaxedBound !== undefined
      ? { ...NO_LP, bound: relaxedBound }
      : huge || undecided !== undefined
        ? NO_LP
        : session.relaxation(one.model, tooFar ? TOO_FAR_LP_SHARE : lpShare(lpOnly ? LP_ONLY_START_SHARE : LP_SHARE, ctx.remaining()));
  notes.push(
    `worst rank ${w}: stage 1's LP relaxation ${relaxedBound !== undefined ? `not tried (${one.model.numCols} columns); the places relaxation's ${relaxedBound.toFixed(1)} is the bound` : undecided !== undefined ? `not tried (worst rank ${undecided}'s, below the same lottery, was not decided in its time)` : huge ? `not tried (${one.model.numCols} columns)` : lp.infeasible ? 'infeasible' : Number.isFinite(lp.bound) ? lp.bound.toFixed(1) : 'not solved'} in ${lp.seconds.toFixed(1)} s`,
  );
  // Where the LP gave no bound (too large, or cut by the clock), the seats' Lagrangian does: every
  // round of it is a valid bound, at a few milliseconds per hundred students (ADR 0055).
  if (undecided === undefined && !lp.infeasible && !Number.isFinite(lp.bound) && one.model.numCols >= fastFrom && ctx.remaining() > 0) {
    const priced = session.lagrangian(
      caps,
      { share: huge ? (start ? PRICES_RUN_BOUND_SHARE : PRICES_ONLY_SHARE) : PRICES_SHARE },
      start ? Math.round(startCost(one.model, start)) : undefined,
    );
    notes.push(
      `worst rank ${w}: the seats' Lagrangian bound ${priced.infeasible ? 'proves it infeasible' : Number.isFinite(priced.bound) ? priced.bound.toFixed(1) : 'not found'} in ${priced.rounds} rounds, ${priced.seconds.toFixed(1)} s`,
    );
    lp = { ...lp, bound: priced.bound, infeasible: priced.infeasible };
  }
  if (tooFar && !huge && !lp.infeasible && !lp.values) recordUnsolvedFarBelow(session, w);
  if (lp.infeasible) return infeasibleAttempt(notes);
  const owners = ownersOf(inst, one);
  const startBegan = ctx.elapsed();
  if (tooFar && !lp.values) {
    notes.push(`worst rank ${w}: ${above} students above it in the lottery, too many to move without an LP solution; its bound only`);
    return {
      status: 'NO_SOLUTION',
      picks: [],
      objective: Infinity,
      bound: lp.bound,
      timeLimitReached: ctx.remaining() <= 0,
      notes,
      strategy: 'DECOMPOSED',
    };
  }
  const fast = one.model.numCols >= fastFrom ? startsWithoutBranching(session, w, caps, one, owners, lp, notes, wholeMax) : undefined;
  if (huge && !fast) {
    notes.push(`worst rank ${w}: no start within it, and stage 1 (${one.model.numCols} columns) is too large to solve whole`);
    return {
      status: 'NO_SOLUTION',
      picks: [],
      objective: Infinity,
      bound: lp.bound,
      timeLimitReached: ctx.remaining() <= 0,
      notes,
      strategy: 'DECOMPOSED',
    };
  }
  let first: MipOutcome;
  if (fast) {
    // A large stage 1 with a cheap start: no probe and no branch and bound before the search
    // (on year80 neither ever improved on the start; ADR 0050). The LP is the bound.
    first = {
      ...NO_SOLVE,
      status: 'FEASIBLE',
      values: fast,
      objective: startCost(one.model, fast),
      bound: lp.bound,
      seconds: ctx.elapsed() - startBegan,
    };
  } else if (warmStart && !start) {
    // The warm start is above this worst rank. A short probe first: most worst ranks below the
    // optimum are proven infeasible in it. Otherwise the warm start is moved within the caps, and
    // stage 1 goes on from the better of the two starts (the probe's incumbent, if it found one,
    // and the moved warm start): on the 24-block year each was the better one in some runs.
    const probe = session.mip(one.model, { share: PROBE_SHARE, worstRank: w });
    first = probe;
    if (probe.status !== 'INFEASIBLE' && probe.status !== 'OPTIMAL' && ctx.remaining() > 0) {
      notes.push(
        `worst rank ${w}: stage 1 probe ${probe.values ? `found ${probe.objective}` : 'found no solution'} in ${probe.seconds.toFixed(1)} s`,
      );
      const moved = startAt(session, w, caps, one, notes);
      const better = betterStart(one.model, moved, probe.values ?? undefined);
      if (better && ctx.remaining() > 0) {
        const again = session.mip(one.model, { start: better, share: STAGE_ONE_SHARE, worstRank: w });
        // Both bounds hold for the same model; the incumbent is the probe's if the second solve lost it.
        first = again.values || !probe.values ? again : probe;
        first = { ...first, bound: Math.max(probe.bound, again.bound), seconds: probe.seconds + again.seconds };
      }
    }
  } else {
    first = session.mip(one.model, { start, share: start ? STAGE_ONE_SHARE : 0.6, worstRank: w });
  }
  notes.push(
    `worst rank ${w}: stage 1 (places), ${one.zCols.length} + ${one.yCols.length} columns, ${fast ? `start ${Math.round(first.objective)}` : first.status.toLowerCase()} in ${first.seconds.toFixed(1)} s`,
  );
  let timeLimitReached = first.timeLimitReached;
  const none = (status: Attempt['status']): Attempt => ({
    status,
    picks: [],
    objective: Infinity,
    bound: Math.max(first.bound, lp.bound),
    timeLimitReached,
    notes,
    strategy: 'DECOMPOSED',
  });
  if (first.status === 'INFEASIBLE' || !first.values) return none(first.status);
  let places = first.values;
  let stageOneBound = Math.max(first.bound, lp.bound);
  const reserve = Math.max(STAGE_TWO_RESERVE, STAGE_TWO_SHARE * ctx.remaining());
  const enough = enoughFor(stageOneBound, ctx.relGap);
  let objective = first.objective;
  if (fast && lp.values && objective > enough && ctx.remaining() > reserve) {
    // The LP's solution says where the cheap places are: the columns on which it and the start
    // disagree are re-solved, the others kept (ADR 0057).
    const began = ctx.elapsed();
    const around = improveAroundLp(
      one.model,
      places,
      lp.values,
      enough,
      (model, from, seconds) => session.mip(model, { start: from, seconds, worstRank: w }),
      { seconds: (ctx.remaining() - reserve) * AROUND_LP_SHARE, remaining: ctx.remaining },
    );
    places = around.values;
    notes.push(
      `worst rank ${w}: stage 1 around its LP, ${around.rounds} rounds (${Math.round(around.columns / Math.max(1, around.rounds))} columns free each), ${around.improved} better: ${Math.round(objective)} → ${Math.round(around.objective)} in ${(ctx.elapsed() - began).toFixed(1)} s`,
    );
    objective = around.objective;
  }
  // Not on a stage 1 as large as year1000's (897,840 columns at worst rank 5, one specialty of it
  // ~75,000, not measured): there the six-student search found 45 better in 48 rounds (session 10).
  const searchWhole = fast && !lp.values && one.model.numCols <= SPECIALTY_MAX_STAGE_ONE_COLUMNS;
  if (searchWhole && objective > enough && ctx.remaining() > reserve) {
    // No LP solution to search around (a stage 1 too large to solve whole, or its LP cut by the
    // clock): every student's places in one specialty, or two, at once (ADR 0067).
    const began = ctx.elapsed();
    const bySpecialty = specialtySearch(
      inst,
      one,
      places,
      enough,
      (model, from, seconds) => session.mip(model, { start: from, seconds, worstRank: w }),
      {
        seconds: (ctx.remaining() - reserve) * SPECIALTY_SHARE,
        perSolve: Math.min(SPECIALTY_SOLVE_SECONDS, Math.max(0.5, ctx.remaining() * 0.1)),
        remaining: ctx.remaining,
      },
      w,
      owners,
    );
    places = bySpecialty.values;
    notes.push(
      `worst rank ${w}: stage 1 by specialty, ${bySpecialty.rounds} rounds (${Math.round(bySpecialty.columns / Math.max(1, bySpecialty.rounds))} columns each), ${bySpecialty.improved} better: ${Math.round(objective)} → ${Math.round(bySpecialty.objective)} in ${(ctx.elapsed() - began).toFixed(1)} s`,
    );
    objective = bySpecialty.objective;
  }
  if (searchWhole && objective > enough && ctx.remaining() > reserve) {
    // ... then windows of students along the chains of who wants whose place (ADR 0067).
    const began = ctx.elapsed();
    const windows = windowSearch(
      inst,
      one,
      places,
      enough,
      (model, from, seconds) => session.mip(model, { start: from, seconds, worstRank: w }),
      {
        seconds: (ctx.remaining() - reserve) * WINDOW_SHARE,
        perSolve: Math.min(WINDOW_SOLVE_SECONDS, Math.max(0.3, ctx.remaining() * 0.05)),
        remaining: ctx.remaining,
      },
      w,
      owners,
    );
    places = windows.values;
    notes.push(
      `worst rank ${w}: stage-1 windows, ${windows.rounds} rounds (${Math.round(windows.columns / Math.max(1, windows.rounds))} columns each, ${windows.size} students at the end), ${windows.improved} better: ${Math.round(objective)} → ${Math.round(windows.objective)} in ${(ctx.elapsed() - began).toFixed(1)} s`,
    );
    objective = windows.objective;
  }
  if (first.status !== 'OPTIMAL' && objective > enough && ctx.remaining() > reserve) {
    const began = ctx.elapsed();
    const found = objective;
    const better = improvePlaces(
      inst,
      one,
      places,
      // The search stops at the attempt's target (the bound, or within the gap asked for).
      enough - 0.5,
      (model, from, seconds) => session.mip(model, { start: from, seconds, worstRank: w }),
      {
        seconds: (ctx.remaining() - reserve) * (huge ? 1 : NEIGHBOURHOOD_SHARE),
        perSolve: Math.min(NEIGHBOURHOOD_SOLVE_SECONDS, Math.max(0.2, ctx.remaining() * 0.05)),
        remaining: ctx.remaining,
      },
      w,
      owners,
    );
    places = better.values;
    notes.push(
      `worst rank ${w}: stage-1 neighbourhoods, ${better.rounds} rounds (${Math.round(better.columns / Math.max(1, better.rounds))} columns each), ${better.improved} better: ${Math.round(found)} → ${Math.round(better.objective)} in ${(ctx.elapsed() - began).toFixed(1)} s`,
    );
    if (fast && !huge && better.objective > enough && ctx.remaining() > reserve + TAIL_MIN_SECONDS) {
      // What the search left above stage 2's reserve: branch and bound from its incumbent, which
      // may prove it (easy instances) or raise the bound.
      const tail = session.mip(one.model, { start: places, seconds: ctx.remaining() - reserve, worstRank: w });
      timeLimitReached ||= tail.timeLimitReached;
      if (tail.values && tail.objective < better.objective - 0.5) places = tail.values;
      stageOneBound = Math.max(stageOneBound, tail.bound);
      notes.push(
        `worst rank ${w}: stage 1 from the search's incumbent, ${tail.status.toLowerCase()}, ${Math.round(Math.min(tail.objective, better.objective))} (bound ${stageOneBound.toFixed(1)}) in ${tail.seconds.toFixed(1)} s`,
      );
    }
  }

  const blocksAt = inst.students.map(() => new Map<number, number>());
  const fixed = inst.students.map((st) => new Set(inst.pinsByStudent[st.index]!.filter((p) => p.site !== -1).map((p) => p.site)));
  for (const z of one.zCols) {
    const n = Math.round(places[z.col]!);
    if (n > 0) blocksAt[z.student]!.set(z.group, n);
  }
  for (const y of one.yCols) if (places[y.col]! > 0.5) fixed[y.student]!.add(y.site);

  let picks: Pick[] | null = null;
  let bound = stageOneBound;
  const exact = buildStageTwo(inst, caps, blocksAt, fixed, false);
  let tight: MipOutcome | null = null;
  const changed = new Set<number>();
  if (searchWhole && start && warmStart)
    for (let c = 0; c < one.model.numCols; c++)
      if (owners.owner[c]! >= 0 && Math.round(places[c]!) !== Math.round(start[c]!)) changed.add(owners.owner[c]!);
  if (changed.size && warmStart) {
    // The students whose places the searches left as the lottery's keep its blocks (ADR 0067).
    const around = stageTwoAroundLottery(inst, exact, changed, warmStart, (model) => session.mip(model, { share: 0.6 }));
    notes.push(
      `worst rank ${w}: stage 2 around the lottery, ${around.free} students free, ${around.columns} columns, ${around.outcome.status.toLowerCase()} in ${around.outcome.seconds.toFixed(1)} s`,
    );
    if (around.values) tight = { ...around.outcome, values: around.values };
  }
  tight ??= session.mip(exact.model, { share: 0.6 });
  timeLimitReached ||= tight.timeLimitReached;
  notes.push(`worst rank ${w}: stage 2 (blocks), ${exact.xCount} columns, ${tight.status.toLowerCase()} in ${tight.seconds.toFixed(1)} s`);
  if (tight.values) picks = picksFrom(tight.values, exact.colStudent, exact.colSite);
  else if (ctx.remaining() > 0) {
    const two = buildStageTwo(inst, caps, blocksAt, fixed, true);
    // Only needs a timetable with few shortfalls (the repair does the rest): a loose gap and a
    // small share of the budget, or HiGHS spends minutes proving the last shortfall minimal.
    const second = session.mip(two.model, { share: 0.3, relGap: ELASTIC_GAP });
    timeLimitReached ||= second.timeLimitReached;
    notes.push(`worst rank ${w}: elastic stage 2, ${second.status.toLowerCase()} in ${second.seconds.toFixed(1)} s`);
    if (second.values) {
      const values = second.values;
      const placed = picksFrom(values, two.colStudent, two.colSite);
      const broken = new Set(two.shortfalls.filter((u) => values[u.col]! > 0.5).map((u) => u.student));
      notes.push(`worst rank ${w}: ${broken.size} students did not fit the block timetable; repairing`);
      const repaired = repairTimetable(inst, caps, placed, broken, (model) => session.mip(model, { share: 0.5 }), notes);
      if (repaired.infeasible) return none('INFEASIBLE');
      picks = repaired.picks;
      // A repair that grew to every student solved the full model: its optimum is the bound.
      if (repaired.exact && picks) bound = totalRank(inst, picks);
    }
  }
  if (picks) {
    const objective = totalRank(inst, picks);
    const found: Attempt = { status: 'FEASIBLE', picks, objective, bound, timeLimitReached, notes, strategy: 'DECOMPOSED' };
    // Stage 1 can be optimistic (its places may not fit the blocks): close the gap with the full
    // model, warm-started from this solution, when it is small enough to be worth it.
    const proven = Number.isFinite(bound) ? Math.ceil(bound - 1e-6) : -Infinity;
    if (ctx.strategy !== 'AUTO' || objective <= proven || ctx.remaining() <= 0 || countColumns(inst, caps) > POLISH_MAX_COLUMNS)
      return found;
    const polished = monolithicAttempt(session, w, picks, 0.5);
    notes.push(...polished.notes.map((n) => `polish: ${n}`));
    const better = polished.picks.length > 0 && polished.objective < objective;
    return {
      ...found,
      picks: better ? polished.picks : picks,
      objective: better ? polished.objective : objective,
      bound: Math.max(bound, polished.bound),
      timeLimitReached: timeLimitReached || polished.timeLimitReached,
    };
  }
  if (ctx.strategy === 'DECOMPOSED' || ctx.remaining() <= 0) return none('NO_SOLUTION');
  const columns = countColumns(inst, caps);
  if (columns > FULL_MODEL_MAX_COLUMNS) {
    notes.push(`the stage-1 places could not be timetabled, and the full model (${columns} columns) is too large to try`);
    return none('NO_SOLUTION');
  }
  notes.push('the stage-1 places could not be timetabled; solving the full model instead');
  const full = monolithicAttempt(session, w);
  return { ...full, notes: [...notes, ...full.notes], bound: Math.max(full.bound, stageOneBound) };
}
