import { type AllocationInput } from '../src';
import { canonicalizeInput } from '../src/canonical';
import { createContext } from '../src/context';
import { buildInstance } from '../src/instance';
import { decomposedAttempt, startCost } from '../src/optimal/attempts';
import { buildStageOne, stageOneStart } from '../src/optimal/decomposed';
import { ownersOf, withOthersFixed } from '../src/optimal/fixing';
import { createSession, type Pick, totalRank } from '../src/optimal/session';
import { movedStart, roundedStart } from '../src/optimal/starts';
import { parseAllocationInput } from '../src/schema';
import { getHighs } from '../src/solver/highs';
import { blocks, prefs, site, student } from './support/build';

async function setUp(input: AllocationInput, w: number, warm: (inst: ReturnType<typeof buildInstance>) => Pick[] | null = () => null) {
  const inst = buildInstance(canonicalizeInput(parseAllocationInput(input)));
  const ctx = createContext({ timeLimitSeconds: 60 });
  const session = createSession(await getHighs(), inst, ctx, new Int32Array(inst.students.length), warm(inst));
  const caps = session.capsAt(w);
  const one = buildStageOne(inst, caps);
  const notes: string[] = [];
  const solve = (model: Parameters<typeof session.mip>[0]) => session.mip(model);
  return { inst, session, caps, one, owners: ownersOf(inst, one), notes, solve };
}

const at = (inst: ReturnType<typeof buildInstance>, id: string, dept: string) => ({
  student: inst.studentIndex.get(id)!,
  site: inst.sites.find((x) => x.departmentId === dept)!.index,
});

// ann ranks A first, B second; bob ranks A and B first. One seat each. The lottery gave bob A
// and ann B (her second): at worst rank 1 ann alone cannot move (bob holds A), so bob joins her.
const blocked: AllocationInput = {
  blocks: blocks('b1'),
  students: [student('ann', 1, { X: 1 }), student('bob', 1, { X: 1 })],
  sites: [site('A', 'b1', 1), site('B', 'b1', 1)],
  preferences: [...prefs('ann', { A: 1, B: 2 }), ...prefs('bob', { A: 1, B: 1 })],
};

// 14 students, 14 one-seat departments: student i ranks D<i> first, its partner's second.
const n = 14;
const ids = Array.from({ length: n }, (_, i) => `s${String(i).padStart(2, '0')}`);
const dept = (i: number) => `D${String(i).padStart(2, '0')}`;
const swappedInput: AllocationInput = {
  blocks: blocks('b1'),
  students: ids.map((id) => student(id, 1, { X: 1 })),
  sites: ids.map((_, i) => site(dept(i), 'b1', 1)),
  preferences: ids.flatMap((id, i) => prefs(id, { [dept(i)]: 1, [dept(i ^ 1)]: 2 })),
};
const swapped = (inst: ReturnType<typeof buildInstance>) => ids.map((id, i) => at(inst, id, dept(i ^ 1)));

describe('stage-1 starts without its branch and bound (ADR 0050)', () => {
  it('moves a lottery within the caps, growing the repair to the holder of the seat it needs', async () => {
    const { inst, caps, one, owners, notes, solve } = await setUp(blocked, 1);
    const lottery = [at(inst, 'ann', 'B'), at(inst, 'bob', 'A')];
    const start = movedStart(inst, one, owners, caps, lottery, [], solve, notes, 1);
    expect(start).not.toBeNull();
    expect(startCost(one.model, start!)).toBe(2);
    expect(notes.join('\n')).toMatch(
      /lottery moved \(1 students\): round 1, 1 students free.*infeasible.*\n.*round 2, 2 students free.*optimal/,
    );
  });

  it('places the students a partial lottery left out around the others', async () => {
    const { inst, caps, one, owners, notes, solve } = await setUp(swappedInput, 2);
    // Everyone but s00 and s01 swapped; those two unplaced: they get their first choices.
    const partial = swapped(inst).filter((p) => p.student > 1);
    const start = movedStart(inst, one, owners, caps, partial, [0, 1], solve, notes, 2);
    expect(startCost(one.model, start!)).toBe(2 + 2 * (n - 2));
  });

  it('keeps the whole students of an LP solution and re-solves the fractional ones', async () => {
    const { inst, caps, one, owners, notes, solve } = await setUp(swappedInput, 2);
    const values = stageOneStart(inst, one, caps, swapped(inst))!;
    // s00 and s01 half at each of their departments: a fractional LP solution of theirs.
    for (const y of [...one.yCols, ...one.zCols.map((z) => ({ ...z, site: -1 }))]) if (y.student <= 1) values[y.col] = 0.5;
    const start = roundedStart(inst, one, owners, values, solve, notes, 2);
    expect(startCost(one.model, start!)).toBe(2 + 2 * (n - 2));
    expect(notes.join('\n')).toMatch(/LP rounded: round 1, 2 students free/);
  });

  it('fixes the seat spread of a family no free student can join, and keeps the others free', async () => {
    const { inst, caps, one, owners } = await setUp(swappedInput, 2);
    const values = stageOneStart(inst, one, caps, swapped(inst))!;
    const fixed = withOthersFixed(one.model, owners, values, new Set([0]));
    // Only s00's own columns and the spreads of its two departments' families are left.
    const left = [...fixed.reduced.kept].map((c) => owners.owner[c]);
    expect(left.filter((s) => s! >= 0).every((s) => s === 0)).toBe(true);
    expect(left.filter((s) => s === -1).length).toBeLessThanOrEqual(2);
  });

  it('an attempt from such a start reaches the optimum with the search, without a probe', async () => {
    const { session } = await setUp(swappedInput, 2, swapped);
    const attempt = decomposedAttempt(session, 2, 0);
    expect(attempt.status).toBe('FEASIBLE');
    expect(totalRank(session.inst, attempt.picks)).toBe(n);
    const notes = attempt.notes.join('\n');
    expect(notes).toMatch(/stage 1 \(places\).*start 28/);
    expect(notes).not.toMatch(/probe/);
  });
});
