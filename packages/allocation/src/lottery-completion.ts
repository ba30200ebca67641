import { type Instance } from './instance';
import { type Plan, planUnit } from './plan';

/**
 * The lottery's completion step (ADR 0054). The draw is a serial dictatorship: a unit (a student,
 * or a pair choosing together) whose turn finds no complete schedule among the open seats is left
 * unplaced, and nothing is undone. Once the draw and its staffing redraws are over, each unplaced
 * unit is tried again, in turn order:
 *
 * 1. among the seats still open, with no seats kept for later students' minimums (nobody is
 *    left to choose);
 * 2. else with seats held by students placed earlier, on one condition: every student moved keeps
 *    a schedule at least as good by the draw's own measure — the same or a smaller worst rank,
 *    and then the same or a smaller total rank (what their turn chose). A moved student is
 *    planned again by the same planner on the seats left (their old ones included), and may in
 *    turn move others on the same condition, up to DEPTH students deep.
 *
 * So nobody placed by the draw ends worse off, and an unplaced student is placed only where that
 * costs nobody a rank. Staffing: a department and block the draw left empty stays empty (the
 * draw closed it, or nobody chose it), one that is staffed keeps at least its minimum, and a move
 * that would break either is undone.
 */

/** Planner calls one unplaced unit's completion may spend, its moves included. */
const CALLS_PER_UNIT = 200;
/** Students moved in a chain below the unplaced unit (it moves some, and they move others). */
const DEPTH = 2;
/** Plans a moved unit tries (each moving others) before it gives up and its mover tries someone else. */
const NESTED_ATTEMPTS = 3;

export interface CompletionOutcome {
  /** Each unit's schedule (by its first member), null when unplaced. */
  plans: Map<number, Plan | null>;
  /** Units placed by the completion (first members). */
  placed: number[];
  /** Units placed by the draw whose schedule the completion changed (first members). */
  moved: number[];
}

type LogEntry = { take: boolean; key: number; plan: Plan };

/**
 * @param units every unit, by its first member
 * @param plans each unit's schedule after the draw (null: unplaced), by first member
 * @param order the units' first members in turn order
 */
export function completeDraw(
  inst: Instance,
  units: ReadonlyMap<number, readonly number[]>,
  plans: ReadonlyMap<number, Plan | null>,
  order: readonly number[],
): CompletionOutcome {
  const nSites = inst.sites.length;
  const turnOf = new Map(order.map((key, i) => [key, i]));
  const used = new Int32Array(nSites);
  const staffedCount = new Int32Array(inst.staffed.length);
  /** Units holding a seat at each site that a move may take (not a pinned block). */
  const holders = Array.from({ length: nSites }, () => new Set<number>());
  const current = new Map<number, Plan | null>();
  const log: LogEntry[] = [];
  // What a moved unit must not fall below: its draw's schedule, or the completion's for one it placed.
  const bounds = new Map(plans);

  const sitesOf = (plan: Plan) => [...plan.pinned.map((p) => p.site), ...plan.picks.map((p) => p.site)];
  const apply = (key: number, plan: Plan, sign: 1 | -1) => {
    const size = units.get(key)!.length;
    for (const site of sitesOf(plan)) {
      used[site]! += sign * size;
      const e = inst.staffedOf[site]!;
      if (e !== -1) staffedCount[e]! += sign * size;
    }
    for (const p of plan.picks) {
      if (sign === 1) holders[p.site]!.add(key);
      else holders[p.site]!.delete(key);
    }
    current.set(key, sign === 1 ? plan : null);
  };
  const take = (key: number, plan: Plan) => {
    apply(key, plan, 1);
    log.push({ take: true, key, plan });
  };
  const release = (key: number) => {
    const plan = current.get(key)!;
    apply(key, plan, -1);
    log.push({ take: false, key, plan });
  };
  const rollback = (mark: number) => {
    while (log.length > mark) {
      const { take: taken, key, plan } = log.pop()!;
      apply(key, plan, taken ? -1 : 1);
    }
  };
  for (const [key, plan] of plans) {
    current.set(key, null);
    if (plan) apply(key, plan, 1);
  }

  /** Every department and block touched since `mark` is empty or at its minimum. */
  const staffingHolds = (mark: number) =>
    log.slice(mark).every(({ plan }) =>
      sitesOf(plan).every((site) => {
        const e = inst.staffedOf[site]!;
        return e === -1 || staffedCount[e] === 0 || staffedCount[e]! >= inst.staffed[e]!.min;
      }),
    );

  /**
   * Open seats for a unit that holds nothing: its own pins' seats deducted (the planner expects
   * them reserved), and no seat at a department and block that is empty (the draw left it so) or
   * that the unit could not bring up to its minimum.
   */
  const freeSeats = (unit: readonly number[]): Int32Array => {
    const seats = new Int32Array(nSites);
    for (const x of inst.sites) {
      const e = inst.staffedOf[x.index]!;
      const shut = e !== -1 && (staffedCount[e] === 0 || staffedCount[e]! + unit.length < inst.staffed[e]!.min);
      seats[x.index] = shut ? 0 : x.seats - used[x.index]!;
    }
    for (const m of unit) for (const pin of inst.pinsByStudent[m]!) if (pin.site !== -1) seats[pin.site]!--;
    return seats;
  };

  /** The plan with its worst and total rank read from the real ranks (see `taking` below). */
  const realRanks = (unit: readonly number[], plan: Plan): Plan => {
    let worst = 0;
    let sum = 0;
    for (const p of plan.picks) {
      const ranks = unit.map((m) => inst.rankOf(m, inst.sites[p.site]!));
      worst = Math.max(worst, ...ranks);
      sum += ranks.reduce((t, r) => t + r, 0);
    }
    return { ...plan, worst, sum };
  };

  /**
   * planUnit on `seats` with a seat that moves someone (`moves[site]` set) ranked
   * `rank × scale + held` instead of its rank, and no site ranked above the bound's worst rank;
   * the plan's worst and total rank are then read from the real ranks.
   */
  const planTaking = (
    unit: readonly number[],
    seats: Int32Array,
    moves: Float64Array,
    held: number,
    scale: number,
    bound: Plan | null,
  ): Plan => {
    const view = { ...inst, candidates: [...inst.candidates] };
    const pinned = new Set(unit.flatMap((m) => inst.pinsByStudent[m]!.map((p) => p.site)));
    for (const m of unit)
      view.candidates[m] = inst.candidates[m]!.filter((c) => !bound || c.rank <= bound.worst || pinned.has(c.site)).map((c) => ({
        site: c.site,
        rank: c.rank * scale + (moves[c.site] ? Math.max(1, held) : 0),
      }));
    const found = planUnit(view, unit, seats);
    return found.feasible ? realRanks(unit, found) : found;
  };

  const within = (plan: Plan, bound: Plan | null) =>
    !bound || plan.worst < bound.worst || (plan.worst === bound.worst && plan.sum <= bound.sum);

  let calls = 0;
  /**
   * Places `key`'s unit (holding nothing now) with a schedule within `bound`, moving other units
   * (not in `chain`) when `depth` allows; true with the state changed, false with it as it was.
   */
  const place = (key: number, bound: Plan | null, depth: number, chain: ReadonlySet<number>): boolean => {
    const unit = units.get(key)!;
    const size = unit.length;
    if (++calls > CALLS_PER_UNIT) return false;
    const free = freeSeats(unit);
    const alone = planUnit(inst, unit, free);
    if (alone.feasible && within(alone, bound)) {
      take(key, alone);
      return true;
    }
    if (depth === 0) return false;
    // Units this one found it could not move (they had no schedule as good without the seat).
    const stuck = new Set<number>();
    const movable = (other: number) => !chain.has(other) && !stuck.has(other) && other !== key;
    for (let attempt = 0; depth === DEPTH || attempt < NESTED_ATTEMPTS; attempt++) {
      if (++calls > CALLS_PER_UNIT) return false;
      // Seats held by movable units count as open; the planner prefers free ones among equal ranks.
      const seats = Int32Array.from(free);
      const penalty = new Float64Array(nSites);
      for (let x = 0; x < nSites; x++) {
        const e = inst.staffedOf[x]!;
        // A move keeps the department's count: only an empty one stays shut.
        if (e !== -1 && staffedCount[e] === 0) continue;
        let held = 0;
        for (const other of holders[x]!) if (movable(other)) held += units.get(other)!.length;
        if (!held) continue;
        if (seats[x]! < size) penalty[x] = 0.999;
        seats[x] = Math.max(0, seats[x]!) + held;
      }
      // First the plan that moves the fewest (a seat that moves someone ranks above every real
      // rank; sites above the bound's worst rank left out), then, when that one is not within the
      // bound, the best plan by real ranks that moves the fewest among equals.
      let plan = planTaking(unit, seats, penalty, inst.unrankedRank + 1, 1, bound);
      if (plan.feasible && !within(plan, bound)) {
        if (++calls > CALLS_PER_UNIT) return false;
        plan = planTaking(unit, seats, penalty, 0, inst.blocks.length + 1, bound);
      }
      if (!plan.feasible || !within(plan, bound)) return false;
      const mark = log.length;
      // For each site it takes beyond the free seats, the latest-drawn movable holders give way.
      const moved: number[] = [];
      const open = (site: number) => inst.sites[site]!.seats - used[site]! >= size;
      for (const site of sitesOf(plan)) {
        const candidates = [...holders[site]!].filter(movable).sort((a, b) => turnOf.get(b)! - turnOf.get(a)!);
        for (const other of candidates) {
          if (open(site)) break;
          moved.push(other);
          release(other);
        }
      }
      if (!sitesOf(plan).every(open)) {
        rollback(mark);
        return false;
      }
      take(key, plan);
      const inChain = new Set([...chain, key, ...moved]);
      const failed = moved.find((other) => !place(other, bounds.get(other)!, depth - 1, inChain));
      if (failed === undefined && staffingHolds(mark)) return true;
      rollback(mark);
      if (failed !== undefined) stuck.add(failed);
      else if (moved.length) for (const other of moved) stuck.add(other);
      else return false;
    }
    return false;
  };

  const placed: number[] = [];
  for (const key of order) {
    if (current.get(key) !== null) continue;
    calls = 0;
    if (!place(key, null, DEPTH, new Set())) continue;
    placed.push(key);
    bounds.set(key, current.get(key)!);
  }
  const moved = order.filter((key) => plans.get(key) && current.get(key) !== plans.get(key));
  return { plans: current, placed, moved };
}
