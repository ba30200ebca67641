import { allocate, type AllocationInput } from '../src';
import { blocks, expectValid, prefs, site, solvedOf, student } from './support/build';

describe('metrics', () => {
  it('reports first choices for placements and for students separately', async () => {
    // Ada must do two blocks of X: A (her 1st) only in b1, B (her 2nd) only in b2. Ben does one block of Y at C, his 1st.
    const input: AllocationInput = {
      blocks: blocks('b1', 'b2'),
      students: [student('ada', 2, { X: 2 }), student('ben', 1, { Y: 1 })],
      sites: [site('A', 'b1', 1, 'X'), site('B', 'b2', 1, 'X'), site('C', 'b1', 1, 'Y')],
      preferences: [...prefs('ada', { A: 1, B: 2 }), ...prefs('ben', { C: 1 })],
    };
    for (const mechanism of ['OPTIMAL', 'LOTTERY'] as const) {
      const result = solvedOf(await allocate(input, mechanism, { seed: 's' }));
      expectValid(input, result);
      expect(result.metrics).toMatchObject({ firstChoiceShare: 2 / 3, studentsAtFirstChoice: 1, studentFirstChoiceShare: 0.5 });
      expect(result.metrics.bySchool[0]).toMatchObject({ firstChoiceShare: 2 / 3, studentFirstChoiceShare: 0.5 });
    }
  });

  it('reports whole-schedule figures: hospital changes, idle blocks before the last placement, each student’s total rank', async () => {
    // Ada must do two blocks of X: A (her 1st, hospital H-A) only in b1, B (her 2nd, H-B) only in b3, so b2 is idle
    // and she changes hospital once. Ben does one block of Y at C in b2 and is away in b1: not idle.
    const input: AllocationInput = {
      blocks: blocks('b1', 'b2', 'b3'),
      students: [student('ada', 2, { X: 2 }), student('ben', 1, { Y: 1 })],
      sites: [site('A', 'b1', 1, 'X'), site('B', 'b3', 1, 'X'), site('C', 'b2', 1, 'Y')],
      preferences: [...prefs('ada', { A: 1, B: 2 }), ...prefs('ben', { C: 1 })],
      unavailable: [{ studentId: 'ben', blockId: 'b1' }],
    };
    for (const mechanism of ['OPTIMAL', 'LOTTERY'] as const) {
      const result = solvedOf(await allocate(input, mechanism, { seed: 's' }));
      expectValid(input, result);
      expect(result.metrics.schedule).toEqual({ hospitalChanges: 1, idleBlocks: 1, worstStudentTotalRank: 3, bestStudentTotalRank: 1 });
    }
    // Nobody placed: no totals.
    const empty = solvedOf(await allocate({ ...input, students: [], preferences: [], unavailable: [] }, 'OPTIMAL', { seed: 's' }));
    expect(empty.metrics.schedule).toEqual({ hospitalChanges: 0, idleBlocks: 0, worstStudentTotalRank: null, bestStudentTotalRank: null });
  });
});
