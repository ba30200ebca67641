import fc from 'fast-check';
import { type AllocationInput } from '../../src';

/**
 * Random small instances. Department and student references are drawn as integers and taken
 * modulo the list lengths, so that every generated instance is well-formed and shrinks well.
 */
const SPECS = ['X', 'Y', 'Z'];

export function instanceArb(maxStudents: number, maxBlocks: number): fc.Arbitrary<AllocationInput> {
  return fc
    .record({
      nBlocks: fc.integer({ min: 1, max: maxBlocks }),
      departments: fc.array(
        fc.record({
          spec: fc.constantFrom(0, 0, 1, 1, 2),
          hospital: fc.integer({ min: 0, max: 2 }),
          seats: fc.array(fc.constantFrom(0, 1, 2, 2, 3), { minLength: maxBlocks, maxLength: maxBlocks }),
          reserved: fc.constantFrom(false, false, false, true),
        }),
        { minLength: 2, maxLength: 4 },
      ),
      students: fc.array(
        fc.record({
          school: fc.integer({ min: 0, max: 1 }),
          fill: fc.constantFrom(0, 1, 1, 1, 2),
          mins: fc.array(fc.constantFrom(0, 0, 1), { minLength: 3, maxLength: 3 }),
          extra: fc.array(fc.constantFrom(0, 1, 1), { minLength: 3, maxLength: 3 }),
          listed: fc.array(fc.boolean(), { minLength: 3, maxLength: 3 }),
          elective: fc.constantFrom(0, 1, 1, 2),
          departmentMax: fc.constantFrom(undefined, undefined, 1),
          group: fc.option(
            fc.record({ a: fc.integer({ min: 0, max: 2 }), b: fc.integer({ min: 0, max: 2 }), min: fc.constantFrom(0, 1, 1, 2) }),
            {
              nil: undefined,
            },
          ),
          priority: fc.integer({ min: 0, max: 1 }),
          prefs: fc.array(
            fc.record({
              dept: fc.nat(),
              rank: fc.integer({ min: 1, max: 4 }),
              bySpec: fc.boolean(),
              block: fc.option(fc.nat(), { nil: undefined }),
            }),
            {
              maxLength: 5,
            },
          ),
        }),
        { minLength: 1, maxLength: maxStudents },
      ),
      pins: fc.array(fc.record({ student: fc.nat(), dept: fc.nat(), block: fc.nat() }), { maxLength: 1 }),
      bars: fc.array(
        fc.record({ student: fc.nat(), dept: fc.nat(), hospital: fc.boolean(), block: fc.option(fc.nat(), { nil: undefined }) }),
        { maxLength: 2 },
      ),
      pairs: fc.array(fc.record({ a: fc.nat(), b: fc.nat() }), { maxLength: 1 }),
      prerequisites: fc.array(fc.record({ student: fc.nat(), spec: fc.integer({ min: 0, max: 2 }), block: fc.nat() }), { maxLength: 1 }),
      unavailable: fc.array(fc.record({ student: fc.nat(), block: fc.nat() }), { maxLength: 2 }),
      staffing: fc.array(fc.record({ dept: fc.nat(), min: fc.constantFrom(2, 2, 3), block: fc.option(fc.nat(), { nil: undefined }) }), {
        maxLength: 1,
      }),
      hospitalLimits: fc.array(fc.record({ hospital: fc.integer({ min: 0, max: 2 }), max: fc.constantFrom(1, 1, 2) }), { maxLength: 2 }),
      precedences: fc.array(
        fc.record({ a: fc.integer({ min: 0, max: 2 }), b: fc.integer({ min: 0, max: 2 }), everyone: fc.boolean(), student: fc.nat() }),
        { maxLength: 1 },
      ),
    })
    .map((r) => {
      const blocks = Array.from({ length: r.nBlocks }, (_, i) => ({ id: `b${i + 1}` }));
      const depts = r.departments.map((d, i) => ({ ...d, id: `D${i}`, spec: SPECS[d.spec]!, hospital: `H${d.hospital}` }));
      const offered = new Set(depts.map((d) => d.spec));
      const students = r.students.map((s, i) => {
        const fill = Math.min(s.fill, r.nBlocks, 2);
        let budget = fill + (s.priority && s.school ? 1 : 0); // now and then one too many
        return {
          id: `s${i}`,
          schoolId: `S${s.school}`,
          priority: s.priority,
          requirement: {
            blocksToFill: fill,
            // Mostly specialties that some department offers (a few impossible ones stay).
            specialties: SPECS.flatMap((spec, k) => {
              if (!s.listed[k]) return [];
              const min = Math.min(budget, offered.has(spec) || s.extra[k] ? s.mins[k]! : 0);
              budget -= min;
              return [{ specialty: spec, minBlocks: min, maxBlocks: min + s.extra[k]! }];
            }),
            electiveMaxBlocks: s.elective,
            ...(s.departmentMax ? { departmentMaxBlocks: s.departmentMax } : {}),
            // Now and then "min of {two specialties}".
            ...(s.group ? { groups: [{ specialties: [...new Set([SPECS[s.group.a]!, SPECS[s.group.b]!])], minBlocks: s.group.min }] } : {}),
          },
        };
      });
      const pick = <T>(list: T[], n: number) => list[n % list.length]!;
      const sameSchoolPairs = r.pairs
        .map((p) => [pick(students, p.a), pick(students, p.b)] as const)
        .filter(([a, b]) => a.id !== b.id && a.schoolId === b.schoolId)
        .map(([a, b]) => ({ studentIds: [a.id, b.id] }));
      return {
        blocks,
        // Every specialty of the school's list is known, offered or not (prerequisites may name any).
        specialties: SPECS,
        students,
        sites: depts.flatMap((d) =>
          blocks.map((b, j) => ({
            departmentId: d.id,
            hospitalId: d.hospital,
            specialty: d.spec,
            blockId: b.id,
            seats: d.seats[j]!,
            schoolId: d.reserved ? 'S0' : null,
          })),
        ),
        preferences: r.students.flatMap((s, i) =>
          s.prefs.map((p) => {
            const d = pick(depts, p.dept);
            return {
              studentId: `s${i}`,
              rank: p.rank,
              ...(p.bySpec ? { specialty: d.spec } : { departmentId: d.id }),
              blockId: p.block === undefined ? null : pick(blocks, p.block).id,
            };
          }),
        ),
        // Pins at seatless sites would make most instances with a pin infeasible.
        pins: r.pins
          .map((p) => ({ student: pick(students, p.student), dept: pick(depts, p.dept), block: p.block % blocks.length }))
          .filter((p) => p.dept.seats[p.block]! > 0 && !p.dept.reserved)
          .map((p) => ({ studentId: p.student.id, departmentId: p.dept.id, blockId: blocks[p.block]!.id })),
        bars: r.bars.map((b) => {
          const d = pick(depts, b.dept);
          return {
            studentId: pick(students, b.student).id,
            ...(b.hospital ? { hospitalId: d.hospital } : { departmentId: d.id }),
            blockId: b.block === undefined ? null : pick(blocks, b.block).id,
          };
        }),
        pairs: sameSchoolPairs,
        precedences: r.precedences
          .filter((p) => p.a !== p.b)
          .map((p) => ({ ...(p.everyone ? {} : { studentId: pick(students, p.student).id }), before: SPECS[p.a]!, after: SPECS[p.b]! })),
        // A limit per hospital that has departments (the first line wins).
        hospitalLimits: [...new Map(r.hospitalLimits.map((l) => [`H${l.hospital}`, l.max] as const)).entries()]
          .reverse()
          .filter(([h]) => depts.some((d) => d.hospital === h))
          .map(([hospitalId, maxBlocksPerStudent]) => ({ hospitalId, maxBlocksPerStudent })),
        staffingMinimums: r.staffing.map((m) => ({
          departmentId: pick(depts, m.dept).id,
          minStudents: m.min,
          ...(m.block === undefined ? {} : { blockId: pick(blocks, m.block).id }),
        })),
        unavailable: r.unavailable.map((u) => ({
          studentId: pick(students, u.student).id,
          blockId: pick(blocks, u.block).id,
          reason: 'leave',
        })),
        prerequisites: r.prerequisites.map((p) => ({
          studentId: pick(students, p.student).id,
          specialty: SPECS[p.spec]!,
          notBeforeBlockId: pick(blocks, p.block).id,
        })),
      };
    });
}
