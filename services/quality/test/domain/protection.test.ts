import { protectRevision, protectRevisionItems } from '../../src/domain/protection';

/**
 * Revisions of a learner outcome kept per competency: the whole is the sum of its competencies,
 * in every revision. One scope (the network), a whole and two competencies c1, c2, each released
 * in revision 0 with 10 / 5 / 5 students. Late evaluations: 5 students on c2, 1 on c1.
 */
const released = (n: number) => ({ stats: [{ evaluations: n, evaluators: n }], fixed: new Map([[0, null]]) });
const history = [[released(10), released(5), released(5)]];
const changes = [[[{ evaluations: 6, evaluators: 6 }], [{ evaluations: 1, evaluators: 1 }], [{ evaluations: 5, evaluators: 5 }]]];
const current = [[{ evaluations: 16, evaluators: 16 }], [{ evaluations: 6, evaluators: 6 }], [{ evaluations: 10, evaluators: 10 }]];

describe('protectRevisionItems', () => {
  it('does not release both the whole and c2 when c1 is hidden (c1 = whole − c2)', () => {
    const [whole, c1, c2] = protectRevisionItems([-1], 3, history, changes, current, 5).map((m) => m[0]);
    expect(c1).not.toBeNull();
    expect(whole === null && c2 === null).toBe(false);
  });

  it('is needed: protected one item at a time, the whole and c2 are both released and give c1 away', () => {
    const alone = [0, 1, 2].map((i) => protectRevision([-1], [history[0]![i]!], [changes[0]![i]!], current[i]!, 5)[0]);
    // c1's revision is hidden with its one-student change; the whole and c2 are released.
    expect(alone).toEqual([null, 'COMPLEMENTARY', null]);
  });
});
