import fc from 'fast-check';
import { allocate, type AllocationInput, type InfeasibilityReason } from '../src';
import { instanceArb } from './support/arbitrary';
import { blocks, site, student } from './support/build';
import { bruteForceOptimum } from './support/brute-force';

/**
 * Conflicting sets (a deletion filter over students' requirements and seat limits) checked
 * against the exhaustive search: the set alone has no complete allocation, and lifting any one
 * of its members gives one.
 */

type Conflict = NonNullable<InfeasibilityReason['conflict']>;

/** The instance with only the set's students, and every seat limit outside the set lifted. */
function restrictTo(input: AllocationInput, studentIds: string[], seats: Conflict['seats']): AllocationInput {
  const keep = new Set(studentIds);
  const limited = new Set(seats.map((x) => `${x.departmentId}|${x.blockId}`));
  const lifted = input.students.length + 1;
  return {
    ...input,
    students: input.students.filter((s) => keep.has(s.id)),
    sites: input.sites.map((x) => (limited.has(`${x.departmentId}|${x.blockId}`) || x.seats <= 0 ? x : { ...x, seats: lifted })),
    preferences: input.preferences.filter((p) => keep.has(p.studentId)),
    pins: (input.pins ?? []).filter((p) => keep.has(p.studentId)),
    bars: (input.bars ?? []).filter((p) => keep.has(p.studentId)),
    pairs: (input.pairs ?? []).filter((p) => p.studentIds.every((id) => keep.has(id))),
    prerequisites: (input.prerequisites ?? []).filter((p) => keep.has(p.studentId)),
    unavailable: (input.unavailable ?? []).filter((p) => keep.has(p.studentId)),
    precedences: (input.precedences ?? []).filter((p) => !p.studentId || keep.has(p.studentId)),
  };
}

/** Pair partners leave together (a pair group is one requirement of the set). */
function unitOf(input: AllocationInput, id: string): string[] {
  let unit = new Set([id]);
  for (let grew = true; grew;) {
    grew = false;
    for (const p of input.pairs ?? [])
      if (p.studentIds.some((s) => unit.has(s)) && !p.studentIds.every((s) => unit.has(s))) {
        unit = new Set([...unit, ...p.studentIds]);
        grew = true;
      }
  }
  return [...unit];
}

/**
 * Students who can each be placed alone but crowd a few seats (random instances are mostly
 * infeasible because of one student alone, whose set is just them and is not reported).
 */
const crowdedArb: fc.Arbitrary<AllocationInput> = fc
  .record({
    seats: fc.array(fc.constantFrom(0, 1, 1, 2), { minLength: 6, maxLength: 6 }),
    students: fc.array(
      fc.record({
        needs: fc.constantFrom<Record<string, number>[]>({ X: 1 }, { Y: 1 }, { X: 1, Y: 1 }),
        away: fc.option(fc.constantFrom('b1', 'b2'), { nil: undefined }),
        barred: fc.option(fc.constantFrom('X1', 'X2', 'Y1'), { nil: undefined }),
      }),
      { minLength: 2, maxLength: 6 },
    ),
  })
  .map(({ seats, students }) => {
    const departments: [string, string][] = [
      ['X1', 'X'],
      ['X2', 'X'],
      ['Y1', 'Y'],
    ];
    return {
      blocks: blocks('b1', 'b2'),
      students: students.map((s, i) => student(`s${i}`, Object.keys(s.needs).length, s.needs)),
      sites: departments.flatMap(([d, spec], j) => [site(d, 'b1', seats[2 * j]!, spec), site(d, 'b2', seats[2 * j + 1]!, spec)]),
      preferences: [],
      unavailable: students.flatMap((s, i) => (s.away ? [{ studentId: `s${i}`, blockId: s.away }] : [])),
      bars: students.flatMap((s, i) => (s.barred ? [{ studentId: `s${i}`, departmentId: s.barred }] : [])),
    };
  });

describe('conflicting sets', () => {
  it('are infeasible on their own and minimal: lifting any one member leaves a complete allocation', async () => {
    let checked = 0;
    await fc.assert(
      fc.asyncProperty(fc.oneof(crowdedArb, instanceArb(4, 2)), async (input) => {
        const result = await allocate(input, 'OPTIMAL', { timeLimitSeconds: 20 });
        if (result.status !== 'INFEASIBLE') return;
        const reason = result.reasons.find((r) => r.kind === 'CONFLICTING_SET');
        if (!reason) return;
        const { studentIds, seats, minimal } = reason.conflict!;
        expect(minimal).toBe(true);
        expect(reason.message).toMatch(/^These cannot all be met together: /);
        checked++;
        expect(bruteForceOptimum(restrictTo(input, studentIds, seats))).toBeNull();
        for (const id of studentIds) {
          const gone = new Set(unitOf(input, id));
          expect(
            bruteForceOptimum(
              restrictTo(
                input,
                studentIds.filter((s) => !gone.has(s)),
                seats,
              ),
            ),
          ).not.toBeNull();
        }
        for (const seat of seats)
          expect(
            bruteForceOptimum(
              restrictTo(
                input,
                studentIds,
                seats.filter((x) => x !== seat),
              ),
            ),
          ).not.toBeNull();
      }),
      { numRuns: Number(process.env.RUNS ?? 300), seed: Number(process.env.SEED ?? 141414) },
    );
    // The property must have met conflicts between several requirements to mean anything.
    expect(checked).toBeGreaterThan(5);
  });
});
