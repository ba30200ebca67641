import { type AllocationInput, canonicalizeInput, parseAllocationInput } from '../src';
import { buildInstance } from '../src/instance';
import { runLottery } from '../src/lottery';
import type * as Planner from '../src/plan';
import { planUnit } from '../src/plan';
import { blocks, prefs, sites, student } from './support/build';

// Counts the planner's calls (the real planner runs). A proxy, not a copy: plan.ts and
// plan-rotations.ts import each other, so the module is still loading when this runs.
jest.mock('../src/plan', () => {
  const actual: typeof Planner = jest.requireActual('../src/plan');
  const counted = jest.fn((...args: Parameters<typeof Planner.planUnit>) => actual.planUnit(...args));
  return new Proxy(actual, { get: (target, key) => (key === 'planUnit' ? counted : target[key as keyof typeof Planner]) });
});
const plans = planUnit as jest.MockedFunction<typeof planUnit>;

/**
 * The staffing redraw (ADR 0040): Cardiology (A) needs 2 students or none and only Ada wants it,
 * so the first draw leaves her alone there, A is closed and the draw runs again. The turns before
 * Ada's did not touch A: they are replayed, not planned again.
 */
const S = ['ben', 'cy', 'ada', 'dot', 'eve'];
const input: AllocationInput = {
  blocks: blocks('b1', 'b2'),
  students: S.map((id) => student(id, 2, { X: 2 })),
  sites: [
    ...sites('A', ['b1', 'b2'], 3, 'X', { departmentName: 'Cardiology' }),
    ...sites('B', ['b1', 'b2'], 5, 'X'),
    ...sites('C', ['b1', 'b2'], 5, 'X'),
  ],
  preferences: S.flatMap((id) => prefs(id, id === 'ada' ? { A: 1, B: 2, C: 3 } : { B: 1, C: 2, A: 3 })),
  staffingMinimums: [{ departmentId: 'A', minStudents: 2 }],
};
const inst = buildInstance(canonicalizeInput(parseAllocationInput(input)));
const ada = inst.studentIndex.get('ada')!;

describe('the lottery redraw after a staffing closure', () => {
  beforeEach(() => plans.mockClear());

  it('plans again only the turns from the first one that chose the closed department and block', async () => {
    const positions: number[] = [];
    for (const seed of ['a', 'b', 'c', 'd', 'e', 'f']) {
      plans.mockClear();
      const out = await runLottery(inst, seed);
      const position = out.turn[ada]!;
      positions.push(position);
      // First draw: every student; second: Ada and those after her.
      expect(plans).toHaveBeenCalledTimes(S.length + (S.length - position));
      expect(out.picks.filter((p) => inst.sites[p.site]!.departmentId === 'A')).toEqual([]);
      expect([...out.closedByDraw!.values()]).toEqual([
        'only 1 student chose it in the draw, so it was closed and the draw run again',
        'only 1 student chose it in the draw, so it was closed and the draw run again',
      ]);
      // The same draw as redrawing every turn (nothing before Ada could have chosen otherwise here).
      plans.mockClear();
      const full = await runLottery(inst, seed, undefined, { fullRedraw: true });
      expect(plans).toHaveBeenCalledTimes(2 * S.length);
      expect(full.picks).toEqual(out.picks);
      expect(full.unplaced).toEqual(out.unplaced);
    }
    // Some draw put Ada after someone else, so some turns were replayed.
    expect(Math.max(...positions)).toBeGreaterThan(0);
  });
});
