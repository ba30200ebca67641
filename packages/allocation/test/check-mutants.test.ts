import {
  type AllocationInput,
  type AllocationResult,
  type Assignment,
  checkAllocation,
  checkAssignments,
  type SiteInput,
  type SolvedResult,
  type StudentInput,
} from '../src';

/**
 * The validator rule by rule, at the edges the broken-allocation tests (check.test.ts) do not
 * reach: names falling back to ids, seats shared between schools, minimum staffing, hospital
 * limits, precedences, unavailability, the default rank of unranked places, and a result's
 * status and metrics. Every expectation is the full list of messages, so a rule that says too
 * much fails as surely as one that says nothing. Pure (no solver): it runs against every mutant
 * of check.ts in the mutation gate (jest.mutation.config.js).
 */

/** Department → hospital, specialty and the names the snapshot carries (B and Z carry none). */
const DEPARTMENTS: Record<string, { hospitalId: string; specialty: string; departmentName?: string; hospitalName?: string }> = {
  A: { hospitalId: 'H1', specialty: 'X', departmentName: 'Cardiology A', hospitalName: 'North Hospital' },
  B: { hospitalId: 'H1', specialty: 'X' },
  C: { hospitalId: 'H2', specialty: 'Y', departmentName: 'Surgery C' },
  D: { hospitalId: 'H2', specialty: 'Y', departmentName: 'Surgery D' },
  E: { hospitalId: 'H3', specialty: 'Z', departmentName: 'Dermatology E', hospitalName: 'East Clinic' },
};

const site = (departmentId: string, blockId: string, seats: number, extra: Partial<SiteInput> = {}): SiteInput => ({
  departmentId,
  blockId,
  seats,
  ...DEPARTMENTS[departmentId]!,
  ...extra,
});

function person(id: string, schoolId: string, name?: string, requirement: Partial<StudentInput['requirement']> = {}): StudentInput {
  return {
    id,
    schoolId,
    ...(name ? { name } : {}),
    requirement: { blocksToFill: 1, specialties: [], electiveMaxBlocks: 3, ...requirement },
  };
}

const BLOCKS = ['b1', 'b2', 'b3'];

/**
 * Three blocks (the second without a label), six students of two schools (s4 without a name),
 * B's sites listed before A's (both at hospital H1; only A's carry its name), D's seats split
 * between two reserved for school S2 and one open (schoolId null). No preferences: every place
 * is rank 1 (the maximum rank 0, plus one).
 */
function world(): AllocationInput {
  return {
    blocks: [{ id: 'b1', label: 'Autumn' }, { id: 'b2' }, { id: 'b3', label: 'Spring' }],
    students: [
      person('s1', 'S1', 'Ada'),
      person('s2', 'S1', 'Ben'),
      person('s3', 'S2', 'Cy'),
      person('s4', 'S1'),
      person('s5', 'S2', 'Eve'),
      person('s6', 'S2', 'Fay'),
    ],
    sites: [
      ...BLOCKS.map((b) => site('B', b, 2)),
      ...BLOCKS.map((b) => site('A', b, 1)),
      ...BLOCKS.map((b) => site('C', b, 3)),
      ...BLOCKS.flatMap((b) => [site('D', b, 2, { schoolId: 'S2' }), site('D', b, 1, { schoolId: null })]),
      ...BLOCKS.map((b) => site('E', b, 2)),
    ],
    preferences: [],
  };
}

const at = (studentId: string, blockId: string, departmentId: string, rank = 1): Assignment => ({
  studentId,
  blockId,
  departmentId,
  hospitalId: DEPARTMENTS[departmentId]?.hospitalId ?? 'H?',
  specialty: DEPARTMENTS[departmentId]?.specialty ?? 'X',
  rank,
});

/** checkAssignments, with every student who has no assignment listed as unplaced (so only the rule under test speaks). */
function check(input: AllocationInput, assignments: Assignment[]): string[] {
  const placed = new Set(assignments.map((a) => a.studentId));
  const unplaced = input.students.filter((s) => !placed.has(s.id)).map((s) => ({ studentId: s.id, reason: 'not in this test' }));
  return checkAssignments(input, assignments, unplaced);
}

describe('the validator names what it finds', () => {
  it('by the names the snapshot carries, else by ids and block numbers', () => {
    const input = world();
    input.students[0]!.requirement.blocksToFill = 2;
    input.students[3]!.requirement.blocksToFill = 2;
    expect(check(input, [at('s1', 'b1', 'A'), at('s4', 'b2', 'B')])).toEqual([
      'Ada has 1 blocks, must have 2',
      's4 has 1 blocks, must have 2',
    ]);
    expect(check(world(), [at('s1', 'b1', 'A'), at('s2', 'b1', 'A')])).toEqual(['Cardiology A in Autumn is over capacity by 1']);
    expect(check(world(), [at('s1', 'b2', 'B'), at('s2', 'b2', 'B'), at('s4', 'b2', 'B')])).toEqual(['B in block 2 is over capacity by 1']);
  });

  it('names an unknown student, block or unplaced entry by its id', () => {
    expect(check(world(), [at('s1', 'b1', 'A'), at('ghost', 'b2', 'B', 7)])).toEqual(['an assignment names unknown student ghost']);
    expect(check(world(), [at('s1', 'b9', 'A')])).toEqual([
      'an assignment of Ada names unknown block b9',
      'Ada is placed at Cardiology A in b9, which offers their school no seat',
      'Cardiology A in b9 is over capacity by 1',
    ]);
    expect(checkAssignments(world(), [], [{ studentId: 'nobody', reason: 'x' }]).slice(0, 1)).toEqual([
      'unplaced list names unknown student nobody',
    ]);
    const twice = world().students.map((s) => ({ studentId: s.id, reason: 'x' }));
    expect(checkAssignments(world(), [], [...twice, twice[0]!])).toEqual(['a student is listed as unplaced twice']);
    expect(checkAssignments(world(), [], twice)).toEqual([]);
  });
});

describe('seats, school by school', () => {
  it('lets each school fill its reserved seats first and the overflow share the open ones', () => {
    // D in each block: two seats reserved for S2, one open.
    expect(check(world(), [at('s3', 'b1', 'D'), at('s5', 'b1', 'D'), at('s1', 'b1', 'D')])).toEqual([]);
    expect(check(world(), [at('s3', 'b1', 'D'), at('s5', 'b1', 'D'), at('s6', 'b1', 'D')])).toEqual([]);
    // One S2 student leaves a reserved seat empty; it does not take the second S1 student.
    expect(check(world(), [at('s3', 'b1', 'D'), at('s1', 'b1', 'D'), at('s2', 'b1', 'D')])).toEqual([
      'Surgery D in Autumn is over capacity by 1',
    ]);
    expect(check(world(), [at('s1', 'b1', 'D'), at('s2', 'b1', 'D'), at('s4', 'b1', 'D')])).toEqual([
      'Surgery D in Autumn is over capacity by 2',
    ]);
  });

  it('does not count an unknown student against the seats', () => {
    expect(check(world(), [at('s1', 'b1', 'D'), at('ghost', 'b1', 'D')])).toEqual(['an assignment names unknown student ghost']);
  });

  it('finds the hospital or the specialty misreported', () => {
    expect(check(world(), [{ ...at('s1', 'b1', 'A'), specialty: 'Y' }])).toEqual([
      'the assignment of Ada in Autumn misreports the hospital or specialty',
    ]);
    expect(check(world(), [{ ...at('s1', 'b1', 'A'), hospitalId: 'H2' }])).toEqual([
      'the assignment of Ada in Autumn misreports the hospital or specialty',
    ]);
  });
});

describe('minimum staffing: at least m students or none', () => {
  it('applies a block’s own minimum before the department’s, and none where none is set', () => {
    const input = world();
    input.staffingMinimums = [
      { departmentId: 'C', minStudents: 3 },
      { departmentId: 'C', blockId: 'b2', minStudents: 1 },
      { departmentId: 'E', blockId: 'b1', minStudents: 2 },
    ];
    expect(check(input, [at('s1', 'b1', 'C')])).toEqual(['Surgery C in Autumn has 1 student, needs at least 3 or none']);
    expect(check(input, [at('s1', 'b3', 'C'), at('s2', 'b3', 'C')])).toEqual([
      'Surgery C in Spring has 2 students, needs at least 3 or none',
    ]);
    expect(check(input, [at('s1', 'b3', 'C'), at('s2', 'b3', 'C'), at('s4', 'b3', 'C')])).toEqual([]);
    expect(check(input, [at('s1', 'b2', 'C')])).toEqual([]);
    expect(check(input, [at('s1', 'b2', 'E'), at('s2', 'b1', 'A')])).toEqual([]);
    expect(check(input, [at('s1', 'b1', 'E')])).toEqual(['Dermatology E in Autumn has 1 student, needs at least 2 or none']);
  });
});

describe('hospital limits', () => {
  it('counts a student’s blocks at the hospital of each department and names the hospital', () => {
    const input = world();
    input.students[0]!.requirement.blocksToFill = 2;
    input.students[2]!.requirement.blocksToFill = 2;
    input.students[1]!.requirement.blocksToFill = 2;
    input.hospitalLimits = [
      { hospitalId: 'H1', maxBlocksPerStudent: 1 },
      { hospitalId: 'H2', maxBlocksPerStudent: 1 },
    ];
    // B's sites come first and carry no hospital name; A's do.
    expect(check(input, [at('s1', 'b1', 'A'), at('s1', 'b2', 'B')])).toEqual([
      'Ada has 2 blocks at North Hospital, which takes one student for at most 1',
    ]);
    // H2 has no name anywhere: its id.
    expect(check(input, [at('s3', 'b1', 'C'), at('s3', 'b2', 'D')])).toEqual([
      'Cy has 2 blocks at H2, which takes one student for at most 1',
    ]);
    expect(check(input, [at('s2', 'b1', 'A'), at('s2', 'b2', 'C')])).toEqual([]);
    // A department that offers nothing belongs to no hospital: it counts against no limit.
    expect(check(input, [at('s2', 'b1', 'A'), at('s2', 'b2', 'Q')])).toEqual([
      'Ben is placed at Q in block 2, which offers their school no seat',
      'Q in block 2 is over capacity by 1',
    ]);
  });
});

describe('a student’s own requirement', () => {
  it('counts no blocks for a student not listed as unplaced who has none', () => {
    expect(
      checkAssignments(
        world(),
        [at('s1', 'b1', 'A')],
        world()
          .students.slice(1)
          .map((s) => ({ studentId: s.id, reason: 'x' })),
      ),
    ).toEqual([]);
    const missing = world()
      .students.slice(2)
      .map((s) => ({ studentId: s.id, reason: 'x' }));
    expect(checkAssignments(world(), [at('s1', 'b1', 'A')], missing)).toEqual(['Ben has 0 blocks, must have 1']);
  });

  it('holds a specialty to its range and a group of specialties to its count', () => {
    const input = world();
    input.students[0]!.requirement = {
      blocksToFill: 3,
      specialties: [{ specialty: 'X', minBlocks: 1, maxBlocks: 2 }],
      electiveMaxBlocks: 3,
      groups: [{ specialties: ['Y', 'Z', 'Y'], minBlocks: 1 }],
    };
    expect(check(input, [at('s1', 'b1', 'A'), at('s1', 'b2', 'B'), at('s1', 'b3', 'C')])).toEqual([]);
    expect(check(input, [at('s1', 'b1', 'A'), at('s1', 'b2', 'C'), at('s1', 'b3', 'C')])).toEqual([
      'Ada has 2 blocks among Y, Z, Y, needs 1',
    ]);
    expect(check(input, [at('s1', 'b1', 'A'), at('s1', 'b2', 'B'), at('s1', 'b3', 'A')])).toEqual([
      'Ada has 3 blocks of X, needs 1 to 2',
      'Ada has 0 blocks among Y, Z, Y, needs 1',
    ]);
    input.students[0]!.requirement.groups = [{ specialties: ['Y', 'Z'], minBlocks: 1, maxBlocks: 2 }];
    expect(check(input, [at('s1', 'b1', 'C'), at('s1', 'b2', 'E'), at('s1', 'b3', 'D')])).toEqual([
      'Ada has 0 blocks of X, needs 1 to 2',
      'Ada has 3 blocks among Y, Z, needs 1 to 2',
    ]);
  });

  it('limits the blocks at one department only when a limit is set', () => {
    const input = world();
    input.students[0]!.requirement.blocksToFill = 3;
    const three = [at('s1', 'b1', 'C'), at('s1', 'b2', 'C'), at('s1', 'b3', 'A')];
    expect(check(input, three)).toEqual([]);
    input.students[0]!.requirement.departmentMaxBlocks = 2;
    expect(check(input, three)).toEqual([]);
    input.students[0]!.requirement.departmentMaxBlocks = 1;
    expect(check(input, three)).toEqual(['Ada has 2 blocks at Surgery C, at most 1 allowed']);
  });

  it('counts as elective only what no requirement names', () => {
    const input = world();
    input.students[0]!.requirement = {
      blocksToFill: 3,
      specialties: [
        { specialty: 'X', minBlocks: 0, maxBlocks: 3 },
        { specialty: 'Y', minBlocks: 0, maxBlocks: 3 },
      ],
      electiveMaxBlocks: 0,
    };
    expect(check(input, [at('s1', 'b1', 'A'), at('s1', 'b2', 'C'), at('s1', 'b3', 'D')])).toEqual([]);
    expect(check(input, [at('s1', 'b1', 'A'), at('s1', 'b2', 'C'), at('s1', 'b3', 'E')])).toEqual([
      'Ada has 1 elective blocks of Z, at most 0 allowed',
    ]);
  });
});

describe('order between specialties, availability, pins, bars and prerequisites', () => {
  it('keeps an order between two specialties, for everyone or for one student', () => {
    const input = world();
    input.students[0]!.requirement.blocksToFill = 2;
    input.students[1]!.requirement.blocksToFill = 2;
    input.precedences = [
      { before: 'X', after: 'Y' },
      { studentId: 's2', before: 'Z', after: 'X' },
    ];
    expect(check(input, [at('s1', 'b1', 'A'), at('s1', 'b2', 'C')])).toEqual([]);
    expect(check(input, [at('s1', 'b1', 'C'), at('s1', 'b3', 'A')])).toEqual(['Ada takes Y in Autumn, before finishing X']);
    expect(check(input, [at('s1', 'b2', 'C'), at('s1', 'b3', 'A')])).toEqual(['Ada takes Y in block 2, before finishing X']);
    // Both in one block (placed twice) is no order either.
    expect(check(input, [at('s1', 'b2', 'A'), at('s1', 'b2', 'C')])).toEqual([
      'Ada is placed twice in block 2',
      'Ada takes Y in block 2, before finishing X',
    ]);
    // Never taking the first specialty sets no order on the second.
    expect(check(input, [at('s1', 'b1', 'C'), at('s1', 'b2', 'D')])).toEqual([]);
    // Ben's own order (Z before X) binds Ben only.
    expect(check(input, [at('s1', 'b1', 'A'), at('s1', 'b2', 'E')])).toEqual([]);
    expect(check(input, [at('s2', 'b1', 'A'), at('s2', 'b2', 'E')])).toEqual(['Ben takes X in Autumn, before finishing Z']);
  });

  it('finds a student placed in a block they are not available for', () => {
    const input = world();
    input.unavailable = [
      { studentId: 's1', blockId: 'b2' },
      { studentId: 's2', blockId: 'b1' },
    ];
    expect(check(input, [at('s1', 'b1', 'A'), at('s2', 'b2', 'A')])).toEqual([]);
    expect(check(input, [at('s1', 'b2', 'A')])).toEqual(['Ada is placed in block 2, when they are not available']);
  });

  it('holds a pin to its department and its block', () => {
    const input = world();
    input.pins = [
      { studentId: 's1', departmentId: 'A', blockId: 'b1' },
      { studentId: 's2', departmentId: 'B', blockId: 'b3' },
    ];
    expect(check(input, [at('s1', 'b1', 'A'), at('s2', 'b3', 'B')])).toEqual([]);
    expect(check(input, [at('s1', 'b2', 'A'), at('s2', 'b3', 'B')])).toEqual([
      'Ada is not at Cardiology A in Autumn, where they are pinned',
    ]);
    expect(check(input, [at('s1', 'b1', 'B'), at('s2', 'b3', 'B')])).toEqual([
      'Ada is not at Cardiology A in Autumn, where they are pinned',
    ]);
  });

  it('bars a department, a hospital or one block, for the barred student only', () => {
    const input = world();
    input.bars = [
      { studentId: 's1', departmentId: 'A' },
      { studentId: 's2', hospitalId: 'H2', blockId: 'b2' },
    ];
    expect(check(input, [at('s1', 'b1', 'B'), at('s2', 'b1', 'C'), at('s3', 'b1', 'A')])).toEqual([]);
    expect(check(input, [at('s1', 'b3', 'A')])).toEqual(['Ada is placed at Cardiology A in Spring, which is barred to them']);
    expect(check(input, [at('s2', 'b2', 'D')])).toEqual(['Ben is placed at Surgery D in block 2, which is barred to them']);
    // A department that offers nothing has no hospital: no bar reaches it, whatever it names.
    expect(check(input, [at('s2', 'b2', 'Q')])).toEqual([
      'Ben is placed at Q in block 2, which offers their school no seat',
      'Q in block 2 is over capacity by 1',
    ]);
    expect(check(input, [at('s1', 'b1', 'Q')])).toEqual([
      'Ada is placed at Q in Autumn, which offers their school no seat',
      'Q in Autumn is over capacity by 1',
    ]);
  });

  it('holds a prerequisite from its block on, for its student and specialty', () => {
    const input = world();
    input.prerequisites = [{ studentId: 's1', specialty: 'Y', notBeforeBlockId: 'b2' }];
    expect(check(input, [at('s1', 'b2', 'C'), at('s2', 'b1', 'C')])).toEqual([]);
    expect(check(input, [at('s1', 'b1', 'A')])).toEqual([]);
    expect(check(input, [at('s1', 'b1', 'C')])).toEqual(['Ada takes Y in Autumn, before block 2']);
  });
});

describe('ranks', () => {
  it('ranks an unranked place one beyond the worst rank given, unless the input says otherwise', () => {
    const input = world();
    input.preferences = [
      { studentId: 's1', departmentId: 'A', rank: 1 },
      { studentId: 's2', departmentId: 'A', rank: 4 },
    ];
    expect(check(input, [at('s1', 'b1', 'C', 5)])).toEqual([]);
    input.unrankedRank = 9;
    expect(check(input, [at('s1', 'b1', 'C', 5)])).toEqual(['the assignment of Ada in Autumn reports rank 5, expected 9']);
  });

  it('takes the best of the student’s matching preferences: by department or specialty, in any block or the one named', () => {
    const input = world();
    input.preferences = [
      { studentId: 's1', departmentId: 'C', rank: 3 },
      { studentId: 's1', specialty: 'Y', rank: 2 },
      { studentId: 's1', departmentId: 'C', blockId: 'b2', rank: 1 },
      { studentId: 's2', departmentId: 'C', rank: 1 },
    ];
    expect(check(input, [at('s1', 'b1', 'C', 2)])).toEqual([]);
    expect(check(input, [at('s1', 'b2', 'C', 1)])).toEqual([]);
    expect(check(input, [at('s1', 'b3', 'D', 2)])).toEqual([]);
    expect(check(input, [at('s1', 'b3', 'A', 4)])).toEqual([]);
  });
});

describe('pairs', () => {
  it('accepts a pair at the same places whatever order their assignments come in, or a pair both unplaced', () => {
    const input = world();
    input.pairs = [{ studentIds: ['s1', 's2'] }];
    input.students[0]!.requirement.blocksToFill = 2;
    input.students[1]!.requirement.blocksToFill = 2;
    expect(check(input, [at('s1', 'b1', 'C'), at('s1', 'b2', 'C'), at('s2', 'b2', 'C'), at('s2', 'b1', 'C')])).toEqual([]);
    expect(check(input, [at('s3', 'b1', 'C')])).toEqual([]);
    expect(check(input, [at('s1', 'b1', 'C'), at('s1', 'b2', 'C'), at('s2', 'b1', 'C'), at('s2', 'b2', 'D')])).toEqual([
      'the pair Ada and Ben is not placed together',
    ]);
  });
});

/** A solved result around assignments, with metrics computed the plain way. */
function resultOf(assignments: Assignment[], extra: Partial<SolvedResult> = {}): SolvedResult {
  const ranks = assignments.map((a) => a.rank);
  const rankDistribution: Record<number, number> = {};
  for (const r of ranks) rankDistribution[r] = (rankDistribution[r] ?? 0) + 1;
  const worst = new Map<string, number>();
  for (const a of assignments) worst.set(a.studentId, Math.max(worst.get(a.studentId) ?? 0, a.rank));
  return {
    mechanism: 'LOTTERY',
    inputHash: 'h',
    status: 'OPTIMAL',
    assignments,
    unplaced: [],
    explanations: [],
    solver: {
      strategy: 'LOTTERY',
      gap: null,
      timeLimitReached: false,
      worstRankProven: false,
      bound: null,
      seconds: 0,
      solves: 0,
      notes: [],
    },
    metrics: {
      schedule: { hospitalChanges: 0, idleBlocks: 0, worstStudentTotalRank: null, bestStudentTotalRank: null },
      students: 6,
      placedStudents: worst.size,
      unplacedStudents: 0,
      assignments: ranks.length,
      firstChoiceShare: ranks.length ? ranks.filter((r) => r === 1).length / ranks.length : 0,
      studentsAtFirstChoice: [...worst.values()].filter((r) => r === 1).length,
      studentFirstChoiceShare: 0,
      rankDistribution,
      unrankedRank: 13,
      worstRank: ranks.length ? Math.max(...ranks) : null,
      worstRankBeyondFloor: null,
      meanRank: null,
      totalRank: ranks.reduce((t, r) => t + r, 0),
      seats: 0,
      unfilledSeats: 0,
      bySchool: [],
      byHospital: [],
    },
    ...extra,
  };
}

describe('a result’s status and metrics', () => {
  /** Ranks 1 to 12 given by s1 for A, so that ranks of two digits occur (2 sorts after 12 as text). */
  function ranked(): AllocationInput {
    const input = world();
    input.students = input.students.map((s) => ({ ...s, requirement: { ...s.requirement, blocksToFill: 2 } }));
    input.preferences = [
      { studentId: 's1', departmentId: 'A', rank: 1 },
      { studentId: 's1', departmentId: 'B', rank: 12 },
      { studentId: 's2', departmentId: 'B', rank: 1 },
      { studentId: 's2', departmentId: 'C', rank: 2 },
      { studentId: 's3', departmentId: 'C', rank: 1 },
      { studentId: 's3', departmentId: 'E', rank: 1 },
    ];
    return input;
  }
  const assignments = () => [
    at('s1', 'b1', 'A', 1),
    at('s1', 'b2', 'B', 12),
    at('s2', 'b1', 'B', 1),
    at('s2', 'b2', 'C', 2),
    at('s3', 'b1', 'C', 1),
    at('s3', 'b2', 'E', 1),
  ];
  const unplaced = ['s4', 's5', 's6'].map((studentId) => ({ studentId, reason: 'no seat' }));
  const partial = (extra: Partial<SolvedResult> = {}) => {
    const r = resultOf(assignments(), { status: 'PARTIAL', unplaced, ...extra });
    return { ...r, metrics: { ...r.metrics, unplacedStudents: 3, ...extra.metrics } };
  };

  it('accepts metrics that agree, with ranks of two digits and within rounding', () => {
    expect(checkAllocation(ranked(), partial())).toEqual([]);
    const base = partial();
    expect(checkAllocation(ranked(), { ...base, metrics: { ...base.metrics, firstChoiceShare: 4 / 6 + 1e-10 } })).toEqual([]);
    expect(checkAllocation(ranked(), { ...base, metrics: { ...base.metrics, firstChoiceShare: 4 / 6 + 1e-8 } })).toEqual([
      'metrics.firstChoiceShare disagrees with the assignments',
    ]);
  });

  it('finds each metric that disagrees', () => {
    const base = partial();
    const with_ = (metrics: Partial<SolvedResult['metrics']>) =>
      checkAllocation(ranked(), { ...base, metrics: { ...base.metrics, ...metrics } });
    expect(with_({ assignments: 5 })).toEqual(['metrics.assignments disagrees with the assignments']);
    expect(with_({ unplacedStudents: 2 })).toEqual(['metrics.unplacedStudents disagrees with unplaced']);
    expect(with_({ worstRank: 2 })).toEqual(['metrics.worstRank 2 but assignments give 12']);
    expect(with_({ totalRank: 17 })).toEqual(['metrics.totalRank disagrees with the assignments']);
    // s1 has ranks 1 and 12, s2 ranks 1 and 2: only s3 is at first choice throughout.
    expect(with_({ studentsAtFirstChoice: 3 })).toEqual(['metrics.studentsAtFirstChoice 3 but assignments give 1']);
    expect(with_({ rankDistribution: { 1: 4, 2: 1, 12: 2 } })).toEqual(['metrics.rankDistribution disagrees with the assignments']);
    expect(with_({ rankDistribution: { 1: 4, 12: 1, 2: 1 } })).toEqual([]);
  });

  it('judges a result without assignments: no worst rank, no first-choice share', () => {
    const everyone = world().students.map((s) => ({ studentId: s.id, reason: 'no seat' }));
    const none = resultOf([], { status: 'PARTIAL', unplaced: everyone });
    const empty = { ...none, metrics: { ...none.metrics, unplacedStudents: 6 } };
    expect(checkAllocation(world(), empty)).toEqual([]);
    expect(checkAllocation(world(), { ...empty, metrics: { ...empty.metrics, worstRank: 0 } })).toEqual([
      'metrics.worstRank 0 but assignments give null',
    ]);
    expect(checkAllocation(world(), { ...empty, metrics: { ...empty.metrics, firstChoiceShare: 1e-9 } })).toEqual([]);
    expect(checkAllocation(world(), { ...empty, metrics: { ...empty.metrics, firstChoiceShare: 0.5 } })).toEqual([
      'metrics.firstChoiceShare disagrees with the assignments',
    ]);
  });

  it('finds a status that disagrees with the unplaced students', () => {
    expect(checkAllocation(ranked(), partial({ status: 'FEASIBLE' }))).toEqual(['FEASIBLE result leaves 3 students unplaced']);
    expect(checkAllocation(world(), resultOf([at('s1', 'b1', 'A')], { status: 'PARTIAL', unplaced: [] }))).toEqual(
      expect.arrayContaining(['PARTIAL result without unplaced students']),
    );
  });

  it('asks a result without an allocation only for its reasons', () => {
    const reason = { kind: 'TIME_LIMIT' as const, message: 'out of time' };
    const solver = resultOf([]).solver;
    const results: AllocationResult[] = [
      { mechanism: 'OPTIMAL', inputHash: 'h', status: 'TIMED_OUT', reasons: [], solver },
      { mechanism: 'OPTIMAL', inputHash: 'h', status: 'TIMED_OUT', reasons: [reason], solver },
      { mechanism: 'OPTIMAL', inputHash: 'h', status: 'INFEASIBLE', reasons: [reason] },
    ];
    expect(results.map((r) => checkAllocation(world(), r))).toEqual([['TIMED_OUT result gives no reason'], [], []]);
  });
});

describe('rotations longer than one block', () => {
  /** Blocks b1-b6: b2 and b5 without a label, a calendar break before b5. */
  const CALENDAR = [
    { id: 'b1', label: 'Autumn' },
    { id: 'b2' },
    { id: 'b3', label: 'Winter' },
    { id: 'b4', label: 'Spring' },
    { id: 'b5', gapBefore: true },
    { id: 'b6', label: 'Summer' },
  ];
  /** Two surgery departments (R named, Q not) and a medicine one, with seats in every block. */
  const WARDS: Record<string, { specialty: string; departmentName?: string }> = {
    R: { specialty: 'Surgery', departmentName: 'Royal surgery' },
    Q: { specialty: 'Surgery' },
    M: { specialty: 'Medicine', departmentName: 'Medicine' },
  };
  const place = (blockId: string, departmentId: string): Assignment => ({
    studentId: 'ada',
    blockId,
    departmentId,
    hospitalId: 'H1',
    specialty: WARDS[departmentId]!.specialty,
    rank: 1,
  });

  /**
   * Ada fills as many blocks as she is given: any number of surgery blocks (one rotation lasts
   * 2), any of medicine (one block each). `specialties` orders the requirement lines.
   */
  function calendar(blocksToFill: number, extra: Partial<StudentInput['requirement']> = {}): AllocationInput {
    return {
      blocks: CALENDAR.map((b) => ({ ...b })),
      students: [
        person('ada', 'S1', 'Ada', {
          blocksToFill,
          specialties: [
            { specialty: 'Surgery', minBlocks: 0, maxBlocks: 6, durationBlocks: 2 },
            { specialty: 'Medicine', minBlocks: 0, maxBlocks: 6 },
          ],
          ...extra,
        }),
      ],
      sites: Object.entries(WARDS).flatMap(([departmentId, w]) =>
        CALENDAR.map((b) => ({ departmentId, blockId: b.id, seats: 1, hospitalId: 'H1', ...w })),
      ),
      preferences: [],
    };
  }
  const rotations = (...placed: Assignment[]) => check(calendar(placed.length), placed);

  it('accepts whole rotations in consecutive blocks, listed in any order, one after another or after a break', () => {
    expect(rotations(place('b2', 'R'), place('b1', 'R'))).toEqual([]);
    expect(rotations(place('b3', 'R'), place('b2', 'R'), place('b1', 'M'))).toEqual([]);
    expect(rotations(place('b4', 'R'), place('b2', 'R'), place('b1', 'R'), place('b3', 'R'))).toEqual([]);
    expect(rotations(place('b6', 'R'), place('b1', 'R'), place('b5', 'R'), place('b2', 'R'))).toEqual([]);
    expect(rotations(place('b6', 'Q'), place('b5', 'Q'), place('b1', 'R'), place('b2', 'R'), place('b3', 'M'))).toEqual([]);
  });

  it('refuses a rotation split across departments, blocks or a calendar break, naming its blocks', () => {
    expect(rotations(place('b1', 'R'), place('b2', 'Q'))).toEqual([
      'Ada has Surgery at Royal surgery in Autumn only: a rotation lasts 2 consecutive blocks at one department',
      'Ada has Surgery at Q in block 2 only: a rotation lasts 2 consecutive blocks at one department',
    ]);
    expect(rotations(place('b3', 'R'), place('b1', 'R'), place('b2', 'M'))).toEqual([
      'Ada has Surgery at Royal surgery in Autumn only: a rotation lasts 2 consecutive blocks at one department',
      'Ada has Surgery at Royal surgery in Winter only: a rotation lasts 2 consecutive blocks at one department',
    ]);
    expect(rotations(place('b5', 'R'), place('b4', 'R'))).toEqual([
      'Ada has Surgery at Royal surgery in Spring only: a rotation lasts 2 consecutive blocks at one department',
      'Ada has Surgery at Royal surgery in block 5 only: a rotation lasts 2 consecutive blocks at one department',
    ]);
  });

  it('refuses a rotation of the wrong length', () => {
    expect(rotations(place('b2', 'R'))).toEqual([
      'Ada has Surgery at Royal surgery in block 2 only: a rotation lasts 2 consecutive blocks at one department',
    ]);
    expect(rotations(place('b1', 'Q'), place('b3', 'Q'), place('b2', 'Q'))).toEqual([
      'Ada has Surgery at Q in Autumn, block 2, Winter only: a rotation lasts 2 consecutive blocks at one department',
    ]);
    // Three blocks before the break and two after: the first run is one block too long.
    expect(rotations(place('b6', 'R'), place('b1', 'R'), place('b5', 'R'), place('b2', 'R'), place('b3', 'R'))).toEqual([
      'Ada has Surgery at Royal surgery in Autumn, block 2, Winter only: a rotation lasts 2 consecutive blocks at one department',
    ]);
  });

  it('leaves a block it does not know to the other rules', () => {
    expect(rotations(place('b1', 'R'), place('b9', 'R'), place('b2', 'R'))).toEqual([
      'an assignment of Ada names unknown block b9',
      'Ada is placed at Royal surgery in b9, which offers their school no seat',
      'Royal surgery in b9 is over capacity by 1',
    ]);
  });

  it('caps the blocks at one department in rotations: d blocks each, one block for a specialty without a duration', () => {
    const capped = (placed: Assignment[], specialties?: StudentInput['requirement']['specialties']) =>
      check(calendar(placed.length, { departmentMaxBlocks: 1, ...(specialties ? { specialties } : {}) }), placed);
    expect(capped([place('b1', 'M'), place('b2', 'R'), place('b3', 'R')])).toEqual([]);
    expect(capped([place('b1', 'R'), place('b2', 'R'), place('b3', 'R'), place('b4', 'R')])).toEqual([
      'Ada has 4 blocks at Royal surgery, at most 2 allowed',
    ]);
    expect(capped([place('b1', 'M'), place('b2', 'M'), place('b3', 'R'), place('b4', 'R')])).toEqual([
      'Ada has 2 blocks at Medicine, at most 1 allowed',
    ]);
    // The same with the requirement lines the other way round.
    const medicineFirst = [
      { specialty: 'Medicine', minBlocks: 0, maxBlocks: 6 },
      { specialty: 'Surgery', minBlocks: 0, maxBlocks: 6, durationBlocks: 2 },
    ];
    expect(capped([place('b1', 'R'), place('b2', 'R'), place('b3', 'M')], medicineFirst)).toEqual([]);
    expect(capped([place('b1', 'M'), place('b2', 'M'), place('b3', 'R'), place('b4', 'R')], medicineFirst)).toEqual([
      'Ada has 2 blocks at Medicine, at most 1 allowed',
    ]);
  });
});
