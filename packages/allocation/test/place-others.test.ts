import { allocate, type AllocationInput, checkAllocation, runVariations } from '../src';
import { blocks, expectValid, site, solvedOf, student } from './support/build';

/**
 * Issue 14: "let the other students still be placed where that is what the coordinator asks".
 * With `placeOthersWhenInfeasible`, OPTIMAL leaves out the students of each conflicting set (with
 * their pair partners) and returns the best allocation of everyone else, PARTIAL, valid.
 */

/** Alex is pinned to A in b1 and barred from A's hospital; Bea and Cy need a block each. */
function pinAgainstBar(): AllocationInput {
  return {
    blocks: blocks('b1'),
    students: [student('alex', 1, { X: 1 }), student('bea', 1, { X: 1 }), student('cy', 1, { X: 1 })],
    sites: [site('A', 'b1', 2), site('B', 'b1', 1)],
    preferences: [
      { studentId: 'bea', rank: 1, departmentId: 'B' },
      { studentId: 'cy', rank: 1, departmentId: 'B' },
    ],
    pins: [{ studentId: 'alex', departmentId: 'A', blockId: 'b1' }],
    bars: [{ studentId: 'alex', hospitalId: 'H-A', reason: 'conflict of interest' }],
  };
}

describe('OPTIMAL places the others when asked', () => {
  it('is INFEASIBLE without the flag, PARTIAL with it: the set left out and listed, everyone else at their best', async () => {
    const input = pinAgainstBar();
    expect((await allocate(input, 'OPTIMAL')).status).toBe('INFEASIBLE');
    const result = solvedOf(await allocate(input, 'OPTIMAL', { placeOthersWhenInfeasible: true }));
    expect(result.status).toBe('PARTIAL');
    expect(result.unplaced).toEqual([{ studentId: 'alex', reason: expect.stringMatching(/^left out at the coordinator/) }]);
    expect(result.leftOut!.map((r) => [r.kind, r.studentIds])).toEqual([['CONFLICTING_SET', ['alex']]]);
    expect(result.leftOut![0]!.conflict!.parts.map((p) => p.kind)).toEqual(['PIN', 'BAR']);
    // The best of the rest: one of Bea and Cy at their first choice (B has one seat), the other at A.
    expect(result.assignments.map((a) => `${a.studentId}@${a.departmentId}`).sort()).toEqual(
      expect.arrayContaining([expect.stringMatching(/^(bea|cy)@B$/), expect.stringMatching(/^(bea|cy)@A$/)]),
    );
    expect(result.metrics).toMatchObject({ students: 3, placedStudents: 2, unplacedStudents: 1, totalRank: 3 });
    expectValid(input, result);
    expect(result.explanations.find((e) => e.studentId === 'alex')!.text).toMatch(/left out at the coordinator/);
  });

  it('leaves out every student of a set the solver finds, and places the one outside it', async () => {
    // Ann and Ben must both do Y in b1 (its only block), hence X in b2, where X has one seat; Cat needs Y only.
    const input: AllocationInput = {
      blocks: blocks('b1', 'b2'),
      students: [student('ann', 2, { X: 1, Y: 1 }), student('ben', 2, { X: 1, Y: 1 }), student('cat', 1, { Y: 1 })],
      sites: [site('X1', 'b1', 1, 'X'), site('X2', 'b2', 1, 'X'), site('Y1', 'b1', 3, 'Y'), site('Z', 'b2', 1, 'Z')],
      preferences: [],
    };
    const { variations } = await runVariations(input, { seed: 's', placeOthersWhenInfeasible: true });
    const optimal = solvedOf(variations[0]!);
    expect(optimal.status).toBe('PARTIAL');
    expect(optimal.unplaced.map((u) => u.studentId)).toEqual(['ann', 'ben']);
    expect(optimal.assignments).toEqual([expect.objectContaining({ studentId: 'cat', departmentId: 'Y1' })]);
    expect(checkAllocation(input, optimal)).toEqual([]);
    // The lottery is unchanged by the flag.
    expect(variations[1]!.mechanism).toBe('LOTTERY');
  });

  it("leaves a conflicting student's pair partner out with them, and every set in turn", async () => {
    const input: AllocationInput = {
      ...pinAgainstBar(),
      blocks: blocks('b1', 'b2'),
      students: [
        student('alex', 1, { X: 1 }),
        student('dan', 1, { X: 1 }),
        student('bea', 1, { X: 1 }),
        // Eve must fill both blocks but is away in b2: her own set, found once Alex's is left out.
        student('eve', 2, { X: 2 }),
      ],
      sites: [site('A', 'b1', 3), site('A', 'b2', 3), site('B', 'b1', 2), site('B', 'b2', 2)],
      preferences: [],
      pairs: [{ studentIds: ['alex', 'dan'] }],
      pins: [{ studentId: 'alex', departmentId: 'A', blockId: 'b1' }],
      unavailable: [{ studentId: 'eve', blockId: 'b2', reason: 'exams' }],
    };
    const result = solvedOf(await allocate(input, 'OPTIMAL', { placeOthersWhenInfeasible: true }));
    expect(result.unplaced.map((u) => u.studentId).sort()).toEqual(['alex', 'dan', 'eve']);
    expect(result.leftOut!.flatMap((r) => r.studentIds)).toEqual(expect.arrayContaining(['alex', 'eve']));
    expect(result.leftOut!).toHaveLength(2);
    expect(result.assignments.map((a) => a.studentId)).toEqual(['bea']);
    expectValid(input, result);
  });
});
