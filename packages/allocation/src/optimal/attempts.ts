import { buildStageOne, buildStageTwo, stageOneStart } from './decomposed';
import { buildMonolithic, precedenceStartValues, staffingStart } from './monolithic';
import { repairTimetable } from './repair';
import { rotationStartValues } from './rotations';
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

export function decomposedAttempt(session: Session, w: number): Attempt {
  const { inst, ctx, warmStart } = session;
  const caps = session.capsAt(w);
  const one = buildStageOne(inst, caps);
  const first = session.mip(one.model, {
    start: warmStart ? stageOneStart(inst, one, caps, warmStart) : undefined,
    share: 0.6,
    worstRank: w,
  });
  const notes = [
    `worst rank ${w}: stage 1 (places), ${one.zCols.length} + ${one.yCols.length} columns, ${first.status.toLowerCase()} in ${first.seconds.toFixed(1)} s`,
  ];
  let timeLimitReached = first.timeLimitReached;
  const none = (status: Attempt['status']): Attempt => ({
    status,
    picks: [],
    objective: Infinity,
    bound: first.bound,
    timeLimitReached,
    notes,
    strategy: 'DECOMPOSED',
  });
  if (first.status === 'INFEASIBLE' || !first.values) return none(first.status);

  const blocksAt = inst.students.map(() => new Map<number, number>());
  const fixed = inst.students.map((st) => new Set(inst.pinsByStudent[st.index]!.filter((p) => p.site !== -1).map((p) => p.site)));
  for (const z of one.zCols) {
    const n = Math.round(first.values[z.col]!);
    if (n > 0) blocksAt[z.student]!.set(z.group, n);
  }
  for (const y of one.yCols) if (first.values[y.col]! > 0.5) fixed[y.student]!.add(y.site);

  let picks: Pick[] | null = null;
  let bound = first.bound;
  const exact = buildStageTwo(inst, caps, blocksAt, fixed, false);
  const tight = session.mip(exact.model, { share: 0.6 });
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
  return { ...full, notes: [...notes, ...full.notes], bound: Math.max(full.bound, first.bound) };
}
