import fc from 'fast-check';
import { type AllocationInput, canonicalizeInput, parseAllocationInput } from '../src';
import { unitsOf } from '../src/feasibility';
import { buildInstance } from '../src/instance';
import { type Plan, planCore, planUnit, TIE_SCALE, unitRanks } from '../src/plan';
import { instanceArb } from './support/arbitrary';
import { planWithRotations as enumerateAll } from './support/reference-plan-rotations';

/**
 * The rotation planner's best-first search (ADR 0040) against the enumeration it replaced (every
 * combination generated, sorted, then tried; kept in test/support as the oracle): the same plan,
 * ties included, whenever the enumeration was exact (not `approximate`). The instances are small
 * years with a 2-block rotation specialty X at several departments, so that a unit has many
 * rotation combinations, and coarse ranks and tie penalties, so that many combinations tie.
 */

const SPECS = ['X', 'Y', 'Z'];

const yearArb = fc.record({
  nBlocks: fc.integer({ min: 4, max: 8 }),
  gap: fc.option(fc.integer({ min: 1, max: 7 }), { nil: undefined }),
  departments: fc.array(
    fc.record({
      spec: fc.constantFrom(0, 0, 1, 2),
      hospital: fc.integer({ min: 0, max: 2 }),
      seats: fc.array(fc.constantFrom(0, 1, 2, 2, 3), { minLength: 8, maxLength: 8 }),
    }),
    { minLength: 3, maxLength: 6 },
  ),
  students: fc.array(
    fc.record({
      x: fc.constantFrom(2, 2, 4),
      xMore: fc.boolean(),
      y: fc.integer({ min: 0, max: 2 }),
      z: fc.integer({ min: 0, max: 1 }),
      free: fc.integer({ min: 0, max: 1 }),
      ranks: fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 6, maxLength: 6 }),
      departmentMax: fc.constantFrom(undefined, 1, 2),
    }),
    { minLength: 1, maxLength: 2 },
  ),
  pair: fc.boolean(),
  precedence: fc.boolean(),
  pin: fc.option(fc.record({ dept: fc.nat(), block: fc.nat() }), { nil: undefined }),
  hospitalLimit: fc.option(fc.integer({ min: 2, max: 4 }), { nil: undefined }),
  taken: fc.array(fc.nat(), { maxLength: 8 }),
  ties: fc.option(fc.array(fc.constantFrom(0, 0.25, 0.5), { minLength: 64, maxLength: 64 }), { nil: undefined }),
  caps: fc.option(fc.array(fc.integer({ min: 0, max: 2 }), { minLength: 3, maxLength: 3 }), { nil: undefined }),
  fullSeats: fc.boolean(),
});

type YearDraw = typeof yearArb extends fc.Arbitrary<infer T> ? T : never;

function inputOf(r: YearDraw): AllocationInput {
  const blocks = Array.from({ length: r.nBlocks }, (_, i) => ({ id: `b${i + 1}`, ...(i === r.gap ? { gapBefore: true } : {}) }));
  // Department 0 is always an X department: every instance has rotations to choose.
  const depts = r.departments.map((d, i) => ({ ...d, id: `D${i}`, spec: SPECS[i === 0 ? 0 : d.spec]!, hospital: `H${d.hospital}` }));
  const students = r.students.map((s, i) => ({
    id: `s${i}`,
    schoolId: 'S1',
    requirement: {
      blocksToFill: Math.min(r.nBlocks, s.x + s.y + s.z + s.free),
      specialties: [
        { specialty: 'X', minBlocks: s.x, maxBlocks: s.xMore ? 4 : s.x, durationBlocks: 2 },
        { specialty: 'Y', minBlocks: s.y, maxBlocks: s.y + 1 },
        { specialty: 'Z', minBlocks: s.z, maxBlocks: s.z + 1 },
      ],
      electiveMaxBlocks: 0,
      ...(s.departmentMax ? { departmentMaxBlocks: s.departmentMax } : {}),
    },
  }));
  const pinDept = r.pin ? depts[r.pin.dept % depts.length]! : null;
  const pinBlock = r.pin ? r.pin.block % r.nBlocks : 0;
  return {
    blocks,
    specialties: SPECS,
    students,
    sites: depts.flatMap((d) =>
      blocks.map((b, j) => ({ departmentId: d.id, hospitalId: d.hospital, specialty: d.spec, blockId: b.id, seats: d.seats[j]! })),
    ),
    preferences: r.students.flatMap((s, i) => depts.map((d, j) => ({ studentId: `s${i}`, departmentId: d.id, rank: s.ranks[j]! }))),
    pins: pinDept && pinDept.seats[pinBlock]! > 0 ? [{ studentId: 's0', departmentId: pinDept.id, blockId: blocks[pinBlock]!.id }] : [],
    pairs: r.pair && students.length === 2 ? [{ studentIds: ['s0', 's1'] }] : [],
    precedences: r.precedence ? [{ before: 'X', after: 'Y' }] : [],
    hospitalLimits: r.hospitalLimit
      ? [...new Set(depts.map((d) => d.hospital))].map((hospitalId) => ({ hospitalId, maxBlocksPerStudent: r.hospitalLimit! }))
      : [],
  };
}

const withoutFlag = ({ approximate: _approximate, ...plan }: Plan) => plan;

/** A drawn year as the planner sees it: the instance, open seats, optional caps and tie penalties; null when the schema refuses it. */
function setUp(r: YearDraw) {
  let input: AllocationInput;
  try {
    input = canonicalizeInput(parseAllocationInput(inputOf(r)));
  } catch {
    return null;
  }
  const inst = buildInstance(input);
  const seatsLeft = r.fullSeats ? null : Int32Array.from(inst.sites, (x) => x.seats);
  if (seatsLeft) for (const t of r.taken) seatsLeft[t % seatsLeft.length] = Math.max(0, seatsLeft[t % seatsLeft.length]! - 1);
  const caps = r.caps ? Int32Array.from(r.caps) : null;
  const ties = r.ties ? Float64Array.from(inst.sites, (x) => r.ties![x.index % r.ties!.length]!) : null;
  return { inst, seatsLeft, caps, ties };
}

/**
 * planCore's cutoff (ADR 0049) around a plan it found without one: wanted up to its own cost, the
 * same plan, ties included; wanted only cheaper, nothing that beats it (it is the best).
 */
function expectCutoffKeeps(plain: Plan & { cost?: number }, withCutoff: (cost: number) => Plan & { cost?: number }) {
  expect(withoutFlag(withCutoff(plain.cost! + 1))).toEqual(withoutFlag(plain));
  const cheaper = withCutoff(plain.cost!);
  expect(cheaper.feasible && cheaper.worst <= plain.worst && cheaper.cost! < plain.cost!).toBe(false);
}

describe('the rotation planner, best first', () => {
  it('gives the same plan as enumerating and sorting every combination (ties included)', () => {
    let compared = 0;
    let feasible = 0;
    fc.assert(
      fc.property(yearArb, (r) => {
        const drawn = setUp(r);
        if (!drawn) return; // a combination the schema refuses (e.g. a pin that breaks a rule): not a planner case
        const { inst, seatsLeft, caps, ties } = drawn;
        for (const unit of unitsOf(inst)) {
          const oracle = enumerateAll(inst, unit, seatsLeft, caps, ties, planCore);
          if (oracle.approximate) continue;
          const plan = planUnit(inst, unit, seatsLeft, caps, ties);
          expect(withoutFlag(plan)).toEqual(withoutFlag(oracle));
          compared++;
          if (plan.feasible) feasible++;
        }
      }),
      { numRuns: Number(process.env.RUNS ?? 400), seed: Number(process.env.SEED ?? 40040) },
    );
    // It must not pass vacuously: most draws are plans compared, many of them feasible.
    if (!process.env.RUNS) {
      expect(compared).toBeGreaterThanOrEqual(300);
      expect(feasible).toBeGreaterThanOrEqual(100);
    }
    // eslint-disable-next-line no-console
    console.log(`${compared} plans compared, ${feasible} feasible`);
  });

  it('plans a combination only as far as it could replace the best one (ADR 0049)', () => {
    let checked = 0;
    fc.assert(
      fc.property(yearArb, (r) => {
        const drawn = setUp(r);
        if (!drawn) return;
        const { inst, seatsLeft, caps, ties } = drawn;
        const x = inst.specialties.indexOf('X');
        const tieUnit = Math.floor((TIE_SCALE - 1) / (inst.blocks.length + 1));
        for (const unit of unitsOf(inst)) {
          const plan = planUnit(inst, unit, seatsLeft, caps, ties);
          if (!plan.feasible) continue;
          // The plan's rotation blocks, fixed as the rotation search fixes a combination's.
          const ranks = unit.map((s) =>
            Int32Array.from(inst.sites, (site) => inst.candidates[s]!.find((c) => c.site === site.index)?.rank ?? 0),
          );
          const fixed = plan.picks
            .filter((p) => inst.sites[p.site]!.spec === x)
            .map((p) => {
              const { worst, sum } = unitRanks(ranks, p.site);
              return { ...p, worst, sum, cost: sum * TIE_SCALE + (ties ? Math.floor(ties[p.site]! * tieUnit) : 0) };
            });
          // The combination itself, and the relaxation with its blocks placed nowhere (which goes
          // over hospital limits more often, so that the bounded branching is exercised).
          const relaxed = { blocks: Int32Array.from(inst.specialties, (_, k) => (k === x ? fixed.length : 0)), loosest: false };
          for (const [held, loose] of [
            [fixed, null],
            [[], relaxed],
          ] as const) {
            const alone = planCore(inst, unit, seatsLeft, caps, ties, held, loose);
            if (!alone.feasible || alone.approximate) continue;
            expectCutoffKeeps(alone, (cost) =>
              planCore(inst, unit, seatsLeft, caps, ties, held, loose, 0, null, { worst: alone.worst, cost }),
            );
            checked++;
          }
        }
      }),
      { numRuns: Number(process.env.RUNS ?? 300), seed: Number(process.env.SEED ?? 490051) },
    );
    if (!process.env.RUNS) expect(checked).toBeGreaterThanOrEqual(60);
  });

  it('bounds hospital-limit branches by the cost a caller must beat, without losing the plan (ADR 0049)', () => {
    let checked = 0;
    fc.assert(
      fc.property(instanceArb(3, 4), (raw) => {
        let input: AllocationInput;
        try {
          input = canonicalizeInput(parseAllocationInput(raw));
        } catch {
          return;
        }
        const inst = buildInstance(input);
        for (const unit of unitsOf(inst)) {
          const alone = planCore(inst, unit, null);
          if (!alone.feasible || alone.approximate) continue;
          expectCutoffKeeps(alone, (cost) => planCore(inst, unit, null, null, null, [], null, 0, null, { worst: alone.worst, cost }));
          checked++;
        }
      }),
      { numRuns: Number(process.env.RUNS ?? 600), seed: Number(process.env.SEED ?? 490052) },
    );
    if (!process.env.RUNS) expect(checked).toBeGreaterThanOrEqual(200);
  });
});
