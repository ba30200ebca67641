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
});
