import { allocate, type AllocationInput, type AllocationResult, type InfeasibilityKind, runVariations } from '../src';
import { blocks, prefs, site, sites, student } from './support/build';

function reasonsOf(result: AllocationResult) {
  if (result.status !== 'INFEASIBLE') throw new Error(`expected INFEASIBLE, got ${result.status}`);
  return result.reasons;
}

const kinds = (result: AllocationResult): InfeasibilityKind[] => reasonsOf(result).map((r) => r.kind);

/** Two students who each need X once in one block; variations change one thing. */
function base(): AllocationInput {
  return {
    blocks: blocks('b1', 'b2'),
    students: [student('s1', 1, { X: 1 }), student('s2', 1, { X: 1 })],
    sites: [...sites('A', ['b1', 'b2'], 1)],
    preferences: [...prefs('s1', { A: 1 }), ...prefs('s2', { A: 1 })],
  };
}

describe('infeasible instances name their reasons (and never throw)', () => {
  it('too few seats in a specialty', async () => {
    const input = { ...base(), sites: [site('A', 'b1', 1)] };
    const reasons = reasonsOf(await allocate(input, 'OPTIMAL'));
    expect(reasons).toContainEqual(expect.objectContaining({ kind: 'SPECIALTY_CAPACITY', specialty: 'X', shortfall: 1 }));
    expect(reasons.find((r) => r.kind === 'SPECIALTY_CAPACITY')!.message).toMatch(/need 2 blocks of X but the sites offer 1/);
  });

  it('more students pinned to a site than it has seats', async () => {
    const input = {
      ...base(),
      pins: [
        { studentId: 's1', departmentId: 'A', blockId: 'b1' },
        { studentId: 's2', departmentId: 'A', blockId: 'b1' },
      ],
    };
    expect(reasonsOf(await allocate(input, 'OPTIMAL'))).toContainEqual(
      expect.objectContaining({ kind: 'PIN_OVER_CAPACITY', departmentId: 'A', blockId: 'b1', studentIds: ['s1', 's2'], shortfall: 1 }),
    );
  });

  it('a pin that a bar forbids', async () => {
    const input = {
      ...base(),
      pins: [{ studentId: 's1', departmentId: 'A', blockId: 'b1' }],
      bars: [{ studentId: 's1', departmentId: 'A' }],
    };
    const result = await allocate(input, 'OPTIMAL');
    expect(kinds(result)).toContain('PIN_CONFLICT');
    expect(reasonsOf(result).find((r) => r.kind === 'PIN_CONFLICT')!.message).toMatch(/conflicts with a bar/);
  });

  it('a required specialty that bars leave nowhere to do', async () => {
    const input = { ...base(), bars: [{ studentId: 's2', hospitalId: 'H-A' }] };
    expect(reasonsOf(await allocate(input, 'OPTIMAL'))).toContainEqual(
      expect.objectContaining({ kind: 'NO_ELIGIBLE_SITE', studentIds: ['s2'], specialty: 'X' }),
    );
  });

  it('a requirement that cannot fit the blocks', async () => {
    const input = { ...base(), students: [student('s1', 1, { X: 1, Y: 1 }), student('s2', 3, { X: 1 })] };
    const result = await allocate(input, 'OPTIMAL');
    expect(kinds(result)).toEqual(expect.arrayContaining(['REQUIREMENT_INCONSISTENT', 'REQUIREMENT_EXCEEDS_BLOCKS']));
  });

  it('a pair with no site that takes them both', async () => {
    const input = { ...base(), pairs: [{ studentIds: ['s1', 's2'] }] };
    expect(reasonsOf(await allocate(input, 'OPTIMAL'))).toContainEqual(
      expect.objectContaining({ kind: 'PAIR_NO_COMMON_SITE', studentIds: ['s1', 's2'] }),
    );
  });

  it('blocks that cannot hold the students who must be everywhere', async () => {
    // Both students fill both blocks; b2 has one seat. Enough seats overall (4), not per block.
    const input: AllocationInput = {
      blocks: blocks('b1', 'b2'),
      students: [student('s1', 2, { X: 2 }), student('s2', 2, { X: 2 })],
      sites: [site('A', 'b1', 3), site('A', 'b2', 1)],
      preferences: [],
    };
    const reasons = reasonsOf(await allocate(input, 'OPTIMAL'));
    const perBlock = reasons.find((r) => r.kind === 'BLOCK_CAPACITY' && r.blockId === 'b2');
    expect(perBlock).toMatchObject({
      shortfall: 1,
      message: expect.stringMatching(/2 students must be placed in every block but block 2 has 1 seat$/),
    });
    const fixed = { ...input, sites: [site('A', 'b1', 2), site('A', 'b2', 1), site('B', 'b2', 1)] };
    expect((await allocate(fixed, 'OPTIMAL')).status).toBe('OPTIMAL');
  });

  it('a conflict only the solver can see is diagnosed by relaxing the constraints', async () => {
    // Each student alone is fine and every count adds up, but both must do Y in b1 (its only
    // block), hence both X in b2, where X has a single seat. Z (in b2) is closed to them.
    const input: AllocationInput = {
      blocks: blocks('b1', 'b2'),
      students: [student('s1', 2, { X: 1, Y: 1 }), student('s2', 2, { X: 1, Y: 1 })],
      sites: [site('X1', 'b1', 1, 'X'), site('X2', 'b2', 1, 'X'), site('Y1', 'b1', 2, 'Y'), site('Z', 'b2', 1, 'Z')],
      preferences: [],
    };
    const { variations } = await runVariations(input, { seed: 'x' });
    const [optimal, lottery] = variations;
    const reasons = reasonsOf(optimal!);
    expect(reasons).toHaveLength(2);
    // What clashes with what: both requirements and X2's single seat (X1's seat is not part of it).
    expect(reasons[0]).toMatchObject({
      kind: 'CONFLICTING_SET',
      studentIds: ['s1', 's2'],
      conflict: { studentIds: ['s1', 's2'], seats: [{ departmentId: 'X2', blockId: 'b2', seats: 1 }], minimal: true },
    });
    // Constraint by constraint (ADR 0045): with no electives allowed, each must do X and Y (the
    // minimums follow from the blocks to fill), so X2's seat, or Z for either of them, decides.
    expect(reasons[0]!.message).toBe(
      "These cannot all be met together: s1's placement in 2 blocks; s1's limit of 0 blocks in each specialty not required of them; " +
        "s2's placement in 2 blocks; s2's limit of 0 blocks in each specialty not required of them; the 1 seat at X2 (H-X2) in block 2. " +
        'Lifting any one of them lets all the others hold.',
    );
    expect(reasons[1]).toMatchObject({ kind: 'SPECIALTY_CAPACITY', specialty: 'X', blockId: 'b2', shortfall: 1 });
    expect(reasons[1]!.message).toMatch(/X in block 2 needs 1 more seat/);
    // The lottery still runs and reports whom it could not place.
    expect(lottery!.status).toBe('PARTIAL');
  });

  it('gives the same reasons to every variation when a necessary condition fails', async () => {
    const input = { ...base(), sites: [site('A', 'b1', 1)] };
    const out = await runVariations(input, { seed: 'x', lotteryDraws: 2 });
    expect(out.variations.map((v) => `${v.mechanism}:${v.status}`)).toEqual([
      'OPTIMAL:INFEASIBLE',
      'LOTTERY:INFEASIBLE',
      'LOTTERY:INFEASIBLE',
    ]);
  });
});
