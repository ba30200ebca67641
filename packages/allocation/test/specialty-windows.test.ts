import { type AllocationInput } from '../src';
import { canonicalizeInput } from '../src/canonical';
import { buildInstance } from '../src/instance';
import { startCost } from '../src/optimal/attempts';
import { buildStageOne, buildStageTwo } from '../src/optimal/decomposed';
import { ownersOf } from '../src/optimal/fixing';
import { specialtySearch, withSpecialtiesFree } from '../src/optimal/specialty-search';
import { parseAllocationInput } from '../src/schema';
import { type BuiltModel } from '../src/solver/lp-builder';
import { blocks, prefs, sites, student } from './support/build';
import { stageOneFrom } from './support/stage-one';

/**
 * ADR 0074: a specialty whose neighbourhood is too large to solve in a round is solved a window at
 * a time (some students in all its blocks, or all students in some blocks), and the exact stage 2
 * is solved as the feasibility problem it is.
 */

const B = ['b1', 'b2', 'b3', 'b4', 'b5', 'b6'];

// A cycle of surgery rotations: student i ranks D<i> first and D<i+1> second, every department has
// one seat in b1-b2 only, and the start gives everyone their second. Only a neighbourhood holding
// the whole cycle improves it; each student also does 4 blocks of medicine (many seats).
const n = 8;
const dept = (i: number) => `D${i % n}`;
const ids = Array.from({ length: n }, (_, i) => `s${i}`);
function cycle(): AllocationInput {
  return {
    blocks: blocks(...B),
    students: ids.map((id) => {
      const st = student(id, 6, { Surgery: 2, Medicine: 4 });
      st.requirement.specialties[0]!.durationBlocks = 2;
      return st;
    }),
    sites: [...ids.flatMap((_, i) => sites(dept(i), ['b1', 'b2'], 1, 'Surgery')), ...sites('Med', B, n, 'Medicine')],
    preferences: ids.flatMap((id, i) => prefs(id, { [dept(i)]: 1, [dept(i + 1)]: 2, Med: 1 })),
  };
}
const optimum = n * (2 + 4);
const shifted = n * (4 + 4);

const clock = (seconds: number) => {
  const started = performance.now();
  return () => seconds - (performance.now() - started) / 1000;
};

async function setUp() {
  const inst = buildInstance(canonicalizeInput(parseAllocationInput(cycle())));
  const siteOf = (dep: string, block: string) => inst.sites.findIndex((x) => x.departmentId === dep && x.block === B.indexOf(block));
  const start = ids.flatMap((id, i) => {
    const s = inst.studentIndex.get(id)!;
    return [
      { student: s, site: siteOf(dept(i + 1), 'b1') },
      { student: s, site: siteOf(dept(i + 1), 'b2') },
      ...B.slice(2).map((b) => ({ student: s, site: siteOf('Med', b) })),
    ];
  });
  const { session, one, values } = await stageOneFrom(inst, start);
  return { inst, session, one, values, owners: ownersOf(inst, one), surgery: inst.specialties.indexOf('Surgery') };
}

describe('the search by specialty in windows (ADR 0074)', () => {
  it('frees only the window: its students, or the places and rotations inside its blocks', async () => {
    const { inst, one, values, owners, surgery } = await setUp();
    const freed = (window: Parameters<typeof withSpecialtiesFree>[5]) =>
      new Set(withSpecialtiesFree(inst, one, owners, values, new Set([surgery]), window).reduced.kept);
    const whole = freed({});
    const s0 = inst.studentIndex.get('s0')!;
    const surgeryY = one.yCols.filter((y) => inst.sites[y.site]!.spec === surgery);
    expect(surgeryY.length).toBeGreaterThan(0);
    for (const y of surgeryY) expect(whole.has(y.col)).toBe(true);
    for (const r of one.rotationCols) expect(whole.has(r.col)).toBe(true);

    const students = freed({ students: new Set([s0]) });
    for (const y of surgeryY) expect(students.has(y.col)).toBe(y.student === s0);
    for (const r of one.rotationCols) expect(students.has(r.col)).toBe(r.student === s0);

    // Blocks b2-b3 (indices 1-2): b2's places, and no rotation (b1-b2 starts before the window).
    const inBlocks = freed({ blocks: { from: 1, to: 3 } });
    for (const y of surgeryY) expect(inBlocks.has(y.col)).toBe(inst.sites[y.site]!.block === 1);
    for (const r of one.rotationCols) expect(inBlocks.has(r.col)).toBe(false);
    const first = freed({ blocks: { from: 0, to: 2 } });
    for (const r of one.rotationCols) expect(first.has(r.col)).toBe(r.start === 0);
    // Medicine's places are never freed by a surgery window.
    const medicine = inst.specialties.indexOf('Medicine');
    for (const c of [...whole, ...students, ...inBlocks])
      if (owners.department[c]! >= 0) expect(inst.sites.find((x) => x.department === owners.department[c])!.spec).not.toBe(medicine);
  });

  it('splits a neighbourhood above the limit into windows smaller than it, and still reaches the optimum', async () => {
    const { inst, session, one, values, owners } = await setUp();
    expect(startCost(one.model, values)).toBe(shifted);
    const solved: number[] = [];
    const solve = (model: BuiltModel, from: Float64Array, seconds: number) => {
      solved.push(model.numCols);
      return session.mip(model, { start: from, seconds });
    };
    const whole = specialtySearch(inst, one, values, optimum + 0.5, solve, { seconds: 60, perSolve: 10, remaining: clock(120) }, 2, owners);
    expect(whole.objective).toBe(optimum);
    const wholeColumns = Math.max(...solved);
    solved.length = 0;

    // The limit below surgery's neighbourhood: the first window holds 2 of the 8 students.
    const split = specialtySearch(
      inst,
      one,
      values,
      optimum + 0.5,
      solve,
      { seconds: 60, perSolve: 10, remaining: clock(120), windowColumns: 10, windowFirst: 2 },
      2,
      owners,
    );
    expect(split.objective).toBe(optimum);
    expect(startCost(one.model, split.values)).toBe(optimum);
    // The first window (2 students) cannot break the cycle; a later one does (a window of blocks
    // holding b1-b2, or a larger window of students): more rounds than the whole neighbourhood's.
    expect(Math.min(...solved)).toBeLessThan(wholeColumns);
    expect(split.rounds).toBeGreaterThan(whole.rounds);
    expect(split.improved).toBe(1);
  });

  it('solves the exact stage 2 without an objective (its total rank is fixed by stage 1), the elastic one with the ranks', async () => {
    const { inst, session } = await setUp();
    const caps = session.capsAt(2);
    const blocksAt = inst.students.map(() => new Map<number, number>());
    const fixed = inst.students.map(() => new Set<number>());
    const one = buildStageOne(inst, caps);
    for (const z of one.zCols) blocksAt[z.student]!.set(z.group, 4);
    const exact = buildStageTwo(inst, caps, blocksAt, fixed, false);
    expect(exact.xCount).toBeGreaterThan(0);
    expect(Array.from(exact.model.colCost.subarray(0, exact.xCount)).every((c) => c === 0)).toBe(true);
    const elastic = buildStageTwo(inst, caps, blocksAt, fixed, true);
    expect(Array.from(elastic.model.colCost.subarray(0, elastic.xCount)).every((c) => c >= 1)).toBe(true);
  });
});
