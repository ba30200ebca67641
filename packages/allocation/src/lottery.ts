import { type RunContext } from './context';
import { unitsOf } from './feasibility';
import { type Instance } from './instance';
import { planUnit } from './plan';
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

/**
 * Minimum staffing ("m students or none") is not something one student's turn can see: the draw
 * runs as above, then every department and block it left below its minimum is closed and the draw
 * is run again with the same order, until none is (closures only grow, so this ends). The closed
 * ones are reported, with how many students had chosen them.
 */
export async function runLottery(inst: Instance, seed: string, ctx?: RunContext): Promise<LotteryOutcome> {
  const closed = new Map<number, string>();
  for (;;) {
    const out = await drawOnce(inst, seed, ctx, closed);
    if (!inst.staffed.length) return out;
    const count = new Int32Array(inst.staffed.length);
    for (const p of out.picks) if (inst.staffedOf[p.site] !== -1) count[inst.staffedOf[p.site]!]!++;
    const under = inst.staffed.map((e, k) => (count[k]! > 0 && count[k]! < e.min ? k : -1)).filter((k) => k !== -1);
    if (!under.length) return { ...out, closedByDraw: closed };
    for (const k of under)
      closed.set(k, `only ${count[k]} student${count[k] === 1 ? '' : 's'} chose it in the draw, so it was closed and the draw run again`);
  }
}

async function drawOnce(inst: Instance, seed: string, ctx: RunContext | undefined, closed: Map<number, string>): Promise<LotteryOutcome> {
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
  const need = inst.students.map((st) => {
    const n = Int32Array.from(st.min);
    for (const pin of inst.pinsByStudent[st.index]!) if (pin.site !== -1) n[inst.sites[pin.site]!.spec]!--;
    return n.map((v) => Math.max(0, v));
  });
  const specDemand = new Int32Array(nSpec);
  for (const n of need) for (let k = 0; k < nSpec; k++) specDemand[k]! += n[k]!;

  const picks: LotteryOutcome['picks'] = [];
  const unplaced: LotteryOutcome['unplaced'] = [];
  const seatsAtTurn = inst.students.map(() => new Map<number, number>());
  const done = new Set<number>();
  let count = 0;
  for (const s of order) {
    if (done.has(s)) continue;
    if (ctx && ++count % 100 === 0) {
      await ctx.checkpoint();
      ctx.progress((0.05 * count) / inst.students.length, 'lottery');
    }
    const unit = unitOf.get(s)!;
    for (const m of unit) done.add(m);
    const cap = new Int32Array(nSpec);
    for (let k = 0; k < nSpec; k++) {
      const own = unit.reduce((t, m) => t + need[m]![k]!, 0);
      const unitMin = Math.max(...unit.map((m) => need[m]![k]!));
      const surplus = specSeats[k]! - (specDemand[k]! - own);
      cap[k] = Math.max(0, Math.floor(surplus / unit.length) - unitMin);
    }
    const closedPin = unit.flatMap((m) => inst.pinsByStudent[m]!).find((pin) => pin.site !== -1 && isClosed(pin.site));
    const plan = closedPin
      ? {
          feasible: false,
          worst: 0,
          sum: 0,
          picks: [],
          pinned: [],
          reason: `${inst.sites[closedPin.site]!.departmentName} in ${inst.blocks[closedPin.block]!.label}, where they are pinned, needs at least ${inst.staffed[inst.staffedOf[closedPin.site]!]!.min} students or none, and too few could join them`,
        }
      : planUnit(inst, unit, seatsLeft, cap, tieBreak(inst, seatsLeft));
    for (const m of unit) for (let k = 0; k < nSpec; k++) specDemand[k]! -= need[m]![k]!;
    if (!plan.feasible) {
      for (const m of unit) {
        unplaced.push({ student: m, reason: `when their turn came, ${plan.reason}` });
        for (const pin of inst.pinsByStudent[m]!) {
          if (pin.site === -1 || isClosed(pin.site)) continue;
          seatsLeft[pin.site]!++;
          specSeats[inst.sites[pin.site]!.spec]!++;
        }
      }
      continue;
    }
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
  return { picks, unplaced, order, turn, seatsAtTurn };
}
