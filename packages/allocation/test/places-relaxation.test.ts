import fc from 'fast-check';
import { type AllocationInput } from '../src';
import { canonicalizeInput } from '../src/canonical';
import { createContext } from '../src/context';
import { checkNecessaryConditions, floorsOf } from '../src/feasibility';
import { buildInstance } from '../src/instance';
import { decomposedAttempt } from '../src/optimal/attempts';
import { buildStageOne } from '../src/optimal/decomposed';
import { placesRelaxation } from '../src/optimal/places-relaxation';
import { createSession } from '../src/optimal/session';
import { parseAllocationInput } from '../src/schema';
import { getHighs, lpRelaxation } from '../src/solver/highs';
import { instanceArb } from './support/arbitrary';
import { bruteForceOptimum } from './support/brute-force';
import { blocks, prefs, site, sites, student } from './support/build';

const instanceOf = (input: AllocationInput) => buildInstance(canonicalizeInput(parseAllocationInput(input)));

function setUp(input: AllocationInput) {
  const inst = instanceOf(input);
  const floor = floorsOf(inst, checkNecessaryConditions(inst));
  const capsAt = (w: number) => Int32Array.from(floor, (f) => Math.max(w, f));
  const ranks = [...new Set([inst.unrankedRank, ...inst.candidates.flatMap((list) => list.map((c) => c.rank))])].sort((a, b) => a - b);
  return { inst, floor, capsAt, ranks };
}

// Surgery (two blocks, one rotation) before medicine, for two students over four blocks, with
// one seat per department and block: whole, stage 1 places surgery and medicine block by block.
const ordered: AllocationInput = {
  blocks: blocks('b1', 'b2', 'b3', 'b4'),
  students: ['ann', 'bob'].map((id) => {
    const st = student(id, 3, { SURG: 2, MED: 1 });
    st.requirement.specialties[0]!.durationBlocks = 2;
    return st;
  }),
  sites: [...sites('S1', ['b1', 'b2', 'b3', 'b4'], 1, 'SURG'), ...sites('M1', ['b1', 'b2', 'b3', 'b4'], 1, 'MED')],
  preferences: [...prefs('ann', { S1: 1, M1: 1 }), ...prefs('bob', { S1: 1, M1: 1 })],
  precedences: [{ before: 'SURG', after: 'MED' }],
};

// Two students, one seat each at A and B: ann ranks B second, bob third. At worst rank 2 only ann
// may take B; at worst rank 1 both would need A.
const oneSeatEach: AllocationInput = {
  blocks: blocks('b1'),
  students: [student('ann', 1, { X: 1 }), student('bob', 1, { X: 1 })],
  sites: [site('A', 'b1', 1), site('B', 'b1', 1)],
  preferences: [...prefs('ann', { A: 1, B: 2 }), ...prefs('bob', { A: 1, B: 3 })],
};

describe('the places relaxation: stage 1 with the order of blocks relaxed (ADR 0073)', () => {
  it('aggregates the specialties of a precedence and a rotation, which stage 1 places block by block', () => {
    const { inst, capsAt } = setUp(ordered);
    const whole = buildStageOne(inst, capsAt(1));
    const relaxed = buildStageOne(inst, capsAt(1), { orderRelaxed: true });
    expect(whole.yCols.length).toBeGreaterThan(0);
    expect(whole.rotationCols.length).toBeGreaterThan(0);
    expect(relaxed.yCols).toHaveLength(0);
    expect(relaxed.rotationCols).toHaveLength(0);
    expect(relaxed.precedenceCols).toHaveLength(0);
    expect(relaxed.model.numCols).toBeLessThan(whole.model.numCols);
  });

  it('never exceeds the exhaustive optimum, and proves infeasible only worst ranks that are', async () => {
    const highs = await getHighs();
    await fc.assert(
      fc.asyncProperty(instanceArb(4, 3), async (input) => {
        const truth = bruteForceOptimum(input);
        const { inst, capsAt, ranks } = setUp(input);
        for (const w of ranks) {
          const out = placesRelaxation(inst, capsAt(w), w, (model) => lpRelaxation(highs, model, 10));
          if (out.infeasible) expect(truth === null || truth.worst > w).toBe(true);
          else if (truth && w >= truth.worst) expect(out.bound).toBeLessThanOrEqual(truth.total + 1e-6);
        }
      }),
      { numRuns: Number(process.env.RUNS ?? 200), seed: Number(process.env.SEED ?? 7301) },
    );
  });

  it("names each student's departments in its solution", () => {
    const { inst, capsAt } = setUp(oneSeatEach);
    const out = placesRelaxation(inst, capsAt(2), 2, (model) => lpRelaxation(highsOf(), model, 10));
    const dept = (id: string) => inst.departments.indexOf(id);
    expect(out.bound).toBeCloseTo(3);
    expect(out.used![inst.studentIndex.get('ann')!]![dept('B')]).toBe(1);
    expect(out.used![inst.studentIndex.get('ann')!]![dept('A')]).toBe(0);
    expect(out.used![inst.studentIndex.get('bob')!]![dept('A')]).toBe(1);
  });

  it("is an attempt's proof of infeasibility, without stage 1", () => {
    const { inst, floor, capsAt } = setUp(oneSeatEach);
    const relaxed = placesRelaxation(inst, capsAt(1), 1, (model) => lpRelaxation(highsOf(), model, 10));
    expect(relaxed.infeasible).toBe(true);
    const session = createSession(highsOf(), inst, createContext({ timeLimitSeconds: 30 }), floor, null, null, new Map([[1, relaxed]]));
    const none = decomposedAttempt(session, 1);
    expect(none.status).toBe('INFEASIBLE');
    expect(none.notes).toEqual(['worst rank 1: infeasible (its stage 1 with the order of blocks relaxed is)']);
  });

  it('is the bound of a stage 1 too large to solve whole', () => {
    const { inst, floor, capsAt } = setUp(ordered);
    const relaxed = placesRelaxation(inst, capsAt(1), 1, (model) => lpRelaxation(highsOf(), model, 10));
    expect(relaxed.bound).toBeCloseTo(6);
    const session = createSession(highsOf(), inst, createContext({ timeLimitSeconds: 30 }), floor, null, null, new Map([[1, relaxed]]));
    // Every stage 1 counts as too large here (fastFrom and wholeMax 0).
    const attempt = decomposedAttempt(session, 1, 0, 0);
    expect(attempt.notes.join('\n')).toMatch(/the places relaxation's 6\.0 is the bound/);
    expect(attempt.bound).toBeCloseTo(6);
  });
});

let highs: Awaited<ReturnType<typeof getHighs>>;
const highsOf = () => highs;
beforeAll(async () => {
  highs = await getHighs();
});
