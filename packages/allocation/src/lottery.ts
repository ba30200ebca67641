import { type RunContext } from './context';
import { unitsOf } from './feasibility';
import { type Instance } from './instance';
import { completeDraw } from './lottery-completion';
import { type Plan, planUnit } from './plan';
import { createRng, shuffle } from './prng';

/**
 * LOTTERY: random serial dictatorship with a published seed.
 *
 * Order: students are shuffled by a PRNG seeded from the published seed (over the canonical,
 * id-sorted list, so the draw depends only on the seed and the set of students), then stably
 * sorted by priority tier, highest first. Pins are reserved before anyone chooses.
 *
 * Turn: each student (a pair group chooses together, at its first member's turn) takes the
 * schedule that is best for them among the seats still open: the smallest worst rank, then the
 * smallest total rank, meeting their whole requirement (see plan.ts). So a student's choice in
 * one block accounts for what they need in the others. Two safeguards look after later
 * students without ever costing the chooser a rank, except for the first:
 * - a specialty's seats needed for the minimums of the students still to choose are kept: a
 *   student takes a specialty beyond their own minimum (an elective, a second block) only from
 *   the surplus;
 * - between schedules of equal ranks, the one in the emptier blocks wins (see tieBreak).
 *
 * Stuck: when the open seats no longer allow a complete schedule for a student, RSD does not
 * undo earlier choices: the student is left unplaced (no partial schedule, their pinned seats
 * released) and reported with the reason. OPTIMAL never leaves anyone unplaced.
 */

export interface LotteryOutcome {
  picks: { student: number; site: number }[];
  unplaced: { student: number; reason: string }[];
  /** Students in the order they chose. */
  order: number[];
  /** Position (0-based) of each student's turn. */
  turn: Int32Array;
  /** Open seats per site at each student's turn (only for sites better than what they got). */
  seatsAtTurn: Map<number, number>[];
  /** Departments and blocks (index in `Instance.staffed`) the draw left below their minimum, closed, with why. */
  closedByDraw?: Map<number, string>;
  /**
   * What the completion after the draw did (lottery-completion.ts, ADR 0054): the students it
   * placed, and the students placed by the draw it moved to a schedule no worse by their turn's
   * measure. Absent when the draw placed everyone or the completion was not run.
   */
  completion?: { placed: number[]; moved: number[] };
}

/**
 * Among schedules of equal ranks, prefer the sites whose specialty has the most open seats in
 * that block (relative to its busiest block): it does not change what the student gets, and it
 * keeps every block usable for the students still to choose (else everyone with block-free
 * preferences would pile into the first blocks and later students would get stuck: in one tight
 * 400-student instance, 28 students were left unplaced without it, none with it).
 */
function tieBreak(inst: Instance, seatsLeft: Int32Array): Float64Array {
  const nSpec = inst.specialties.length;
  const open = new Float64Array(nSpec * inst.blocks.length);
  for (const x of inst.sites) open[x.block * nSpec + x.spec]! += seatsLeft[x.index]!;
  const most = new Float64Array(nSpec);
  for (let i = 0; i < open.length; i++) most[i % nSpec] = Math.max(most[i % nSpec]!, open[i]!);
  return Float64Array.from(inst.sites, (x) => (most[x.spec]! > 0 ? 1 - open[x.block * nSpec + x.spec]! / most[x.spec]! : 0) * 0.999);
}

/** How the staffing redraw runs (the default is the rule of ADR 0040). */
export interface LotteryOptions {
  /**
   * Redraw every turn after a closure (ADR 0022 §6 before ADR 0040), instead of only the turns
   * from the first one that held a seat at a closed department and block. For the bench's
   * comparison of the two rules (bench/lottery.ts).
   */
  fullRedraw?: boolean;
  /**
   * Try the students the draw left unplaced again once it is over (lottery-completion.ts,
   * ADR 0054). Default true; false keeps the draw as it ended (the bench's comparison).
   */
  complete?: boolean;
}

/** What one turn decided, kept so that a staffing redraw can replay the turns before its first change. */
type TurnRecord = { plan: Plan } | { reason: string };

/** The draw's fixed parts: the order, each unit's turn and each student's own minimums (pins deducted). */
interface DrawSetup {
  order: number[];
  turn: Int32Array;
  unitOf: Map<number, number[]>;
  /** Position in `order` at which each student's unit chooses (its first member's turn). */
  unitTurn: Int32Array;
  need: Int32Array[];
}

function setUp(inst: Instance, seed: string): DrawSetup {
  const rng = createRng(seed);
  const drawn = shuffle(
    inst.students.map((s) => s.index),
    rng,
  );
  const order = drawn
    .map((s, position) => ({ s, position }))
    .sort((a, b) => inst.students[b.s]!.priority - inst.students[a.s]!.priority || a.position - b.position)
    .map((x) => x.s);
  const turn = new Int32Array(inst.students.length);
  order.forEach((s, i) => (turn[s] = i));
  const unitOf = new Map<number, number[]>();
  for (const unit of unitsOf(inst)) for (const s of unit) unitOf.set(s, unit);
  const unitTurn = Int32Array.from(inst.students, (st) => Math.min(...unitOf.get(st.index)!.map((m) => turn[m]!)));
  const need = inst.students.map((st) => {
    const n = Int32Array.from(st.min);
    for (const pin of inst.pinsByStudent[st.index]!) if (pin.site !== -1) n[inst.sites[pin.site]!.spec]!--;
    return n.map((v) => Math.max(0, v));
  });
  return { order, turn, unitOf, unitTurn, need };
}

/**
 * Minimum staffing ("m students or none") is not something one student's turn can see: the draw
 * runs as above, then every department and block it left below its minimum is closed and the draw
 * is run again with the same order, until none is (closures only grow, so this ends). The closed
 * ones are reported, with how many students had chosen them.
 *
 * The redraw starts at the first turn that held a seat (a pick or a pin) at a department and
 * block just closed: the turns before it did not use what was closed, so their choices stand and
 * are replayed without planning (ADR 0040); every later turn chooses again, given them.
 */
export async function runLottery(inst: Instance, seed: string, ctx?: RunContext, options: LotteryOptions = {}): Promise<LotteryOutcome> {
  const setup = setUp(inst, seed);
  const closed = new Map<number, string>();
  let previous: (TurnRecord | undefined)[] = [];
  let from = 0;
  for (;;) {
    const { outcome, records } = await drawOnce(inst, setup, ctx, closed, previous, from);
    const finish = (done: LotteryOutcome) => (options.complete === false ? done : completed(inst, setup, done, records));
    if (!inst.staffed.length) return finish(outcome);
    const count = new Int32Array(inst.staffed.length);
    for (const p of outcome.picks) if (inst.staffedOf[p.site] !== -1) count[inst.staffedOf[p.site]!]!++;
    const under = inst.staffed.map((e, k) => (count[k]! > 0 && count[k]! < e.min ? k : -1)).filter((k) => k !== -1);
    if (!under.length) return finish({ ...outcome, closedByDraw: closed });
    for (const k of under)
      closed.set(k, `only ${count[k]} student${count[k] === 1 ? '' : 's'} chose it in the draw, so it was closed and the draw run again`);
    const now = new Set(under);
    const touches = (site: number) => site !== -1 && now.has(inst.staffedOf[site]!);
    from = inst.students.length;
    for (const p of outcome.picks) if (touches(p.site)) from = Math.min(from, setup.unitTurn[p.student]!);
    for (const pin of inst.pins) if (touches(pin.site)) from = Math.min(from, setup.unitTurn[pin.student]!);
    if (options.fullRedraw) from = 0;
    previous = records;
  }
}

/**
 * The draw as it ended, with the units it left unplaced tried again (lottery-completion.ts): the
 * picks are listed in turn order as the draw lists them, so an unchanged unit's are the same.
 */
function completed(
  inst: Instance,
  setup: DrawSetup,
  outcome: LotteryOutcome,
  records: readonly (TurnRecord | undefined)[],
): LotteryOutcome {
  if (!outcome.unplaced.length) return outcome;
  const units = new Map<number, readonly number[]>();
  const plans = new Map<number, Plan | null>();
  const keys: number[] = [];
  for (const [position, record] of records.entries()) {
    if (!record) continue;
    const unit = setup.unitOf.get(setup.order[position]!)!;
    units.set(unit[0]!, unit);
    plans.set(unit[0]!, 'plan' in record ? record.plan : null);
    keys.push(unit[0]!);
  }
  const done = completeDraw(inst, units, plans, keys);
  if (!done.placed.length) return outcome;
  const picks: LotteryOutcome['picks'] = [];
  for (const key of keys) {
    const plan = done.plans.get(key);
    if (plan)
      for (const m of units.get(key)!) for (const pick of [...plan.pinned, ...plan.picks]) picks.push({ student: m, site: pick.site });
  }
  const members = (list: number[]) => list.flatMap((key) => [...units.get(key)!]);
  const placed = members(done.placed);
  const moved = members(done.moved);
  // What a placed or moved student's explanation reads: the seats left where they could have done better.
  const seatsAtTurn = [...outcome.seatsAtTurn];
  const used = new Int32Array(inst.sites.length);
  for (const p of picks) used[p.site]!++;
  for (const s of [...placed, ...moved]) {
    const better = new Map<number, number>();
    for (const p of picks) {
      if (p.student !== s) continue;
      const mine = inst.rankOf(s, inst.sites[p.site]!);
      for (const other of inst.sitesByBlock[inst.sites[p.site]!.block]!)
        if (other.index !== p.site && inst.rankOf(s, other) < mine) better.set(other.index, other.seats - used[other.index]!);
    }
    seatsAtTurn[s] = better;
  }
  const nowPlaced = new Set(placed);
  return {
    ...outcome,
    picks,
    unplaced: outcome.unplaced.filter((u) => !nowPlaced.has(u.student)),
    seatsAtTurn,
    completion: { placed, moved },
  };
}

/**
 * One draw with the departments and blocks in `closed` shut. The units whose turn comes before
 * `from` take what `previous` says they took (their choices did not touch anything closed since);
 * the others plan their turn.
 */
async function drawOnce(
  inst: Instance,
  { order, turn, unitOf, need }: DrawSetup,
  ctx: RunContext | undefined,
  closed: Map<number, string>,
  previous: readonly (TurnRecord | undefined)[],
  from: number,
): Promise<{ outcome: LotteryOutcome; records: (TurnRecord | undefined)[] }> {
  const seatsLeft = Int32Array.from(inst.sites.map((x) => x.seats));
  for (const pin of inst.pins) if (pin.site !== -1) seatsLeft[pin.site]!--;
  const isClosed = (site: number) => inst.staffedOf[site] !== -1 && closed.has(inst.staffedOf[site]!);
  for (const x of inst.sites) if (isClosed(x.index)) seatsLeft[x.index] = 0;

  // Seats each specialty must keep for the minimums of the students still to choose: a student
  // may take a specialty beyond their own minimum (an elective, a second block) only from the
  // surplus, so that an early elective never uses up a seat a later student needs.
  const nSpec = inst.specialties.length;
  const specSeats = new Int32Array(nSpec);
  for (const x of inst.sites) specSeats[x.spec]! += seatsLeft[x.index]!;
  const specDemand = new Int32Array(nSpec);
  for (const n of need) for (let k = 0; k < nSpec; k++) specDemand[k]! += n[k]!;

  const picks: LotteryOutcome['picks'] = [];
  const unplaced: LotteryOutcome['unplaced'] = [];
  const seatsAtTurn = inst.students.map(() => new Map<number, number>());
  const records: (TurnRecord | undefined)[] = new Array(order.length);
  const done = new Set<number>();
  let count = 0;
  for (const [position, s] of order.entries()) {
    if (done.has(s)) continue;
    if (ctx && ++count % 100 === 0) {
      await ctx.checkpoint();
      ctx.progress((0.05 * count) / inst.students.length, 'lottery');
    }
    const unit = unitOf.get(s)!;
    for (const m of unit) done.add(m);
    const record = position < from ? previous[position]! : planTurn(inst, unit, need, seatsLeft, specSeats, specDemand, isClosed);
    records[position] = record;
    for (const m of unit) for (let k = 0; k < nSpec; k++) specDemand[k]! -= need[m]![k]!;
    if ('reason' in record) {
      for (const m of unit) {
        unplaced.push({ student: m, reason: `when their turn came, ${record.reason}` });
        for (const pin of inst.pinsByStudent[m]!) {
          if (pin.site === -1 || isClosed(pin.site)) continue;
          seatsLeft[pin.site]!++;
          specSeats[inst.sites[pin.site]!.spec]!++;
        }
      }
      continue;
    }
    const { plan } = record;
    for (const m of unit) {
      for (const pick of [...plan.pinned, ...plan.picks]) {
        const mine = inst.rankOf(m, inst.sites[pick.site]!);
        for (const other of inst.sitesByBlock[pick.block]!) {
          if (other.index !== pick.site && inst.rankOf(m, other) < mine) seatsAtTurn[m]!.set(other.index, seatsLeft[other.index]!);
        }
        picks.push({ student: m, site: pick.site });
      }
    }
    for (const pick of [...plan.picks.map((p) => ({ ...p, extra: unit.length })), ...plan.pinned]) {
      seatsLeft[pick.site]! -= pick.extra;
      specSeats[inst.sites[pick.site]!.spec]! -= pick.extra;
    }
  }
  return { outcome: { picks, unplaced, order, turn, seatsAtTurn }, records };
}

/** One unit's turn: its best schedule among the open seats, within the surplus of each specialty. */
function planTurn(
  inst: Instance,
  unit: readonly number[],
  need: readonly Int32Array[],
  seatsLeft: Int32Array,
  specSeats: Int32Array,
  specDemand: Int32Array,
  isClosed: (site: number) => boolean,
): TurnRecord {
  const nSpec = inst.specialties.length;
  const cap = new Int32Array(nSpec);
  for (let k = 0; k < nSpec; k++) {
    const own = unit.reduce((t, m) => t + need[m]![k]!, 0);
    const unitMin = Math.max(...unit.map((m) => need[m]![k]!));
    const surplus = specSeats[k]! - (specDemand[k]! - own);
    cap[k] = Math.max(0, Math.floor(surplus / unit.length) - unitMin);
  }
  const closedPin = unit.flatMap((m) => inst.pinsByStudent[m]!).find((pin) => pin.site !== -1 && isClosed(pin.site));
  if (closedPin)
    return {
      reason: `${inst.sites[closedPin.site]!.departmentName} in ${inst.blocks[closedPin.block]!.label}, where they are pinned, needs at least ${inst.staffed[inst.staffedOf[closedPin.site]!]!.min} students or none, and too few could join them`,
    };
  const plan = planUnit(inst, unit, seatsLeft, cap, tieBreak(inst, seatsLeft));
  return plan.feasible ? { plan } : { reason: plan.reason! };
}
