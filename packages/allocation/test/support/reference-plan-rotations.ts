import { type Instance } from '../../src/instance';
import { type FixedPick, type Plan, type PlanCore, TIE_SCALE, unitRanks } from '../../src/plan';

/**
 * The rotation planner as it was before ADR 0040, kept as the oracle of test/plan-rotations.test.ts:
 * every combination of long rotations generated (up to MAX_COMBINATIONS, in enumeration order),
 * sorted by the rotations' own worst rank and cost, then tried in that order with the relaxation
 * bound of ADR 0027 §5. The best-first planner must give the same plan whenever this one was exact.
 */

/** Rotations kept per long specialty (best first); beyond it the plan is marked approximate. */
const MAX_OPTIONS = 400;
/** Combinations tried in one plan; beyond it the plan is marked approximate. */
const MAX_COMBINATIONS = 2_000;

interface Rotation {
  spec: number;
  department: number;
  blocks: number[];
  /** Blocks of the rotation the unit does not hold by a pin. */
  picks: FixedPick[];
  worst: number;
  cost: number;
}

export function planWithRotations(
  inst: Instance,
  members: readonly number[],
  seatsLeft: Int32Array | null,
  optionalCap: Int32Array | null,
  tieBreak: Float64Array | null,
  core: PlanCore,
): Plan {
  const size = members.length;
  const nBlocks = inst.blocks.length;
  const tieUnit = Math.floor((TIE_SCALE - 1) / (nBlocks + 1));
  const ranks = members.map((s) => {
    const r = new Int32Array(inst.sites.length);
    for (const c of inst.candidates[s]!) r[c.site] = c.rank;
    return r;
  });
  const pinAt = new Int32Array(nBlocks).fill(-1);
  for (const s of members) for (const pin of inst.pinsByStudent[s]!) if (pin.site !== -1) pinAt[pin.block] = pin.site;
  const specs = [...new Set(members.flatMap((m) => inst.students[m]!.longRotations))].sort((a, b) => a - b);
  let approximate = false;

  const perSpec = specs.map((k) => {
    const d = Math.max(...members.map((m) => inst.students[m]!.duration[k]!));
    const min = Math.max(...members.map((m) => inst.students[m]!.min[k]!));
    const max = Math.min(...members.map((m) => inst.students[m]!.max[k]!));
    const lo = Math.ceil(min / d);
    let hi = Math.floor(max / d);
    if (optionalCap) hi = Math.max(lo, Math.min(hi, Math.floor((min + optionalCap[k]!) / d)));
    const departments = [...new Set(inst.sites.filter((x) => x.spec === k).map((x) => x.department))].sort((a, b) => a - b);
    const options: Rotation[] = [];
    for (const department of departments) {
      for (let t = 0; t + d <= nBlocks; t++) {
        if (!inst.spans(t, d)) continue;
        const rotation: Rotation = { spec: k, department, blocks: [], picks: [], worst: 0, cost: 0 };
        let ok = true;
        for (let b = t; b < t + d && ok; b++) {
          rotation.blocks.push(b);
          if (pinAt[b] !== -1) {
            ok = inst.sites[pinAt[b]!]!.department === department;
            continue;
          }
          let best: FixedPick | null = null;
          for (const site of inst.sitesByBlock[b]!) {
            if (site.department !== department || (seatsLeft ? seatsLeft[site.index]! : site.seats) < size) continue;
            const { worst, sum } = unitRanks(ranks, site.index);
            if (worst <= 0) continue;
            const cost = sum * TIE_SCALE + (tieBreak ? Math.floor(tieBreak[site.index]! * tieUnit) : 0);
            if (!best || cost < best.cost) best = { block: b, site: site.index, worst, sum, cost };
          }
          if (best) {
            rotation.picks.push(best);
            rotation.worst = Math.max(rotation.worst, best.worst);
            rotation.cost += best.cost;
          } else ok = false;
        }
        if (ok) options.push(rotation);
      }
    }
    options.sort((a, b) => a.worst - b.worst || a.cost - b.cost || a.blocks[0]! - b.blocks[0]!);
    if (options.length > MAX_OPTIONS) approximate = true;
    const pinnedBlocks = [...pinAt.keys()].filter((b) => pinAt[b] !== -1 && inst.sites[pinAt[b]!]!.spec === k);
    return { k, d, lo, hi, options: options.slice(0, MAX_OPTIONS), pinnedBlocks };
  });

  // Every combination: per long specialty, between lo and hi rotations that share no block.
  const combinations: Rotation[][] = [];
  const choose = (i: number, used: Set<number>, acc: Rotation[]) => {
    if (combinations.length >= MAX_COMBINATIONS) {
      approximate = true;
      return;
    }
    if (i === perSpec.length) return void combinations.push(acc);
    const { lo, hi, options, pinnedBlocks } = perSpec[i]!;
    const pick = (from: number, count: number, taken: Rotation[], blocks: Set<number>) => {
      if (count >= lo && pinnedBlocks.every((b) => taken.some((r) => r.blocks.includes(b)))) choose(i + 1, blocks, [...acc, ...taken]);
      if (count === hi) return;
      for (let o = from; o < options.length; o++) {
        const r = options[o]!;
        if (r.blocks.some((b) => blocks.has(b))) continue;
        pick(o + 1, count + 1, [...taken, r], new Set([...blocks, ...r.blocks]));
      }
    };
    pick(0, 0, [], used);
  };
  choose(0, new Set(), []);
  const worstOf = (c: Rotation[]) => c.reduce((m, r) => Math.max(m, r.worst), 0);
  const costOf = (c: Rotation[]) => c.reduce((t, r) => t + r.cost, 0);
  combinations.sort((a, b) => worstOf(a) - worstOf(b) || costOf(a) - costOf(b));

  // Bounds on what the rest of a plan can do once the rotations hold their blocks, per number of
  // rotations of each specialty: the rest with those blocks counted but placed nowhere (a
  // relaxation) is at least as good as with them in any particular blocks.
  const bounds = new Map<string, { worst: number; cost: number } | null>();
  const boundOf = (combination: Rotation[]) => {
    const blocks = new Int32Array(inst.specialties.length);
    for (const r of combination) blocks[r.spec]! += r.picks.length; // its pinned blocks are counted already
    const key = blocks.join(',');
    if (!bounds.has(key)) {
      const first = core(inst, members, seatsLeft, optionalCap, tieBreak, [], { blocks, loosest: false });
      const loose = first.feasible ? core(inst, members, seatsLeft, optionalCap, tieBreak, [], { blocks, loosest: true }) : first;
      // An approximate plan (hospital limits branched greedily) bounds nothing.
      bounds.set(
        key,
        first.approximate || loose.approximate
          ? { worst: 0, cost: -Infinity }
          : first.feasible && loose.feasible
            ? { worst: first.worst, cost: loose.cost! }
            : null,
      );
    }
    return bounds.get(key)!;
  };
  let best: (Plan & { cost?: number }) | null = null;
  let lastReason = specs.length
    ? `no department of ${specs.map((k) => inst.specialties[k]).join(' or ')} has an open seat in every block of a rotation`
    : 'no eligible site has an open seat';
  for (const combination of combinations) {
    // Sorted by their own worst rank, then cost: a plan is at least as bad as its rotations, so
    // once they are worse than the best plan (or as bad and at least as costly) none can win.
    if (best && worstOf(combination) > best.worst) break;
    if (best && worstOf(combination) === best.worst && costOf(combination) >= best.cost!) continue;
    const bound = boundOf(combination);
    if (!bound) continue; // the rest cannot be completed even with the rotations anywhere
    if (best) {
      const worst = Math.max(worstOf(combination), bound.worst);
      if (worst > best.worst || (worst === best.worst && costOf(combination) + bound.cost >= best.cost!)) continue;
    }
    const plan = core(
      inst,
      members,
      seatsLeft,
      optionalCap,
      tieBreak,
      combination.flatMap((r) => r.picks),
    );
    if (plan.approximate) approximate = true;
    if (!plan.feasible) {
      lastReason = plan.reason ?? lastReason;
      continue;
    }
    if (!best || plan.worst < best.worst || (plan.worst === best.worst && plan.cost! < best.cost!)) best = plan;
  }
  const out: Plan = best
    ? { feasible: true, worst: best.worst, sum: best.sum, picks: best.picks, pinned: best.pinned }
    : { feasible: false, worst: 0, sum: 0, picks: [], pinned: [], reason: lastReason };
  return approximate ? { ...out, approximate } : out;
}
