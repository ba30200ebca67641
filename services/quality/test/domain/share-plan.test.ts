import { planShares, typesToSplit } from '../../src/domain/share-plan';

const TYPES = ['AssessmentTask', 'Placement', 'EvaluationSubmission', 'Submission', 'Mentorship'];

describe("a rebuild's shares (ADR 0046)", () => {
  it('gives whole types to the share with the fewest aggregates so far, the largest first', () => {
    const sizes = [
      { type: 'AssessmentTask', aggregates: 220 },
      { type: 'EvaluationSubmission', aggregates: 110 },
      { type: 'Placement', aggregates: 81 },
    ];
    expect(typesToSplit(sizes, TYPES, 2).size).toBe(0);
    const plan = planShares(sizes, TYPES, 2);
    expect(plan.map((s) => s.parts.flatMap((p) => p.types))).toEqual([
      ['AssessmentTask'],
      // Types with nothing held go to a share too, the assessments with the post profiles (the Learners).
      ['EvaluationSubmission', 'Placement', 'Mentorship', 'Submission', 'PostProfile'],
    ]);
    expect(plan.map((s) => s.learners)).toEqual([false, true]);
  });

  it('keeps the Learners with the assessments and post profiles they are folded from', () => {
    const plan = planShares(
      [
        { type: 'Submission', aggregates: 50 },
        { type: 'PostProfile', aggregates: 2 },
        { type: 'Placement', aggregates: 90 },
      ],
      TYPES,
      3,
    );
    const learners = plan.filter((s) => s.learners);
    expect(learners).toHaveLength(1);
    expect(learners[0]!.parts.flatMap((p) => p.types)).toEqual(expect.arrayContaining(['Submission', 'PostProfile']));
    expect(plan.flatMap((s) => s.parts.flatMap((p) => p.types)).sort()).toEqual([...TYPES, 'PostProfile'].sort());
  });

  it('cuts a type of more than one and a half fair parts into ranges that cover it once', () => {
    const sizes = [
      { type: 'AssessmentTask', aggregates: 900 },
      { type: 'Placement', aggregates: 100 },
    ];
    // 1,000 aggregates in 4 shares: 250 each; the tasks are 3.6 fair parts.
    expect(typesToSplit(sizes, TYPES, 4)).toEqual(new Map([['AssessmentTask', 4]]));
    expect(typesToSplit(sizes, TYPES, 1).size).toBe(0);
    const plan = planShares(sizes, TYPES, 4, new Map([['AssessmentTask', ['b', 'd', 'f']]]));
    expect(plan).toHaveLength(4);
    const ranges = plan.flatMap((s) => s.parts.filter((p) => p.types[0] === 'AssessmentTask').map((p) => p.range));
    expect(ranges).toEqual(
      expect.arrayContaining([
        { from: null, to: 'b' },
        { from: 'b', to: 'd' },
        { from: 'd', to: 'f' },
        { from: 'f', to: null },
      ]),
    );
    expect(ranges).toHaveLength(4);
  });

  it('reads everything in one share when asked for one, or when nothing is held', () => {
    expect(planShares([{ type: 'Placement', aggregates: 10 }], TYPES, 1)).toHaveLength(1);
    const empty = planShares([], TYPES, 4);
    expect(empty).toEqual([
      {
        parts: [{ types: ['AssessmentTask', 'Placement', 'EvaluationSubmission', 'Mentorship', 'Submission', 'PostProfile'] }],
        learners: true,
      },
    ]);
  });
});
