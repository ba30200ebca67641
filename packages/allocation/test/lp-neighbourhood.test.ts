import { type AllocationInput } from '../src';
import { canonicalizeInput } from '../src/canonical';
import { createContext } from '../src/context';
import { buildInstance } from '../src/instance';
import { decomposedAttempt, enoughFor, startCost } from '../src/optimal/attempts';
import { buildStageOne, stageOneStart } from '../src/optimal/decomposed';
import { improveAroundLp, startAroundLp } from '../src/optimal/lp-neighbourhood';
import { improvePlaces } from '../src/optimal/neighbourhoods';
import { createSession, totalRank } from '../src/optimal/session';
import { lotteryWithinCaps } from '../src/optimal/starts';
import { parseAllocationInput } from '../src/schema';
import { getHighs } from '../src/solver/highs';
import { type BuiltModel } from '../src/solver/lp-builder';
import { blocks, prefs, site, student } from './support/build';

// A cycle of 14 students and 14 one-seat departments in one block: student i ranks D<i> first and
// D<i+1> second. The start gives everyone their second (each student holds the seat the previous
// one wants): no set smaller than the whole cycle can improve it, so six-student neighbourhoods
// cannot, while the LP's solution (everyone first) shows the whole chain at once. Three bystanders
// with one department each agree with the LP and are fixed out of the model handed to the solver.
const n = 14;
const dept = (i: number) => `D${String(i % n).padStart(2, '0')}`;
const ids = Array.from({ length: n }, (_, i) => `s${String(i).padStart(2, '0')}`);
const bystanders = ['z1', 'z2', 'z3'];
const input: AllocationInput = {
  blocks: blocks('b1'),
  students: [...ids, ...bystanders].map((id) => student(id, 1, { X: 1 })),
  sites: [...ids.map((_, i) => site(dept(i), 'b1', 1)), ...bystanders.map((z) => site(`E-${z}`, 'b1', 1))],
  preferences: [
    ...ids.flatMap((id, i) => prefs(id, { [dept(i)]: 1, [dept(i + 1)]: 2 })),
    ...bystanders.flatMap((z) => prefs(z, { [`E-${z}`]: 1 })),
  ],
};
const optimum = n + bystanders.length;
const shifted = 2 * n + bystanders.length;

const clock = (seconds: number) => {
  const started = performance.now();
  return () => seconds - (performance.now() - started) / 1000;
};

async function setUp(w = 2) {
  const inst = buildInstance(canonicalizeInput(parseAllocationInput(input)));
  const siteOf = (dep: string) => inst.sites.findIndex((x) => x.departmentId === dep);
  const start = [
    ...ids.map((id, i) => ({ student: inst.studentIndex.get(id)!, site: siteOf(dept(i + 1)) })),
    ...bystanders.map((z) => ({ student: inst.studentIndex.get(z)!, site: siteOf(`E-${z}`) })),
  ];
  const session = createSession(
    await getHighs(),
    inst,
    createContext({ timeLimitSeconds: 120 }),
    new Int32Array(inst.students.length),
    start,
  );
  const caps = session.capsAt(w);
  const one = buildStageOne(inst, caps);
  const lp = session.relaxation(one.model);
  return { inst, session, caps, one, start, values: stageOneStart(inst, one, caps, start), lp: lp.values!, lpBound: lp.bound };
}

describe('stage 1 around its LP relaxation (ADR 0057)', () => {
  it('improves a whole cycle of students in one round, where six-student neighbourhoods cannot', async () => {
    const { inst, session, one, values: start, lp, lpBound } = await setUp();
    const values = start!;
    expect(startCost(one.model, values)).toBe(shifted);
    expect(lpBound).toBeCloseTo(optimum);
    const handed: BuiltModel[] = [];
    const around = improveAroundLp(
      one.model,
      values,
      lp,
      -Infinity,
      (model, from, seconds) => {
        handed.push(model);
        return session.mip(model, { start: from, seconds });
      },
      { seconds: 60, remaining: clock(60) },
    );
    expect(around.objective).toBe(optimum);
    expect(startCost(one.model, around.values)).toBe(optimum);
    expect(around.improved).toBe(1);
    // The bystanders agree with the LP: their columns are not in the model the solver gets.
    expect(handed[0]!.numCols).toBeLessThan(one.model.numCols);
    expect(handed[0]!.numCols).toBeLessThanOrEqual(one.model.numCols - bystanders.length);

    const six = improvePlaces(
      inst,
      one,
      values,
      -Infinity,
      (model, from, seconds) => session.mip(model, { start: from, seconds }),
      { seconds: 1, perSolve: 0.5, remaining: clock(60) },
      2,
    );
    expect(six.rounds).toBeGreaterThan(0);
    expect(six.objective).toBe(shifted);
  });

  it('stops at the target, and never returns a worse incumbent', async () => {
    const { session, one, values: start, lp } = await setUp();
    const values = start!;
    const atTarget = improveAroundLp(
      one.model,
      values,
      lp,
      shifted,
      () => {
        throw new Error('no solve once the target is met');
      },
      { seconds: 60, remaining: clock(60) },
    );
    expect(atTarget.rounds).toBe(0);
    expect(atTarget.values).toBe(values);
    const worse = improveAroundLp(
      one.model,
      values,
      lp,
      -Infinity,
      (model) => ({ ...session.mip(model, { seconds: 10 }), objective: 1000 }),
      { seconds: 60, remaining: clock(60) },
    );
    expect(worse.objective).toBe(shifted);
    expect(worse.values).toBe(values);
  });

  it('an attempt on the fast path reaches the optimum around the LP, before any six-student search', async () => {
    const { session } = await setUp();
    const attempt = decomposedAttempt(session, 2, 0);
    expect(attempt.status).toBe('FEASIBLE');
    expect(totalRank(session.inst, attempt.picks)).toBe(optimum);
    const notes = attempt.notes.join('\n');
    expect(notes).toMatch(new RegExp(`stage 1 around its LP, 1 rounds .* 1 better: ${shifted} → ${optimum}`));
    expect(notes).not.toMatch(/neighbourhoods/);
  });
});

describe('a start completed around the LP (ADR 0057)', () => {
  // At worst rank 1 the shifted lottery places every cycle student above the cap: they are free,
  // the bystanders keep their places, and one solve over the columns the LP uses gives the optimum.
  it('completes the lottery cut to the caps in one solve, the agreeing columns fixed', async () => {
    const { inst, session, caps, one, start, values, lp } = await setUp(1);
    expect(values).toBeUndefined();
    const cut = lotteryWithinCaps(inst, one, caps, start, []);
    expect(cut.free.size).toBe(n);
    const out = startAroundLp(one.model, cut.values!, lp, (model) => session.mip(model));
    expect(out.outcome.status).toBe('OPTIMAL');
    expect(startCost(one.model, out.values!)).toBe(optimum);
    expect(out.columns).toBeLessThanOrEqual(one.model.numCols - bystanders.length);
  });

  it('an attempt below the lottery starts there, with no moved lottery and no search', async () => {
    const { session } = await setUp(1);
    const attempt = decomposedAttempt(session, 1, 0);
    expect(attempt.status).toBe('FEASIBLE');
    expect(totalRank(session.inst, attempt.picks)).toBe(optimum);
    const notes = attempt.notes.join('\n');
    expect(notes).toMatch(/the lottery \(14 students above the caps\) completed around the LP, \d+ columns free, optimal 17/);
    expect(notes).not.toMatch(/lottery moved|neighbourhoods|around its LP/);
  });
});

describe('the objective an attempt stops improving at', () => {
  it('is the bound rounded up without a gap, and the largest total within the gap asked for', () => {
    expect(enoughFor(2433.2, 0)).toBe(2434.5);
    expect(enoughFor(2434, 0)).toBe(2434.5);
    expect(enoughFor(2434, 0.01)).toBeCloseTo(2434 / 0.99);
    // A total of 2,458 is within 1 % of 2,434; 2,459 is not.
    expect(2458 <= enoughFor(2434, 0.01)).toBe(true);
    expect(2459 <= enoughFor(2434, 0.01)).toBe(false);
    expect(enoughFor(-Infinity, 0.01)).toBe(-Infinity);
  });
});
