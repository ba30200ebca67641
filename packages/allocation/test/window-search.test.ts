import { type AllocationInput } from '../src';
import { canonicalizeInput } from '../src/canonical';
import { buildInstance } from '../src/instance';
import { decomposedAttempt, startCost } from '../src/optimal/attempts';
import { improvePlaces } from '../src/optimal/neighbourhoods';
import { totalRank } from '../src/optimal/session';
import { windowSearch } from '../src/optimal/window-search';
import { parseAllocationInput } from '../src/schema';
import { blocks, prefs, site, student } from './support/build';
import { stageOneFrom } from './support/stage-one';

// A cycle of 16 students and 16 one-seat departments in one block: student i ranks D<i> first and
// D<i+1> second, and the start gives everyone their second (each holds the seat the previous one
// wants). Only a set holding the whole cycle can improve it, and there is no LP solution to show
// the chain (a stage 1 too large to hand to HiGHS whole has none): the six-student search finds
// nothing, a window that follows who wants whose place finds the optimum. Four bystanders with
// one department each fill the random part of a window.
const n = 16;
const dept = (i: number) => `D${String(i % n).padStart(2, '0')}`;
const ids = Array.from({ length: n }, (_, i) => `s${String(i).padStart(2, '0')}`);
const bystanders = ['z1', 'z2', 'z3', 'z4'];
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

async function setUp() {
  const inst = buildInstance(canonicalizeInput(parseAllocationInput(input)));
  const siteOf = (dep: string) => inst.sites.findIndex((x) => x.departmentId === dep);
  const start = [
    ...ids.map((id, i) => ({ student: inst.studentIndex.get(id)!, site: siteOf(dept(i + 1)) })),
    ...bystanders.map((z) => ({ student: inst.studentIndex.get(z)!, site: siteOf(`E-${z}`) })),
  ];
  return { inst, ...(await stageOneFrom(inst, start)) };
}

describe('stage-1 window search (ADR 0067)', () => {
  it('improves a whole cycle of students by following the chain, where six-student neighbourhoods cannot', async () => {
    const { inst, session, one, values } = await setUp();
    expect(startCost(one.model, values)).toBe(shifted);
    const solve = (model: Parameters<typeof session.mip>[0], from: Float64Array, seconds: number) =>
      session.mip(model, { start: from, seconds });

    const six = improvePlaces(inst, one, values, -Infinity, solve, { seconds: 1, perSolve: 0.5, remaining: clock(60) }, 2);
    expect(six.rounds).toBeGreaterThan(0);
    expect(six.objective).toBe(shifted);

    // The first window (12 students) holds only part of the chain: it grows while
    // its models are proven, until one holds the whole chain.
    const windows = windowSearch(inst, one, values, optimum + 0.5, solve, { seconds: 30, perSolve: 5, remaining: clock(60), size: 12 }, 2);
    expect(windows.objective).toBe(optimum);
    expect(startCost(one.model, windows.values)).toBe(optimum);
    expect(windows.improved).toBe(1);
    expect(windows.size).toBeGreaterThan(12);
  });

  it('stops at the target, and never returns a worse incumbent', async () => {
    const { inst, session, one, values } = await setUp();
    const atTarget = windowSearch(
      inst,
      one,
      values,
      shifted,
      () => {
        throw new Error('no solve once the target is met');
      },
      { seconds: 10, perSolve: 1, remaining: clock(60) },
      2,
    );
    expect(atTarget.rounds).toBe(0);
    expect(atTarget.values).toBe(values);
    const worse = windowSearch(
      inst,
      one,
      values,
      -Infinity,
      (model) => ({ ...session.mip(model, { seconds: 5 }), objective: 1000 }),
      { seconds: 1, perSolve: 0.5, remaining: clock(60) },
      2,
    );
    expect(worse.rounds).toBeGreaterThan(0);
    expect(worse.objective).toBe(shifted);
    expect(worse.values).toBe(values);
  });

  it('an attempt whose stage 1 is too large to solve whole reaches the optimum by specialty, before any window', async () => {
    const { session } = await setUp();
    // fastFrom 0 and wholeMax 0: the path of year320 at its lottery's worst rank (no LP, the
    // seats' Lagrangian as the bound, the lottery as the start).
    const attempt = decomposedAttempt(session, 2, 0, 0);
    expect(attempt.status).toBe('FEASIBLE');
    expect(totalRank(session.inst, attempt.picks)).toBe(optimum);
    // One specialty: its neighbourhood is every student's places at once, the whole cycle.
    const notes = attempt.notes.join('\n');
    expect(notes).toMatch(new RegExp(`stage 1 by specialty, 1 rounds .* 1 better: ${shifted} → ${optimum}`));
    expect(notes).not.toMatch(/windows|neighbourhoods/);
    // Stage 2 timetables the students the search moved; the bystanders keep the lottery's blocks.
    expect(notes).toMatch(new RegExp(`stage 2 around the lottery, ${n} students free, ${n} columns, optimal`));
  });
});
