import { type RunContext } from '../context';
import { type Instance } from '../instance';
import { runLottery } from '../lottery';
import { guideOf, type PlacesRelaxation, relaxUpToFeasible } from './places-relaxation';
import { countColumns, type Pick, type Session, totalRank } from './session';

/**
 * The warm start of a large instance (ADR 0073): a lottery draw in which every student prefers the
 * departments the places relaxation's LP gives them.
 *
 * A plain draw is greedy: each student in turn takes the best ranks left, and those who come later
 * pay for it (year320's draw: 12,465-12,575, 18-22 % above the bound). The places relaxation says
 * which departments each student should use so that everyone's ranks are least in sum, without
 * the order of blocks. The guided draw keeps each student's ranks among those departments and moves
 * every other department below them (by the unranked rank, so the order among each kind stays the
 * student's own): the draw's rules, seats, requirements, rotations and precedences are unchanged,
 * so its result is a valid allocation, and students leave their LP departments only where the
 * blocks do not fit. On year320: 10,575-10,621 (2.5-2.9 % above the bound) in 16-26 s, where a
 * plain draw takes 41-46 s.
 *
 * The relaxation is tried at the worst ranks in increasing order: each infeasible one is proven
 * impossible on the way (year320's ranks 2-4, year1000's ranks 2-4), and the first feasible one
 * guides the draw.
 */

/**
 * A run draws its warm start guided when its instance has at least this many (student, site)
 * columns within the loosest caps: year320 has 483,273 and year1000 2,884,799, whose stage 1 is
 * too large to solve whole; year80 has 52,569 and keeps its plain draw (its stage 1's LP is solved
 * and guides its start, ADR 0057).
 */
export const GUIDED_MIN_COLUMNS = 150_000;

/**
 * Share of what is left for each worst rank's relaxation: year1000's feasible one takes 58-61 s,
 * and 0.3 of what its lottery left (51.8 s) cut it.
 */
const RELAXATION_SHARE = 0.45;

/**
 * ... and at most this many students: year1000's guided draw (1,000 students) took 365.8 s and
 * left 12 students unplaced, where its plain draw takes 117.7 s and leaves 4; year320's took 16-26 s
 * against 41-46 s. A larger instance keeps the relaxation's proofs and bound, and the run's own
 * lottery as its start.
 */
export const GUIDED_MAX_STUDENTS = 500;

/** The run relaxes the order of blocks (proofs and bound) before its attempts. */
export function relaxesPlaces(inst: Instance, minColumns = GUIDED_MIN_COLUMNS): boolean {
  return countColumns(inst, new Int32Array(inst.students.length).fill(inst.unrankedRank)) >= minColumns;
}

/** ... and draws its own start, guided by it, before the lottery draws. */
export function drawsGuided(inst: Instance, minColumns = GUIDED_MIN_COLUMNS): boolean {
  return inst.students.length <= GUIDED_MAX_STUDENTS && relaxesPlaces(inst, minColumns);
}

/**
 * The instance as the guided draw sees it: a student's rank at a department the relaxation gives
 * them is their own, at any other it is pushed below all of those by the unranked rank.
 */
export function guidedView(inst: Instance, used: readonly Uint8Array[]): Instance {
  const shift = inst.unrankedRank;
  const rank = (s: number, department: number, own: number) => (used[s]![department] ? own : own + shift);
  return {
    ...inst,
    unrankedRank: inst.unrankedRank + shift,
    candidates: inst.candidates.map((list, s) =>
      list.map((c) => ({ site: c.site, rank: rank(s, inst.sites[c.site]!.department, c.rank) })),
    ),
    rankOf: (s, site) => rank(s, site.department, inst.rankOf(s, site)),
  };
}

export interface GuidedStart {
  /** The relaxation at each worst rank tried (the attempts reuse them). */
  relaxations: Map<number, PlacesRelaxation>;
  /** The draw when it placed everyone. */
  picks: Pick[] | null;
  /** The draw when it left students unplaced. */
  partial: { picks: Pick[]; unplaced: number[] } | null;
}

/**
 * The places relaxation at the worst ranks in increasing order, up to the first that is not
 * infeasible; with `seed`, that one's LP then guides a draw.
 */
export async function guidedWarmStart(
  session: Session,
  floor: Int32Array,
  seed: string | null,
  ctx: RunContext,
  notes: string[],
): Promise<GuidedStart> {
  const { inst } = session;
  const relaxations = await relaxUpToFeasible(
    inst,
    floor,
    (model) => session.relaxation(model, RELAXATION_SHARE),
    (relaxed) =>
      notes.push(
        `worst rank ${relaxed.worstRank}: stage 1 with the order of blocks relaxed (${relaxed.columns} columns): LP ${
          relaxed.infeasible
            ? 'infeasible, so no allocation has it'
            : Number.isFinite(relaxed.bound)
              ? relaxed.bound.toFixed(1)
              : 'not solved'
        } in ${relaxed.seconds.toFixed(1)} s`,
      ),
    async () => {
      await ctx.checkpoint();
      return ctx.remaining() > 0;
    },
  );
  const guide = guideOf(relaxations);
  if (!guide || seed === null || ctx.remaining() <= 0) return { relaxations, picks: null, partial: null };
  const began = ctx.elapsed();
  const draw = await runLottery(guidedView(inst, guide.used), seed, ctx);
  const outside = draw.picks.filter((p) => !guide.used[p.student]![inst.sites[p.site]!.department]).length;
  notes.push(
    `warm start: a draw guided by worst rank ${guide.worstRank}'s relaxation, total ${totalRank(inst, draw.picks)}, ${outside} of ${draw.picks.length} places outside its departments, ${draw.unplaced.length} students unplaced, in ${(ctx.elapsed() - began).toFixed(1)} s`,
  );
  if (!draw.unplaced.length) return { relaxations, picks: draw.picks, partial: null };
  return { relaxations, picks: null, partial: { picks: draw.picks, unplaced: draw.unplaced.map((u) => u.student) } };
}
