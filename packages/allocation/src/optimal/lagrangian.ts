import { type Instance } from '../instance';
import {
  buildPricedNetwork,
  cheapestOrderedSchedule,
  cheapestSchedule,
  flowScratch,
  type PricedNetwork,
  PRICE_SCALE,
} from './priced-schedule';

/**
 * A lower bound on the total rank at one worst rank without the stage-1 model: a Lagrangian
 * relaxation of the seats (ADR 0055). Each seat of a site gets a price λ ≥ 0; then
 *
 *   L(λ) = Σ_students (cheapest schedule alone, ranks + prices) − Σ_sites λ × open seats + pins' ranks
 *
 * is at most the total rank of every allocation that respects the seats (each such allocation
 * pays at most λ × open seats in prices, and no student's schedule is cheaper than their own
 * cheapest): EVERY λ gives a valid bound, so the best one seen is the bound, however the search
 * for λ is cut. The prices follow projected subgradient steps (a site's price rises by how many
 * more students want it than it has seats, and falls towards 0 when it has seats to spare), with
 * Polyak's step towards a target value.
 *
 * Each student's schedule is a small min-cost flow (optimal/priced-schedule.ts), so a round costs
 * milliseconds per hundred students and no solver memory: the bound exists for 1,000 students,
 * where the stage-1 model is too large for HiGHS (2 GB of WebAssembly). It is also a proof: a
 * student with no schedule at all, or a bound above the most any allocation could cost at these
 * caps, shows the worst rank infeasible.
 */

export interface LagrangianBound {
  /** The best (largest) L(λ) seen: a lower bound on the total rank (-Infinity before any round). */
  bound: number;
  /** Proven: no allocation at these caps. */
  infeasible: boolean;
  /** The prices of the best bound (per family, in 1/PRICE_SCALE of a rank), to warm-start the next search. */
  prices: Float64Array;
  rounds: number;
  seconds: number;
  /** Sites whose seats the last round's schedules overfill (0: they fit; the bound is then the relaxation's optimum). */
  overfilled: number;
  /** What the block-by-block schedules (precedences stated exactly) at the best prices added to the bound. */
  orderedGain: number;
}

export interface LagrangianOptions {
  /** Wall-clock seconds for the search. */
  seconds: number;
  /** An allocation's total rank at these caps, when one is known: the bound stops there (proven). */
  target?: number;
  /** Prices to start from (a previous search's). */
  prices?: Float64Array;
  /** At most this many rounds (default 300). */
  maxRounds?: number;
  /** Polled between rounds; true stops the search (the bound so far stands). */
  shouldStop?: () => boolean;
  /** Called after each round with its L(λ) (for the bench). */
  onRound?: (value: number, bound: number, step: number) => void;
}

/** Rounds without a better bound before the step is halved. */
const PATIENCE = 10;
/** Polyak's step factor at the start (it is halved down to MIN_STEP). */
const INITIAL_STEP = 1;
/** The search stops when the step factor falls below this. */
const MIN_STEP = 1 / 256;
/** Rounds at most, unless the caller says otherwise. */
const MAX_ROUNDS = 300;

/**
 * What a price is on: each site's family (its department, or its seats reserved for one school),
 * for the family's open seats summed over the blocks. Per-site prices were tried first: on year80
 * students moved between equally ranked blocks of one department at every step and L(λ) never
 * rose above the students-alone sum (2,098 against the LP's 2,434). Relaxing only the family's
 * total (the per-block seats dropped) is a relaxation too, and it is the one stage 1 aggregates.
 */
const priceKeyOf = (inst: Instance) => Int32Array.from(inst.sites, (x) => x.family);

export function lagrangianBound(inst: Instance, caps: Int32Array, options: LagrangianOptions): LagrangianBound {
  const started = performance.now();
  const elapsed = () => (performance.now() - started) / 1000;
  // The search runs on the aggregated schedules (places per family, ten times fewer arcs: the
  // prices are per family anyway); the best prices are evaluated once more block by block.
  const nets: PricedNetwork[] = inst.students.map((st) => buildPricedNetwork(inst, st.index, caps, true));
  const blockNets: PricedNetwork[] = inst.students.map((st) => buildPricedNetwork(inst, st.index, caps));
  const scratch = flowScratch([...nets, ...blockNets]);
  const nSites = inst.sites.length;
  const key = priceKeyOf(inst);
  const nKeys = inst.families.length;
  // Open seats per family: each site's seats left after the pins, summed over the blocks.
  const siteOpen = Float64Array.from(inst.sites, (x) => x.seats);
  for (const p of inst.pins) if (p.site !== -1) siteOpen[p.site]!--;
  const open = new Float64Array(nKeys);
  for (let i = 0; i < nSites; i++) open[key[i]!]! += Math.max(0, siteOpen[i]!);
  // The most any allocation at these caps could cost: every block to fill at the student's cap.
  let pinned = 0;
  let most = 0;
  for (const net of nets) {
    pinned += net.pinnedRank;
    most += net.pinnedRank + Math.max(0, net.fill) * caps[net.student]!;
  }
  const given = options.prices?.length === nKeys ? options.prices : undefined;
  let prices = given ? Float64Array.from(given, (p) => Math.max(0, Math.round(p))) : new Float64Array(nKeys);
  let bestPrices = prices.slice();
  const sitePrices = new Float64Array(nSites);
  const toSites = (p: Float64Array) => {
    for (let i = 0; i < nSites; i++) sitePrices[i] = p[key[i]!]!;
    return sitePrices;
  };
  let bound = -Infinity;
  let step = INITIAL_STEP;
  let stalled = 0;
  let rounds = 0;
  let overfilled = 0;
  let orderedGain = 0;
  const siteUse = new Int32Array(nSites);
  const use = new Float64Array(nKeys);
  const bestUse = new Float64Array(nKeys);
  const out = (infeasible: boolean): LagrangianBound => ({
    bound: infeasible ? Infinity : bound,
    infeasible,
    prices: bestPrices,
    rounds,
    seconds: elapsed(),
    overfilled,
    orderedGain,
  });
  const maxRounds = options.maxRounds ?? MAX_ROUNDS;
  const g = new Float64Array(nKeys);
  while (rounds < maxRounds && (rounds === 0 || elapsed() < options.seconds) && !options.shouldStop?.()) {
    rounds++;
    siteUse.fill(0);
    let scaled = 0;
    toSites(prices);
    for (const net of nets) {
      const cost = cheapestSchedule(net, sitePrices, scratch, siteUse);
      if (cost === null) return out(true);
      scaled += cost;
    }
    use.fill(0);
    for (let i = 0; i < nSites; i++) use[key[i]!]! += siteUse[i]!;
    for (let k = 0; k < nKeys; k++) scaled -= prices[k]! * open[k]!;
    let value = scaled / PRICE_SCALE + pinned;
    if (value > bound + 1e-9) {
      bound = value;
      bestPrices = prices.slice();
      bestUse.set(use);
      stalled = 0;
    } else if (++stalled >= PATIENCE) {
      // Back to the best prices, with half the step from there.
      step /= 2;
      stalled = 0;
      prices = bestPrices.slice();
      use.set(bestUse);
      value = bound;
    }
    options.onRound?.(value, bound, step);
    // Above what any allocation could cost: none exists.
    if (bound > most + 1e-6) return out(true);
    if (options.target !== undefined && Math.ceil(bound - 1e-6) >= options.target) break;
    if (step < MIN_STEP) break;
    // Projected subgradient: a price at 0 with seats to spare stays there.
    let norm = 0;
    overfilled = 0;
    g.fill(0);
    for (let k = 0; k < nKeys; k++) {
      const d = use[k]! - open[k]!;
      if (d > 0) overfilled++;
      if (d < 0 && prices[k]! <= 0) continue;
      g[k] = d;
      norm += d * d;
    }
    // Every seat respected with complementary prices: L(λ) is the relaxation's optimum.
    if (norm === 0) break;
    // Polyak's target: 2 % above the best bound, or a known allocation's total when that is
    // closer. Aiming at a far allocation overshot: year1000's rank 5, aimed at its lottery 60 %
    // above the bound, got 70 rounds of halved steps (ADR 0055).
    const goal = Math.min(options.target ?? Infinity, bound + Math.max(1, 0.02 * Math.abs(bound)));
    const t = (step * Math.max(goal - value, 0.5)) / norm;
    for (let k = 0; k < nKeys; k++) if (g[k]) prices[k] = Math.max(0, prices[k]! + Math.round(t * g[k]! * PRICE_SCALE));
  }
  // The best prices once more block by block, with each student's precedence stated exactly: a
  // relaxation closer to the model, so never lower.
  if (Number.isFinite(bound) && !options.shouldStop?.()) {
    const ordered = evaluate(blockNets, toSites(bestPrices), pinned, (net, p, u) => cheapestOrderedSchedule(net, p, scratch, u));
    if (ordered === null) return out(true);
    const value = ordered - bestPrices.reduce((t, p, k) => t + (p * open[k]!) / PRICE_SCALE, 0);
    orderedGain = value - bound;
    bound = Math.max(bound, value);
  }
  return out(false);
}

/** Σ students' cheapest schedules at these site prices, in ranks, plus the pins' (the prices of the open seats not taken off); null when a student has none. */
function evaluate(
  nets: readonly PricedNetwork[],
  sitePrices: Float64Array,
  pinned: number,
  cheapest: (net: PricedNetwork, prices: Float64Array, use: Int32Array) => number | null,
): number | null {
  const use = new Int32Array(sitePrices.length);
  let scaled = 0;
  for (const net of nets) {
    const cost = cheapest(net, sitePrices, use);
    if (cost === null) return null;
    scaled += cost;
  }
  return scaled / PRICE_SCALE + pinned;
}
