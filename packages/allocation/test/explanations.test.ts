import { allocate, type AllocationInput, runVariations } from '../src';
import { blocks, expectValid, prefs, site, solvedOf, student } from './support/build';

/** s1 and s3 rank A first; s2 ranks it second. A has one seat. */
function oneSeat(): AllocationInput {
  return {
    blocks: [{ id: 'b1', label: 'January' }],
    students: ['s1', 's2', 's3'].map((id) => student(id, 1, { X: 1 }, { name: id.toUpperCase() })),
    sites: [
      site('A', 'b1', 1, 'X', { departmentName: 'Cardiology A', hospitalName: 'City Hospital' }),
      site('B', 'b1', 1),
      site('C', 'b1', 1),
    ],
    preferences: [...prefs('s1', { A: 1, B: 2, C: 3 }), ...prefs('s2', { B: 1, A: 2, C: 3 }), ...prefs('s3', { A: 1, C: 2, B: 3 })],
  };
}

describe('per-student explanations', () => {
  it('names the binding capacity and who took the seats (OPTIMAL)', async () => {
    const input = oneSeat();
    const result = solvedOf(await allocate(input, 'OPTIMAL'));
    expectValid(input, result);
    // Worst rank 2 forces: s2 at B (1st), and of s1/s3 one gets A, the other its 2nd choice.
    const loser = result.assignments.find((a) => a.rank === 2)!.studentId;
    const text = result.explanations.find((e) => e.studentId === loser)!.text;
    expect(text).toMatch(/is placed in 1 block: 1 at your 2nd choice/);
    expect(text).toMatch(/January: .*, your 2nd choice\./);
    expect(text).toMatch(
      /Cardiology A \(City Hospital\) \(your 1st choice\) was full: capacity at Cardiology A was binding, its 1 seat went to 1 student who ranked it as high\./,
    );
    const missed = result.explanations.find((e) => e.studentId === loser)!.assignments[0]!.missed;
    expect(missed).toEqual([
      expect.objectContaining({ departmentId: 'A', reason: 'FULL', seats: 1, rankedSame: 1, rankedHigher: 0, rankedLower: 0 }),
    ]);
    expect(result.explanations.find((e) => e.studentId === 's2')!.text).toBe('S2 is placed in 1 block: 1 at your 1st choice.');
  });

  it('names each better choice that was full and the higher-ranked competitor who took it', async () => {
    // x ranks B 1st and A 2nd; z (B 1st) and y (A 1st) take them; x gets C, its 3rd choice.
    const input: AllocationInput = {
      blocks: blocks('b1'),
      students: ['x', 'y', 'z'].map((id) => student(id, 1, { X: 1 })),
      sites: [site('A', 'b1', 1), site('B', 'b1', 1), site('C', 'b1', 1)],
      preferences: [...prefs('x', { B: 1, A: 2, C: 3 }), ...prefs('y', { A: 1, B: 3, C: 3 }), ...prefs('z', { B: 1, A: 3, C: 4 })],
    };
    const result = solvedOf(await allocate(input, 'OPTIMAL'));
    expectValid(input, result);
    const x = result.explanations.find((e) => e.studentId === 'x')!;
    expect(x.assignments[0]).toMatchObject({ departmentId: 'C', rank: 3 });
    expect(x.text).toBe(
      [
        'x is placed in 1 block: 1 at your 3rd choice.',
        'block 1: C (H-C), your 3rd choice. ' +
          'B (H-B) (your 1st choice) was full: capacity at B was binding, its 1 seat went to 1 student who ranked it as high. ' +
          'A (H-A) (your 2nd choice) was full: capacity at A was binding, its 1 seat went to 1 student who ranked it higher.',
      ].join('\n'),
    );
  });

  it('says when a student ranked lower got the seat, and why that is fair', async () => {
    // s2 may not go to B (its first choice). Giving A to s1 would leave s2 with C, its 4th
    // choice; giving A to s2 costs s1 only a 2nd choice.
    const input: AllocationInput = {
      blocks: blocks('b1'),
      students: [student('s1', 1, { X: 1 }), student('s2', 1, { X: 1 })],
      sites: [site('A', 'b1', 1), site('B', 'b1', 1), site('C', 'b1', 1)],
      preferences: [...prefs('s1', { A: 1, B: 2 }), ...prefs('s2', { B: 1, A: 2, C: 4 })],
      bars: [{ studentId: 's2', departmentId: 'B', reason: 'former employer' }],
    };
    const result = solvedOf(await allocate(input, 'OPTIMAL'));
    expectValid(input, result);
    const s1 = result.explanations.find((e) => e.studentId === 's1')!.text;
    expect(s1).toMatch(
      /A \(H-A\) \(your 1st choice\) was full: capacity at A was binding, its 1 seat went to 1 student who ranked it lower\. Giving you one of those seats would have left another student worse off/,
    );
    const s2 = result.explanations.find((e) => e.studentId === 's2')!;
    expect(s2.text).toMatch(/is placed in 1 block: 1 at your 2nd choice/);
    expect(s2.assignments[0]!.missed).toEqual([expect.objectContaining({ departmentId: 'B', reason: 'BARRED' })]);
    expect(s2.text).toMatch(/B \(H-B\) \(your 1st choice\) is closed to you \(former employer\)\./);
  });

  it('names the lottery position and the students who drew earlier (LOTTERY)', async () => {
    const input = oneSeat();
    const result = solvedOf(await allocate(input, 'LOTTERY', { seed: 'seed-1' }));
    expectValid(input, result);
    const order = result.lotteryOrder!;
    // s1 and s3 both rank A first: the one who drew later did not get it.
    const loser = ['s1', 's3'].find((id) => result.assignments.find((a) => a.studentId === id)!.departmentId !== 'A')!;
    expect(order.indexOf(loser)).toBeGreaterThan(order.indexOf(loser === 's1' ? 's3' : 's1'));
    const explanation = result.explanations.find((e) => e.studentId === loser)!;
    expect(explanation.text).toMatch(
      new RegExp(
        `Cardiology A \\(City Hospital\\) \\(your 1st choice\\) was full when your turn came \\(you drew position ${order.indexOf(loser) + 1} of 3\\): capacity at Cardiology A was binding, its 1 seat went to students who drew earlier\\.`,
      ),
    );
    expect(explanation.assignments[0]!.missed[0]).toMatchObject({ departmentId: 'A', reason: 'FULL', earlierInLottery: 1 });
  });

  it('explains pinned placements and unranked sites', async () => {
    const input: AllocationInput = {
      blocks: blocks('b1', 'b2'),
      students: [student('s1', 2, { X: 2 })],
      sites: [site('A', 'b1', 1), site('A', 'b2', 1), site('B', 'b1', 1)],
      preferences: prefs('s1', { B: 1 }),
      pins: [{ studentId: 's1', departmentId: 'A', blockId: 'b1' }],
    };
    const { variations } = await runVariations(input, { seed: 'x' });
    const text = solvedOf(variations[0]!).explanations[0]!.text;
    expect(text).toMatch(/block 1: A \(H-A\), a site you did not rank\. This placement was fixed by hand\./);
    expect(text).toMatch(/2 at sites you did not rank/);
  });
});
