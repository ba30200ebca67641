import { allocate, AllocationInputError, type AllocationInput, type Assignment, checkAssignments, parseAllocationInput } from '../src';
import { bruteForceOptimum, lexOf } from './support/brute-force';
import { blocks, expectValid, prefs, sites, solvedOf, student } from './support/build';

/** Rotations longer than one block: an 8-week surgery is 2 consecutive four-week blocks at one department. */

const B = ['b1', 'b2', 'b3', 'b4'];

/**
 * Ada needs 2 blocks of surgery as one rotation, and 2 of medicine. She ranks St Mary's surgery
 * first, but it has a seat in b1 and b3 only (not consecutive) — so block by block she would take
 * it twice; as a rotation she must go to Royal surgery (seats in b2-b3) or St Mary's is useless.
 */
function instance(durationBlocks = 2): AllocationInput {
  const ada = student('ada', 4, { Surgery: 2, Medicine: 2 }, { name: 'Ada' });
  ada.requirement.specialties[0]!.durationBlocks = durationBlocks;
  return {
    blocks: blocks(...B),
    students: [ada, student('bo', 2, { Medicine: 2 }, { name: 'Bo' })],
    sites: [
      ...sites('StMarys', ['b1', 'b3'], 1, 'Surgery', { departmentName: "St Mary's surgery" }),
      ...sites('Royal', B, 1, 'Surgery', { departmentName: 'Royal surgery' }),
      ...sites('Med', B, 2, 'Medicine', { departmentName: 'Medicine' }),
    ],
    preferences: [...prefs('ada', { StMarys: 1, Royal: 2, Med: 1 }), ...prefs('bo', { Med: 1 })],
  };
}

const surgery = (assignments: Assignment[]) =>
  assignments
    .filter((a) => a.studentId === 'ada' && a.specialty === 'Surgery')
    .map((a) => `${a.departmentId}@${a.blockId}`)
    .sort();

describe('rotations longer than one block', () => {
  it('places a 2-block rotation in consecutive blocks at one department, in every mechanism, as the exhaustive optimum does', async () => {
    // Block by block, Ada takes St Mary's twice (b1 and b3).
    const single = solvedOf(await allocate(instance(1), 'OPTIMAL'));
    expect(surgery(single.assignments)).toEqual(['StMarys@b1', 'StMarys@b3']);

    const input = instance();
    const truth = bruteForceOptimum(input);
    for (const strategy of ['AUTO', 'MONOLITHIC', 'DECOMPOSED'] as const) {
      const result = solvedOf(await allocate(input, 'OPTIMAL', { strategy }));
      expectValid(input, result);
      expect(result.status).toBe('OPTIMAL');
      const placed = surgery(result.assignments);
      expect(placed).toHaveLength(2);
      expect(new Set(placed.map((p) => p.split('@')[0])).size).toBe(1);
      expect(placed[0]!.startsWith('Royal@')).toBe(true);
      expect(lexOf(input, result.assignments)).toEqual(truth);
    }
    const lottery = solvedOf(await allocate(input, 'LOTTERY', { seed: 'r' }));
    expectValid(input, lottery);
    expect(surgery(lottery.assignments)[0]!.startsWith('Royal@')).toBe(true);
  });

  it('does not span a calendar break', async () => {
    const input = instance();
    // A break before b3 and b4... Royal's rotation can only be b1-b2 (b2-b3 and b3-b4 cross a break).
    input.blocks = input.blocks.map((b) => (b.id === 'b3' || b.id === 'b4' ? { ...b, gapBefore: true } : b));
    for (const mechanism of ['OPTIMAL', 'LOTTERY'] as const) {
      const result = solvedOf(await allocate(input, mechanism, { seed: 'g' }));
      expectValid(input, result);
      expect(surgery(result.assignments)).toEqual(['Royal@b1', 'Royal@b2']);
    }
  });

  it('holds a seat in every spanned block (a full block elsewhere moves the rotation)', async () => {
    const input = instance();
    // Royal is full in b2 (Cy is pinned there): the rotation must be b3-b4.
    input.students.push(student('cy', 1, { Surgery: [0, 1] }, { name: 'Cy' }));
    input.pins = [{ studentId: 'cy', departmentId: 'Royal', blockId: 'b2' }];
    for (const mechanism of ['OPTIMAL', 'LOTTERY'] as const) {
      const result = solvedOf(await allocate(input, mechanism, { seed: 'h' }));
      expectValid(input, result);
      expect(surgery(result.assignments)).toEqual(['Royal@b3', 'Royal@b4']);
    }
  });

  it('counts rotations against departmentMaxBlocks: with 1, one 2-block rotation per department', async () => {
    const ada = student('ada', 4, { Surgery: 4 }, { name: 'Ada' });
    ada.requirement.specialties[0]!.durationBlocks = 2;
    const input: AllocationInput = {
      blocks: blocks(...B),
      students: [ada],
      sites: [...sites('A', B, 1, 'Surgery'), ...sites('B', B, 1, 'Surgery')],
      preferences: prefs('ada', { A: 1, B: 2 }),
    };
    const free = solvedOf(await allocate(input, 'OPTIMAL'));
    expect(surgery(free.assignments)).toEqual(['A@b1', 'A@b2', 'A@b3', 'A@b4']);
    const capped = { ...input, students: [{ ...ada, requirement: { ...ada.requirement, departmentMaxBlocks: 1 } }] };
    expect(checkAssignments(capped, free.assignments)).toEqual(['Ada has 4 blocks at A, at most 2 allowed']);
    for (const strategy of ['MONOLITHIC', 'DECOMPOSED'] as const) {
      const result = solvedOf(await allocate(capped, 'OPTIMAL', { strategy }));
      expectValid(capped, result);
      expect(result.metrics.totalRank).toBe(6);
    }
    const lottery = solvedOf(await allocate(capped, 'LOTTERY', { seed: 'c' }));
    expectValid(capped, lottery);
    expect(lottery.metrics.totalRank).toBe(6);
    // Her floor is 2 (alone, she cannot avoid B): nothing above it.
    expect(bruteForceOptimum(capped)).toEqual({ worst: 0, total: 6 });
  });

  it('the validator refuses a split rotation: blocks apart, two departments, one block, across a break', () => {
    const input = instance();
    const a = (departmentId: string, blockId: string, specialty = 'Surgery'): Assignment => ({
      studentId: 'ada',
      blockId,
      departmentId,
      hospitalId: `H-${departmentId}`,
      specialty,
      rank: departmentId === 'StMarys' || departmentId === 'Med' ? 1 : 2,
    });
    const bo = [
      { ...a('Med', 'b1', 'Medicine'), studentId: 'bo' },
      { ...a('Med', 'b2', 'Medicine'), studentId: 'bo' },
    ];
    const ok = [a('Royal', 'b2'), a('Royal', 'b3'), a('Med', 'b1', 'Medicine'), a('Med', 'b4', 'Medicine'), ...bo];
    expect(checkAssignments(input, ok)).toEqual([]);
    const apart = [a('StMarys', 'b1'), a('StMarys', 'b3'), a('Med', 'b2', 'Medicine'), a('Med', 'b4', 'Medicine'), ...bo];
    expect(checkAssignments(input, apart)).toEqual([
      "Ada has Surgery at St Mary's surgery in block 1 only: a rotation lasts 2 consecutive blocks at one department",
      "Ada has Surgery at St Mary's surgery in block 3 only: a rotation lasts 2 consecutive blocks at one department",
    ]);
    const split = [a('StMarys', 'b1'), a('Royal', 'b2'), a('Med', 'b3', 'Medicine'), a('Med', 'b4', 'Medicine'), ...bo];
    expect(checkAssignments(input, split)).toHaveLength(2);
    const short = [a('Royal', 'b2'), a('Med', 'b1', 'Medicine'), a('Med', 'b3', 'Medicine'), a('Med', 'b4', 'Medicine'), ...bo];
    expect(checkAssignments(input, short)).toEqual(
      expect.arrayContaining(['Ada has Surgery at Royal surgery in block 2 only: a rotation lasts 2 consecutive blocks at one department']),
    );
    const broken = { ...input, blocks: input.blocks.map((b) => (b.id === 'b3' ? { ...b, gapBefore: true } : b)) };
    expect(checkAssignments(broken, ok)).toHaveLength(2);
  });

  it('refuses a rotation longer than the year, or a requirement that is not whole rotations', () => {
    const long = instance(5);
    long.students[0]!.requirement.specialties[0]!.minBlocks = 5;
    expect(() => parseAllocationInput(long)).toThrow(AllocationInputError);
    expect(() => parseAllocationInput(long)).toThrow(/a rotation of Surgery lasts 5 blocks, the year has 4/);
    const odd = instance();
    odd.students[0]!.requirement.specialties[0]!.minBlocks = 3;
    expect(() => parseAllocationInput(odd)).toThrow(/multiples of durationBlocks/);
  });
});

describe('rotations in explanations and metrics', () => {
  it('names each rotation once with its department and blocks, and says why a better department missed', async () => {
    const input = instance();
    input.blocks = input.blocks.map((b, i) => ({ ...b, label: `Autumn ${i + 1}` }));
    const result = solvedOf(await allocate(input, 'OPTIMAL'));
    const ada = result.explanations.find((e) => e.studentId === 'ada')!;
    const royal = result.metrics.rotations!.find((r) => r.studentId === 'ada')!;
    expect(royal.specialty).toBe('Surgery');
    expect(royal.departmentId).toBe('Royal');
    expect(royal.blockIds).toHaveLength(2);
    expect(royal.text).toMatch(/^Surgery at Royal surgery \(H-Royal\), Autumn \d – Autumn \d$/);
    expect(ada.text).toContain(`Rotation: ${royal.text}.`);
    const blocks = ada.assignments.filter((a) => a.departmentId === 'Royal');
    expect(blocks.map((a) => a.rotation)).toEqual([royal.text, royal.text]);
    // St Mary's (her first choice) had a free seat in b1 or b3, but no second block next to it.
    const missed = blocks.flatMap((a) => a.missed).filter((m) => m.departmentId === 'StMarys');
    expect(missed.length).toBeGreaterThan(0);
    expect(ada.text).toContain('a rotation of Surgery lasts 2 consecutive blocks at one department');
  });

  it('uses "blocks 3–4" when blocks carry no labels, and reports no rotations when the input has none', async () => {
    const result = solvedOf(await allocate(instance(), 'LOTTERY', { seed: 'n' }));
    expect(result.metrics.rotations!.map((r) => r.text)).toEqual([
      expect.stringMatching(/^Surgery at Royal surgery \(H-Royal\), blocks \d–\d$/),
    ]);
    expect(solvedOf(await allocate(instance(1), 'OPTIMAL')).metrics.rotations).toBeUndefined();
  });
});
