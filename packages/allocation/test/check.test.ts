import { allocate, type AllocationInput, type Assignment, checkAllocation, checkAssignments, type SolvedResult } from '../src';
import { expectValid, prefs, sites, student } from './support/build';

/**
 * The validator on broken allocations: one valid allocation of a small instance that uses every
 * rule (a pin, a hospital bar, a prerequisite, a pair, a reserved seat, a specialty range), then
 * one change per test that breaks exactly one rule. Each test expects the message of that rule,
 * so a validator that ignores the rule fails it.
 */

const B = ['b1', 'b2', 'b3'];

function instance(): AllocationInput {
  return {
    blocks: [
      { id: 'b1', label: 'Autumn' },
      { id: 'b2', label: 'Winter' },
      { id: 'b3', label: 'Spring' },
    ],
    students: [
      student('s1', 2, { X: 1, Y: [1, 2] }, { name: 'Ada' }),
      student('s2', 2, { X: 1, Y: 1 }, { name: 'Ben' }),
      student('s3', 2, { X: 1, Y: 1 }, { name: 'Cy', schoolId: 'S2' }),
      student('s4', 2, { X: 1, Y: 1 }, { name: 'Dee' }),
    ],
    sites: [
      ...sites('A', B, 1, 'X', { departmentName: 'Cardiology A' }),
      ...sites('B', B, 3, 'X', { departmentName: 'Cardiology B' }),
      ...sites('C', B, 3, 'Y', { departmentName: 'Surgery C' }),
      ...sites('R', B, 1, 'Y', { departmentName: 'Surgery R', schoolId: 'S2' }),
      ...sites('E', B, 1, 'Z', { departmentName: 'Dermatology E' }),
    ],
    preferences: [
      ...prefs('s1', { A: 1, C: 2 }),
      ...prefs('s2', { B: 1, C: 1 }),
      ...prefs('s3', { R: 1, A: 1 }),
      ...prefs('s4', { B: 2, C: 1 }),
    ],
    pins: [{ studentId: 's1', departmentId: 'A', blockId: 'b1' }],
    bars: [{ studentId: 's2', hospitalId: 'H-A', reason: 'conflict of interest' }],
    prerequisites: [{ studentId: 's3', specialty: 'Y', notBeforeBlockId: 'b2' }],
    pairs: [{ studentIds: ['s2', 's4'] }],
    unrankedRank: 3,
  };
}

const SPEC: Record<string, string> = { A: 'X', B: 'X', C: 'Y', R: 'Y', E: 'Z' };
const at = (studentId: string, blockId: string, departmentId: string, rank: number): Assignment => ({
  studentId,
  blockId,
  departmentId,
  hospitalId: `H-${departmentId}`,
  specialty: SPEC[departmentId]!,
  rank,
});

function valid(): Assignment[] {
  return [
    at('s1', 'b1', 'A', 1),
    at('s1', 'b2', 'C', 2),
    at('s2', 'b1', 'B', 1),
    at('s2', 'b2', 'C', 1),
    at('s3', 'b2', 'R', 1),
    at('s3', 'b3', 'A', 1),
    at('s4', 'b1', 'B', 2),
    at('s4', 'b2', 'C', 1),
  ];
}

/** The valid allocation with the assignment of `studentId` in `blockId` replaced (or removed when `by` is null). */
function changed(studentId: string, blockId: string, by: Assignment | null, list = valid()): Assignment[] {
  const i = list.findIndex((a) => a.studentId === studentId && a.blockId === blockId);
  if (i < 0) throw new Error(`no assignment of ${studentId} in ${blockId}`);
  return by ? list.map((a, j) => (j === i ? by : a)) : list.filter((_, j) => j !== i);
}

/** A solved result around assignments, with metrics computed the plain way. */
function resultOf(assignments: Assignment[], extra: Partial<SolvedResult> = {}): SolvedResult {
  const ranks = assignments.map((a) => a.rank);
  const rankDistribution: Record<number, number> = {};
  for (const r of ranks) rankDistribution[r] = (rankDistribution[r] ?? 0) + 1;
  return {
    mechanism: 'OPTIMAL',
    inputHash: 'h',
    status: 'OPTIMAL',
    assignments,
    unplaced: [],
    explanations: [],
    solver: {
      strategy: 'DECOMPOSED',
      gap: 0,
      timeLimitReached: false,
      worstRankProven: true,
      bound: null,
      seconds: 0,
      solves: 1,
      notes: [],
    },
    metrics: {
      schedule: { hospitalChanges: 0, idleBlocks: 0, worstStudentTotalRank: null, bestStudentTotalRank: null },
      students: 4,
      placedStudents: 4,
      unplacedStudents: 0,
      assignments: ranks.length,
      firstChoiceShare: ranks.filter((r) => r === 1).length / ranks.length,
      studentsAtFirstChoice: 2,
      studentFirstChoiceShare: 0.5,
      rankDistribution,
      unrankedRank: 3,
      worstRank: Math.max(...ranks),
      worstRankBeyondFloor: null,
      meanRank: ranks.reduce((t, r) => t + r, 0) / ranks.length,
      totalRank: ranks.reduce((t, r) => t + r, 0),
      seats: 0,
      unfilledSeats: 0,
      bySchool: [],
      byHospital: [],
    },
    ...extra,
  };
}

describe('checkAllocation on broken allocations', () => {
  it('accepts the valid allocation, and the engine finds one it accepts too', async () => {
    expect(checkAssignments(instance(), valid())).toEqual([]);
    expect(checkAllocation(instance(), resultOf(valid()))).toEqual([]);
    expectValid(instance(), await allocate(instance(), 'OPTIMAL'));
    expectValid(instance(), await allocate(instance(), 'LOTTERY', { seed: 'x' }));
  });

  it('finds a department over its seats', () => {
    const input = instance();
    input.sites = input.sites.map((x) => (x.departmentId === 'C' && x.blockId === 'b2' ? { ...x, seats: 2 } : x));
    expect(checkAssignments(input, valid())).toEqual(['Surgery C in Winter is over capacity by 1']);
    // One seat, two students: Cy joins Ada at Cardiology A in the autumn.
    const crowded = changed('s3', 'b3', at('s3', 'b1', 'A', 1));
    expect(checkAssignments(instance(), crowded)).toEqual(['Cardiology A in Autumn is over capacity by 1']);
  });

  it('finds a seat reserved for another school taken', () => {
    expect(checkAssignments(instance(), changed('s1', 'b2', at('s1', 'b2', 'R', 3)))).toEqual([
      'Ada is placed at Surgery R in Winter, which offers their school no seat',
      'Surgery R in Winter is over capacity by 1',
    ]);
  });

  it('finds a placement at a department that offers nothing in that block', () => {
    const input = instance();
    input.sites = input.sites.filter((x) => !(x.departmentId === 'A' && x.blockId === 'b3'));
    expect(checkAssignments(input, valid())).toEqual([
      'Cy is placed at Cardiology A in Spring, which offers their school no seat',
      'Cardiology A in Spring is over capacity by 1',
    ]);
  });

  it('finds two placements of one student in one block', () => {
    expect(checkAssignments(instance(), changed('s3', 'b3', at('s3', 'b2', 'A', 1)))).toEqual(['Cy is placed twice in Winter']);
  });

  it('finds a student with more or fewer blocks than they must fill', () => {
    expect(checkAssignments(instance(), [...valid(), at('s1', 'b3', 'C', 2)])).toEqual(['Ada has 3 blocks, must have 2']);
    const input = instance();
    input.students[0]!.requirement.specialties = [
      { specialty: 'X', minBlocks: 0, maxBlocks: 1 },
      { specialty: 'Y', minBlocks: 0, maxBlocks: 2 },
    ];
    expect(checkAssignments(input, changed('s1', 'b2', null))).toEqual(['Ada has 1 blocks, must have 2']);
  });

  it('finds a required specialty missed or exceeded', () => {
    expect(checkAssignments(instance(), changed('s3', 'b3', at('s3', 'b3', 'C', 3)))).toEqual([
      'Cy has 0 blocks of X, needs 1',
      'Cy has 2 blocks of Y, needs 1',
    ]);
    const input = instance();
    input.students[0]!.requirement.specialties[1] = { specialty: 'Y', minBlocks: 2, maxBlocks: 3 };
    expect(checkAssignments(input, valid())).toEqual(['Ada has 1 blocks of Y, needs 2 to 3']);
  });

  it('finds electives beyond the cap', () => {
    const input = instance();
    input.students[2]!.requirement.specialties[0] = { specialty: 'X', minBlocks: 0, maxBlocks: 1 };
    const elective = changed('s3', 'b3', at('s3', 'b3', 'E', 3));
    expect(checkAssignments(input, elective)).toEqual(['Cy has 1 elective blocks of Z, at most 0 allowed']);
    input.students[2]!.requirement.electiveMaxBlocks = 1;
    expect(checkAssignments(input, elective)).toEqual([]);
    input.students[2]!.requirement.specialties[1] = { specialty: 'Y', minBlocks: 0, maxBlocks: 1 };
    const twice = changed('s3', 'b2', at('s3', 'b2', 'E', 3), elective);
    expect(checkAssignments(input, twice)).toEqual(['Cy has 2 elective blocks of Z, at most 1 allowed']);
  });

  it('finds a pin ignored', () => {
    expect(checkAssignments(instance(), changed('s1', 'b1', at('s1', 'b1', 'B', 3)))).toEqual([
      'Ada is not at Cardiology A in Autumn, where they are pinned',
    ]);
  });

  it('finds a bar ignored: a whole hospital, a department in one block', () => {
    const input = instance();
    input.bars = [...input.bars!, { studentId: 's3', hospitalId: 'H-A' }];
    expect(checkAssignments(input, valid())).toEqual(['Cy is placed at Cardiology A in Spring, which is barred to them']);
    input.bars = [{ studentId: 's3', departmentId: 'A', blockId: 'b3' }];
    expect(checkAssignments(input, valid())).toEqual(['Cy is placed at Cardiology A in Spring, which is barred to them']);
    input.bars = [{ studentId: 's3', departmentId: 'A', blockId: 'b1' }];
    expect(checkAssignments(input, valid())).toEqual([]);
  });

  it('finds a prerequisite broken', () => {
    const input = instance();
    input.prerequisites = [{ studentId: 's3', specialty: 'Y', notBeforeBlockId: 'b3' }];
    expect(checkAssignments(input, valid())).toEqual(['Cy takes Y in Winter, before Spring']);
  });

  it('finds a pair split across departments or between placed and unplaced', () => {
    const split = [...valid().filter((a) => a.studentId !== 's4'), at('s4', 'b1', 'C', 1), at('s4', 'b2', 'B', 2)];
    expect(checkAssignments(instance(), split)).toEqual(['the pair Ben and Dee is not placed together']);
    const dropped = valid().filter((a) => a.studentId !== 's4');
    expect(checkAssignments(instance(), dropped, [{ studentId: 's4', reason: 'no seat left' }])).toEqual([
      'the pair Ben and Dee is split between placed and unplaced',
    ]);
  });

  it('finds misreported ranks, hospitals and unknown students', () => {
    expect(checkAssignments(instance(), changed('s1', 'b2', at('s1', 'b2', 'C', 1)))).toEqual([
      'the assignment of Ada in Winter reports rank 1, expected 2',
    ]);
    expect(checkAssignments(instance(), changed('s1', 'b2', { ...at('s1', 'b2', 'C', 2), hospitalId: 'H-B' }))).toEqual([
      'the assignment of Ada in Winter misreports the hospital or specialty',
    ]);
    expect(checkAssignments(instance(), [...valid(), at('ghost', 'b3', 'B', 3)])).toEqual(['an assignment names unknown student ghost']);
    expect(checkAssignments(instance(), valid(), [{ studentId: 's1', reason: 'x' }])).toEqual([
      'Ada is listed as unplaced but has an assignment',
      'Ada is listed as unplaced but has an assignment',
    ]);
  });

  it('finds a status or metrics that disagree with the assignments', () => {
    const input = instance();
    const base = resultOf(valid());
    expect(checkAllocation(input, { ...base, metrics: { ...base.metrics, worstRank: 1 } })).toEqual([
      'metrics.worstRank 1 but assignments give 2',
    ]);
    expect(checkAllocation(input, { ...base, metrics: { ...base.metrics, totalRank: 9 } })).toEqual([
      'metrics.totalRank disagrees with the assignments',
    ]);
    expect(checkAllocation(input, { ...base, metrics: { ...base.metrics, firstChoiceShare: 1 } })).toEqual([
      'metrics.firstChoiceShare disagrees with the assignments',
    ]);
    expect(checkAllocation(input, { ...base, metrics: { ...base.metrics, rankDistribution: { 1: 8 } } })).toEqual([
      'metrics.rankDistribution disagrees with the assignments',
    ]);
    expect(checkAllocation(input, { ...base, metrics: { ...base.metrics, studentsAtFirstChoice: 4 } })).toEqual([
      'metrics.studentsAtFirstChoice 4 but assignments give 2',
    ]);
    expect(checkAllocation(input, { ...base, status: 'PARTIAL' })).toEqual(['PARTIAL result without unplaced students']);
    expect(checkAllocation(input, { mechanism: 'OPTIMAL', inputHash: 'h', status: 'INFEASIBLE', reasons: [] })).toEqual([
      'INFEASIBLE result gives no reason',
    ]);
  });
});
