import { type AllocationInput } from '../src';
import { canonicalizeInput } from '../src/canonical';
import { buildInstance } from '../src/instance';
import { buildStageTwo, groupKey } from '../src/optimal/decomposed';
import { keptLotteryPicks } from '../src/optimal/kept-groups';
import { stageTwoAroundLottery } from '../src/optimal/stage-two-around';
import { parseAllocationInput } from '../src/schema';
import { getHighs, solveMip } from '../src/solver/highs';
import { blocks, prefs, sites, student } from './support/build';

// One student, two blocks of X and two of Y. The lottery gave A (X, rank 2) in b1-b2 and B (Y) in
// b3-b4; stage 1 then moved the student to A2 (X, rank 1) and left Y as it was.
const input: AllocationInput = {
  blocks: blocks('b1', 'b2', 'b3', 'b4'),
  students: [student('s1', 4, { X: 2, Y: 2 })],
  sites: [
    ...sites('A', ['b1', 'b2'], 1, 'X'),
    ...sites('A2', ['b1', 'b2', 'b3', 'b4'], 1, 'X'),
    ...sites('B', ['b3', 'b4'], 1, 'Y'),
    ...sites('C', ['b1', 'b2', 'b3', 'b4'], 1, 'Y'),
  ],
  preferences: prefs('s1', { A2: 1, A: 2, B: 1, C: 2 }),
};

function setUp() {
  const inst = buildInstance(canonicalizeInput(parseAllocationInput(input)));
  const at = (dept: string, block: string) => inst.sites.findIndex((x) => x.departmentId === dept && inst.blocks[x.block]!.id === block);
  const lottery = [at('A', 'b1'), at('A', 'b2'), at('B', 'b3'), at('B', 'b4')].map((site) => ({ student: 0, site }));
  const family = (dept: string) => inst.sites[at(dept, dept === 'B' ? 'b3' : 'b1')]!.family;
  const blocksAt = [
    new Map([
      [groupKey(inst, family('A2'), 1), 2],
      [groupKey(inst, family('B'), 1), 2],
    ]),
  ];
  const fixed = [new Set<number>()];
  const caps = new Int32Array(1).fill(inst.unrankedRank);
  return { inst, at, lottery, blocksAt, fixed, two: buildStageTwo(inst, caps, blocksAt, fixed, false) };
}

describe('stage 2 around the lottery, with the moved students’ unchanged groups kept (ADR 0069)', () => {
  it('keeps the picks of the groups whose counts stage 1 left as the lottery’s, not the others', () => {
    const { inst, at, lottery, blocksAt, fixed } = setUp();
    const kept = keptLotteryPicks(inst, blocksAt, fixed, new Set([0]), lottery);
    const n = inst.sites.length;
    expect([...kept].sort((a, b) => a - b)).toEqual([at('B', 'b3'), at('B', 'b4')].map((site) => site).sort((a, b) => a - b));
    expect(kept.has(0 * n + at('A', 'b1'))).toBe(false);
    // A student who did not change keeps nothing through this (stage-two-around.ts keeps them whole).
    expect(keptLotteryPicks(inst, blocksAt, fixed, new Set(), lottery).size).toBe(0);
  });

  it('timetables only the changed group, in the blocks it left, and keeps the rest where the lottery had it', async () => {
    const highs = await getHighs();
    const { inst, at, lottery, blocksAt, fixed, two } = setUp();
    const solve = (model: Parameters<typeof solveMip>[1]) => solveMip(highs, model, { timeLimitSeconds: 60, relGap: 0, absGap: 0.5 });
    const kept = keptLotteryPicks(inst, blocksAt, fixed, new Set([0]), lottery);
    const whole = stageTwoAroundLottery(inst, two, new Set([0]), lottery, solve);
    const around = stageTwoAroundLottery(inst, two, new Set([0]), lottery, solve, kept);
    // The kept picks are not columns of the model any more: only A2's blocks are free.
    expect(around.columns).toBeLessThan(whole.columns);
    expect(around.values).not.toBeNull();
    const taken = Array.from(two.colSite).filter((_, c) => around.values![c]! > 0.5).sort((a, b) => a - b);
    expect(taken).toEqual([at('A2', 'b1'), at('A2', 'b2'), at('B', 'b3'), at('B', 'b4')].sort((a, b) => a - b));
  });
});
