import fc from 'fast-check';
import { type AllocationInput } from '../src';
import { canonicalizeInput } from '../src/canonical';
import { createContext } from '../src/context';
import { checkNecessaryConditions, floorsOf } from '../src/feasibility';
import { buildInstance } from '../src/instance';
import { decomposedAttempt } from '../src/optimal/attempts';
import { buildStageOne } from '../src/optimal/decomposed';
import { lagrangianBound } from '../src/optimal/lagrangian';
import { createSession, type Pick, totalRank } from '../src/optimal/session';
import { parseAllocationInput } from '../src/schema';
import { getHighs } from '../src/solver/highs';
import { instanceArb } from './support/arbitrary';
import { bruteForceOptimum } from './support/brute-force';
import { blocks, prefs, site, student } from './support/build';

const instanceOf = (input: AllocationInput) => buildInstance(canonicalizeInput(parseAllocationInput(input)));

function floorsAndCaps(inst: ReturnType<typeof buildInstance>) {
  const floor = floorsOf(inst, checkNecessaryConditions(inst));
  return { floor, capsAt: (w: number) => Int32Array.from(floor, (f) => Math.max(w, f)) };
}

const ranksOf = (inst: ReturnType<typeof buildInstance>) => {
  const ranks = new Set<number>([0, inst.unrankedRank]);
  for (const list of inst.candidates) for (const c of list) ranks.add(c.rank);
  return [...ranks].sort((a, b) => a - b);
};

// Two students who both rank A first and B second, one seat each: alone each would take A (2 in
// all), together one of them must take B (3). Only a price on A's seat shows it.
const contested: AllocationInput = {
  blocks: blocks('b1'),
  students: [student('ann', 1, { X: 1 }), student('bob', 1, { X: 1 })],
  sites: [site('A', 'b1', 1), site('B', 'b1', 1)],
  preferences: [...prefs('ann', { A: 1, B: 2 }), ...prefs('bob', { A: 1, B: 2 })],
};

/**
 * Random instances where seats are contested (the general arbitrary's are mostly infeasible or
 * uncontested, so a bound that forgot the prices' cost would pass on them): a few students who
 * all need one specialty, ranking the same few departments with one or two seats per block.
 */
const contestedArb = fc
  .record({
    nBlocks: fc.integer({ min: 1, max: 2 }),
    seats: fc.array(fc.array(fc.integer({ min: 0, max: 2 }), { minLength: 2, maxLength: 2 }), { minLength: 2, maxLength: 3 }),
    students: fc.array(
      fc.record({
        fill: fc.integer({ min: 1, max: 2 }),
        ranks: fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 3, maxLength: 3 }),
        away: fc.option(fc.integer({ min: 0, max: 1 }), { nil: undefined }),
        once: fc.boolean(),
      }),
      { minLength: 2, maxLength: 5 },
    ),
  })
  .map((r): AllocationInput => {
    const ids = Array.from({ length: r.nBlocks }, (_, b) => `b${b + 1}`);
    return {
      blocks: blocks(...ids),
      students: r.students.map((x, i) => {
        const fill = Math.min(x.fill, r.nBlocks);
        const st = student(`s${i}`, fill, { X: fill });
        return x.once ? { ...st, requirement: { ...st.requirement, departmentMaxBlocks: 1 } } : st;
      }),
      sites: r.seats.flatMap((perBlock, d) => ids.map((b, k) => site(`D${d}`, b, perBlock[k]!))).filter((x) => x.seats > 0),
      preferences: r.students.flatMap((x, i) => r.seats.map((_, d) => ({ studentId: `s${i}`, departmentId: `D${d}`, rank: x.ranks[d]! }))),
      unavailable: r.students.flatMap((x, i) =>
        x.away !== undefined && x.away < r.nBlocks && r.nBlocks > x.fill ? [{ studentId: `s${i}`, blockId: ids[x.away]! }] : [],
      ),
    };
  })
  .filter((input) => {
    const used = new Set(input.sites.map((x) => x.departmentId));
    return input.sites.length > 0 && input.preferences.every((p) => used.has(p.departmentId!));
  });

describe("the seats' Lagrangian bound (ADR 0055)", () => {
  it('prices a contested seat up to the optimum, above the students-alone sum', () => {
    const inst = instanceOf(contested);
    const { capsAt } = floorsAndCaps(inst);
    const out = lagrangianBound(inst, capsAt(2), { seconds: 5 });
    expect(out.infeasible).toBe(false);
    expect(Math.ceil(out.bound - 1e-6)).toBe(3);
    expect(out.bound).toBeLessThanOrEqual(3 + 1e-9);
  });

  it('is at least the stage-1 LP bound on that instance', async () => {
    const inst = instanceOf(contested);
    const { floor, capsAt } = floorsAndCaps(inst);
    const session = createSession(await getHighs(), inst, createContext({ timeLimitSeconds: 10 }), floor, null);
    const lp = session.relaxation(buildStageOne(inst, capsAt(2)).model);
    expect(lagrangianBound(inst, capsAt(2), { seconds: 5 }).bound).toBeGreaterThanOrEqual(lp.bound - 1e-6);
  });

  it('proves a worst rank infeasible when the seats cannot hold it (one seat at rank 1, two students)', () => {
    const inst = instanceOf(contested);
    const { capsAt } = floorsAndCaps(inst);
    const out = lagrangianBound(inst, capsAt(1), { seconds: 5 });
    expect(out.infeasible).toBe(true);
  });

  it('stops at a known allocation it proves optimal', () => {
    const inst = instanceOf(contested);
    const { capsAt } = floorsAndCaps(inst);
    const out = lagrangianBound(inst, capsAt(2), { seconds: 5, target: 3 });
    expect(Math.ceil(out.bound - 1e-6)).toBe(3);
    expect(out.rounds).toBeLessThan(300);
  });

  it('never exceeds the exhaustive optimum, and proves infeasible only worst ranks that are', () => {
    fc.assert(
      fc.property(instanceArb(4, 2), (input) => {
        const truth = bruteForceOptimum(input);
        const inst = instanceOf(input);
        const { capsAt } = floorsAndCaps(inst);
        for (const w of ranksOf(inst)) {
          const out = lagrangianBound(inst, capsAt(w), { seconds: 2, maxRounds: 40 });
          if (out.infeasible) expect(truth === null || truth.worst > w).toBe(true);
          // At a looser worst rank the optimum can only fall: the bound stays below the truth's total.
          else if (truth && w >= truth.worst) expect(out.bound).toBeLessThanOrEqual(truth.total + 1e-6);
        }
      }),
      { numRuns: Number(process.env.RUNS ?? 300), seed: Number(process.env.SEED ?? 5505) },
    );
  });

  it('never exceeds the exhaustive optimum where seats are contested, and rises above the students-alone sum', () => {
    let raised = 0;
    fc.assert(
      fc.property(contestedArb, (input) => {
        const truth = bruteForceOptimum(input);
        const inst = instanceOf(input);
        const { capsAt } = floorsAndCaps(inst);
        for (const w of ranksOf(inst)) {
          let alone = NaN;
          const out = lagrangianBound(inst, capsAt(w), {
            seconds: 2,
            maxRounds: 60,
            onRound: (value) => {
              if (Number.isNaN(alone)) alone = value;
            },
          });
          if (out.infeasible) expect(truth === null || truth.worst > w).toBe(true);
          else if (truth && w >= truth.worst) {
            expect(out.bound).toBeLessThanOrEqual(truth.total + 1e-6);
            if (out.bound > alone + 0.5) raised++;
          }
        }
      }),
      { numRuns: Number(process.env.RUNS ?? 300), seed: Number(process.env.SEED ?? 5506) },
    );
    // The prices did work on some of them (a bound that stayed at the sum alone would be weak, not wrong).
    expect(raised).toBeGreaterThan(0);
  });

  it('bounds an attempt whose stage 1 is too large to solve whole, which never hands it to HiGHS', async () => {
    // 14 students swapped onto their partners' departments: each could have their first choice.
    const n = 14;
    const ids = Array.from({ length: n }, (_, i) => `s${String(i).padStart(2, '0')}`);
    const dept = (i: number) => `D${String(i).padStart(2, '0')}`;
    const input: AllocationInput = {
      blocks: blocks('b1'),
      students: ids.map((id) => student(id, 1, { X: 1 })),
      sites: ids.map((_, i) => site(dept(i), 'b1', 1)),
      preferences: ids.flatMap((id, i) => prefs(id, { [dept(i)]: 1, [dept(i ^ 1)]: 2 })),
    };
    const inst = instanceOf(input);
    const swapped: Pick[] = ids.map((id, i) => ({
      student: inst.studentIndex.get(id)!,
      site: inst.sites.find((x) => x.departmentId === dept(i ^ 1))!.index,
    }));
    const { floor } = floorsAndCaps(inst);
    const session = createSession(await getHighs(), inst, createContext({ timeLimitSeconds: 30 }), floor, swapped);
    const attempt = decomposedAttempt(session, 2, 0, 0);
    const notes = attempt.notes.join('\n');
    expect(notes).toMatch(/LP relaxation not tried/);
    expect(notes).toMatch(/Lagrangian bound 14\.0/);
    expect(attempt.status).toBe('FEASIBLE');
    expect(totalRank(inst, attempt.picks)).toBe(n);
    expect(Math.ceil(attempt.bound - 1e-6)).toBe(n);
    // No branch and bound over the whole stage 1 after the search.
    expect(notes).not.toMatch(/from the search's incumbent/);
  });
});
