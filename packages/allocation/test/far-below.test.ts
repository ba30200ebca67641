import { type AllocationInput } from '../src';
import { canonicalizeInput } from '../src/canonical';
import { createContext } from '../src/context';
import { buildInstance } from '../src/instance';
import { decomposedAttempt } from '../src/optimal/attempts';
import { MOVED_MAX_STUDENTS, recordUnsolvedFarBelow } from '../src/optimal/far-below';
import { createSession, totalRank } from '../src/optimal/session';
import { parseAllocationInput } from '../src/schema';
import { getHighs } from '../src/solver/highs';
import { blocks, prefs, site, student } from './support/build';

// More students than MOVED_MAX_STUDENTS, each ranking a one-seat department of their own first and
// a large shared one second; the lottery gives everyone the shared one. At worst rank 1 every
// student is above the caps: without an LP solution (a stage 1 too large to solve whole) the
// attempt there is its bound only, and the one at the lottery's own worst rank goes on from it.
const n = MOVED_MAX_STUDENTS + 2;
const ids = Array.from({ length: n }, (_, i) => `s${String(i).padStart(3, '0')}`);
const input: AllocationInput = {
  blocks: blocks('b1'),
  students: ids.map((id) => student(id, 1, { X: 1 })),
  sites: [...ids.map((id) => site(`D-${id}`, 'b1', 1)), site('SHARED', 'b1', n)],
  preferences: ids.flatMap((id) => prefs(id, { [`D-${id}`]: 1, SHARED: 2 })),
};

async function sessionFromLottery() {
  const inst = buildInstance(canonicalizeInput(parseAllocationInput(input)));
  const shared = inst.sites.findIndex((x) => x.departmentId === 'SHARED');
  const lottery = ids.map((id) => ({ student: inst.studentIndex.get(id)!, site: shared }));
  const ctx = createContext({ timeLimitSeconds: 120 });
  return createSession(await getHighs(), inst, ctx, new Int32Array(n), lottery);
}

describe('below a lottery that too many students must leave (ADR 0067)', () => {
  it('an attempt without an LP solution is its bound only: no moved lottery, no probe', async () => {
    const session = await sessionFromLottery();
    const attempt = decomposedAttempt(session, 1, 0, 0);
    expect(attempt.status).toBe('NO_SOLUTION');
    expect(Number.isFinite(attempt.bound)).toBe(true);
    const notes = attempt.notes.join('\n');
    expect(notes).toMatch(new RegExp(`worst rank 1: ${n} students above it in the lottery, too many to move`));
    expect(notes).not.toMatch(/lottery moved|probe|repair/);
    expect(session.solves()).toBe(0);
  });

  it('after a tighter rank below the same lottery was not decided in its time, a looser one is not tried (ADR 0069)', async () => {
    const session = await sessionFromLottery();
    // What an attempt whose LP was cut by the clock (and whose Lagrangian proved nothing) records.
    recordUnsolvedFarBelow(session, 0);
    const attempt = decomposedAttempt(session, 1, 0);
    expect(attempt.status).toBe('NO_SOLUTION');
    expect(attempt.bound).toBe(-Infinity);
    const notes = attempt.notes.join('\n');
    expect(notes).toMatch(/worst rank 1: stage 1's LP relaxation not tried \(worst rank 0's, below the same lottery/);
    expect(notes).not.toMatch(/Lagrangian/);
    expect(session.solves()).toBe(0);
  });

  it('a run records nothing when the LP decided the rank (solved or infeasible): the looser rank is tried', async () => {
    const session = await sessionFromLottery();
    // Stage 1 small enough to solve whole: its LP is solved, so the attempt goes on from it.
    decomposedAttempt(session, 1, 0);
    const again = decomposedAttempt(session, 1, 0);
    expect(again.notes.join('\n')).not.toMatch(/not tried/);
    expect(session.solves()).toBeGreaterThan(1);
  });

  it("the attempt at the lottery's own worst rank improves it as before", async () => {
    const session = await sessionFromLottery();
    const attempt = decomposedAttempt(session, 2, 0, 0);
    expect(attempt.status).toBe('FEASIBLE');
    expect(totalRank(session.inst, attempt.picks)).toBe(n);
  });
});
