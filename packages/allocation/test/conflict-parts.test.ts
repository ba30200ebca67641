import { allocate, type AllocationInput, type InfeasibilityReason, type SiteInput } from '../src';
import { blocks, student } from './support/build';

/**
 * Issue 14: an infeasible instance names the single constraints that conflict — pins, bars,
 * absences, prerequisites, precedences, groups, pairs, limits and seats — with names, one small
 * instance per kind of conflict. The property test (conflict-oracle.test.ts) checks minimality.
 */

const site = (
  departmentId: string,
  blockId: string,
  seats: number,
  specialty: string,
  hospital: [string, string],
  extra: Partial<SiteInput> = {},
): SiteInput => ({
  departmentId,
  hospitalId: hospital[0],
  hospitalName: hospital[1],
  departmentName: departmentId === 'card' ? 'Cardiology' : departmentId === 'med' ? 'Internal Medicine' : departmentId,
  specialty,
  blockId,
  seats,
  ...extra,
});
const STM: [string, string] = ['stm', "St Mary's Hospital"];
const ROY: [string, string] = ['roy', 'Royal Infirmary'];
const alex = (fill: number, needs: Record<string, number | [number, number]>, electives = 0) => ({
  ...student('alex', fill, needs, { name: 'Alex Kim' }),
  requirement: { ...student('alex', fill, needs).requirement, electiveMaxBlocks: electives },
});

async function conflictOf(input: AllocationInput): Promise<InfeasibilityReason> {
  const result = await allocate(input, 'OPTIMAL', { timeLimitSeconds: 30 });
  if (result.status !== 'INFEASIBLE') throw new Error(`expected INFEASIBLE, got ${result.status}`);
  const reason = result.reasons.find((r) => r.kind === 'CONFLICTING_SET');
  if (!reason) throw new Error(`no conflicting set among ${JSON.stringify(result.reasons)}`);
  expect(reason.conflict!.minimal).toBe(true);
  // Names, never ids.
  expect(reason.message).not.toMatch(/\b(alex|bea|card|med|stm|roy)\b/);
  return reason;
}
const kinds = (r: InfeasibilityReason) => r.conflict!.parts.map((p) => p.kind);

describe('a conflicting set names the constraints one by one', () => {
  it("a pin and a bar from the pinned department's hospital", async () => {
    const input: AllocationInput = {
      blocks: blocks('b1', 'b2', 'b3'),
      students: [alex(2, { X: 2 })],
      sites: ['b1', 'b2', 'b3'].flatMap((b) => [site('card', b, 2, 'X', STM), site('med', b, 2, 'X', ROY)]),
      preferences: [],
      pins: [{ studentId: 'alex', departmentId: 'card', blockId: 'b3' }],
      bars: [{ studentId: 'alex', hospitalId: 'stm', reason: 'conflict of interest' }],
    };
    const reason = await conflictOf(input);
    expect(reason.message).toBe(
      "Alex Kim's pin to Cardiology (St Mary's Hospital) in block 3 and Alex Kim's bar from St Mary's Hospital (conflict of interest) " +
        'cannot both hold. Lifting any one of them lets all the others hold.',
    );
    expect(reason.conflict!.parts).toEqual([
      expect.objectContaining({ kind: 'PIN', studentIds: ['alex'], departmentId: 'card', blockId: 'b3' }),
      expect.objectContaining({ kind: 'BAR', studentIds: ['alex'], hospitalId: 'stm' }),
    ]);
    expect(reason.studentIds).toEqual(['alex']);
    // Without the bar, Alex is placed (the set really was the cause).
    expect((await allocate({ ...input, bars: [] }, 'OPTIMAL')).status).toBe('OPTIMAL');
  });

  it('blocks to fill and an absence', async () => {
    const input: AllocationInput = {
      blocks: blocks('b1', 'b2', 'b3'),
      students: [alex(3, { X: 3 })],
      sites: ['b1', 'b2', 'b3'].map((b) => site('card', b, 2, 'X', STM)),
      preferences: [],
      unavailable: [{ studentId: 'alex', blockId: 'b2', reason: 'parental leave' }],
    };
    expect((await conflictOf(input)).message).toBe(
      "Alex Kim's placement in 3 blocks and Alex Kim's absence in block 2 (parental leave) cannot both hold. " +
        'Lifting any one of them lets all the others hold.',
    );
  });

  it('two students and one seat', async () => {
    const input: AllocationInput = {
      blocks: [{ id: 'b1', label: 'Autumn 1' }],
      students: [alex(1, { X: 1 }), student('bea', 1, { X: 1 }, { name: 'Bea Moss' })],
      sites: [site('card', 'b1', 1, 'X', STM)],
      preferences: [],
    };
    const reason = await conflictOf(input);
    expect(reason.message).toBe(
      "These cannot all be met together: Alex Kim's placement in 1 block; Bea Moss's placement in 1 block; " +
        "the 1 seat at Cardiology (St Mary's Hospital) in Autumn 1. Lifting any one of them lets all the others hold.",
    );
    expect(reason.conflict!.seats).toEqual([{ departmentId: 'card', blockId: 'b1', seats: 1 }]);
    expect(reason.studentIds).toEqual(['alex', 'bea']);
  });

  it('a prerequisite and a precedence', async () => {
    const input: AllocationInput = {
      blocks: blocks('b1', 'b2'),
      students: [alex(2, { X: 1, Y: 1 })],
      sites: ['b1', 'b2'].flatMap((b) => [site('card', b, 1, 'X', STM), site('med', b, 1, 'Y', STM)]),
      preferences: [],
      prerequisites: [{ studentId: 'alex', specialty: 'Y', notBeforeBlockId: 'b2' }],
      precedences: [{ before: 'Y', after: 'X' }],
    };
    const reason = await conflictOf(input);
    expect(kinds(reason)).toEqual(expect.arrayContaining(['PLACEMENT', 'PREREQUISITE', 'PRECEDENCE']));
    expect(reason.message).toContain("Alex Kim's prerequisite: no Y before block 2");
    expect(reason.message).toContain("Alex Kim's order: every Y block before any X block");
    expect(reason.conflict!.parts.find((p) => p.kind === 'PRECEDENCE')!.specialties).toEqual(['Y', 'X']);
  });

  it('a requirement group whose specialties a bar closes', async () => {
    const input: AllocationInput = {
      blocks: blocks('b1'),
      students: [
        {
          ...alex(1, {}, 1),
          requirement: {
            blocksToFill: 1,
            specialties: [],
            electiveMaxBlocks: 1,
            groups: [{ specialties: ['NEURO', 'DERM'], minBlocks: 1, label: 'one neuro-derm block' }],
          },
        },
      ],
      sites: [site('neuro', 'b1', 1, 'NEURO', STM), site('derm', 'b1', 1, 'DERM', STM), site('gen', 'b1', 1, 'GEN', ROY)],
      preferences: [],
      bars: [{ studentId: 'alex', hospitalId: 'stm' }],
    };
    const reason = await conflictOf(input);
    expect(reason.message).toBe(
      "These cannot all be met together: Alex Kim's placement in 1 block; Alex Kim's requirement group one neuro-derm block; " +
        "Alex Kim's bar from St Mary's Hospital. Lifting any one of them lets all the others hold.",
    );
    expect(reason.conflict!.parts[1]).toMatchObject({ kind: 'GROUP', specialties: ['DERM', 'NEURO'] });
  });

  it('a pair whose partners are barred from each other’s only department', async () => {
    const input: AllocationInput = {
      blocks: blocks('b1'),
      students: [alex(1, { X: 1 }), student('bea', 1, { X: 1 }, { name: 'Bea Moss' })],
      sites: [site('card', 'b1', 2, 'X', STM), site('med', 'b1', 2, 'X', ROY)],
      preferences: [],
      pairs: [{ studentIds: ['alex', 'bea'] }],
      bars: [
        { studentId: 'alex', departmentId: 'card' },
        { studentId: 'bea', departmentId: 'med' },
      ],
    };
    const reason = await conflictOf(input);
    expect(kinds(reason).sort()).toEqual(['BAR', 'BAR', 'PAIR', 'PLACEMENT', 'PLACEMENT']);
    expect(reason.message).toContain('that Alex Kim and Bea Moss are placed together');
    expect(reason.message).toContain("Alex Kim's bar from Cardiology (St Mary's Hospital)");
    expect(reason.message).toContain("Bea Moss's bar from Internal Medicine (Royal Infirmary)");
  });

  it("a hospital's limit per student", async () => {
    const input: AllocationInput = {
      blocks: blocks('b1', 'b2'),
      students: [alex(2, { X: 2 })],
      sites: ['b1', 'b2'].flatMap((b) => [site('card', b, 1, 'X', STM), site('card2', b, 1, 'X', STM)]),
      preferences: [],
      hospitalLimits: [{ hospitalId: 'stm', maxBlocksPerStudent: 1 }],
    };
    expect((await conflictOf(input)).message).toBe(
      "Alex Kim's placement in 2 blocks and St Mary's Hospital's limit of 1 block per student cannot both hold. " +
        'Lifting any one of them lets all the others hold.',
    );
  });

  it("a pin to a department whose seats are another school's", async () => {
    const input: AllocationInput = {
      blocks: blocks('b1'),
      students: [alex(1, { X: 1 })],
      sites: [site('card', 'b1', 2, 'X', STM, { schoolId: 'S2' }), site('med', 'b1', 2, 'X', ROY)],
      preferences: [],
      pins: [{ studentId: 'alex', departmentId: 'card', blockId: 'b1' }],
    };
    expect((await conflictOf(input)).message).toBe(
      "Alex Kim's pin to Cardiology (St Mary's Hospital) in block 1 (it has no seat there open to their school) cannot hold.",
    );
  });

  it('a pin at a department whose minimum staffing nobody else can meet', async () => {
    const input: AllocationInput = {
      blocks: blocks('b1'),
      students: [alex(1, { X: 1 }), student('bea', 1, { X: 1 }, { name: 'Bea Moss' })],
      sites: [site('card', 'b1', 2, 'X', STM), site('med', 'b1', 2, 'X', ROY)],
      preferences: [],
      pins: [{ studentId: 'alex', departmentId: 'card', blockId: 'b1' }],
      bars: [{ studentId: 'bea', hospitalId: 'stm' }],
      staffingMinimums: [{ departmentId: 'card', minStudents: 2 }],
    };
    const reason = await conflictOf(input);
    expect(kinds(reason)).toEqual(['PIN', 'STAFFING_MINIMUM']);
    expect(reason.message).toContain("the minimum of 2 students (or none) at Cardiology (St Mary's Hospital)");
  });

  it('a conflict only the solver sees is refined too (the diagnosis after the attempts)', async () => {
    // Both must do Y in b1 (its only block), hence both X in b2, where X has one seat.
    const input: AllocationInput = {
      blocks: blocks('b1', 'b2'),
      students: [alex(2, { X: 1, Y: 1 }), student('bea', 2, { X: 1, Y: 1 }, { name: 'Bea Moss' })],
      sites: [
        site('card', 'b1', 1, 'X', STM),
        site('card2', 'b2', 1, 'X', STM),
        site('med', 'b1', 2, 'Y', ROY),
        site('z', 'b2', 1, 'Z', ROY),
      ],
      preferences: [],
    };
    const reason = await conflictOf(input);
    expect(kinds(reason)).toEqual(expect.arrayContaining(['PLACEMENT', 'PLACEMENT', 'SEATS']));
    expect(reason.conflict!.seats).toEqual([{ departmentId: 'card2', blockId: 'b2', seats: 1 }]);
  });
});
