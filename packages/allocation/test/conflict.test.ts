import fc from 'fast-check';
import { allocate, type AllocationInput, type ConflictPart, type SiteInput } from '../src';
import { instanceArb } from './support/arbitrary';
import { blocks, site, student } from './support/build';
import { bruteForceOptimum } from './support/brute-force';

/**
 * Conflicting sets (deletion filters over students, then over their single constraints and the
 * seat limits) checked against the exhaustive search: the set alone has no complete allocation,
 * and lifting any one of its parts gives one.
 */

type Part = ConflictPart;

/**
 * The instance in which only `parts` hold, built from what the reason reports (kinds, names'
 * ids, specialties): the set's students, each constraint of theirs only when a part names it,
 * seats only where a SEATS part limits them (`seatParts`: sites that were parts, lifted to
 * plenty even without seats). A student without their PLACEMENT is placed at their pins only,
 * with no minimum, group, rotation length or pair (those belong to the placement).
 */
function onlyParts(input: AllocationInput, parts: Part[], seatParts: Part[]): AllocationInput {
  const n = input.blocks.length;
  const ids = new Set(parts.flatMap((p) => p.studentIds ?? []));
  const has = (kind: Part['kind'], match: (p: Part) => boolean = () => true) => parts.some((p) => p.kind === kind && match(p));
  const of = (id: string) => (p: Part) => p.studentIds?.[0] === id;
  const placed = (id: string) => has('PLACEMENT', of(id));
  const same = (a: string | null | undefined, b: string | null | undefined) => (a ?? null) === (b ?? null);
  const pins = (input.pins ?? []).filter((x) =>
    has('PIN', (p) => of(x.studentId)(p) && p.departmentId === x.departmentId && p.blockId === x.blockId),
  );
  const plenty = input.students.length + 1;
  const seatSite = (x: SiteInput, list: Part[]) =>
    list.some((p) => p.kind === 'SEATS' && p.departmentId === x.departmentId && p.blockId === x.blockId);
  return {
    ...input,
    preferences: [],
    students: input.students
      .filter((st) => ids.has(st.id))
      .map((st) => {
        const r = st.requirement;
        let widen = 1;
        const specialties = r.specialties.map((q) => {
          const d = q.durationBlocks ?? 1;
          const keep = d > 1 && placed(st.id) && has('ROTATION_LENGTH', (p) => of(st.id)(p) && p.specialty === q.specialty);
          if (d > 1 && !keep) widen = Math.max(widen, d);
          const step = keep ? d : 1;
          const spec = (p: Part) => of(st.id)(p) && p.specialty === q.specialty;
          return {
            specialty: q.specialty,
            minBlocks: placed(st.id) && has('SPECIALTY_MINIMUM', spec) ? q.minBlocks : 0,
            maxBlocks: has('SPECIALTY_MAXIMUM', spec) ? (q.maxBlocks ?? q.minBlocks) : Math.floor(n / step) * step,
            ...(step > 1 ? { durationBlocks: step } : {}),
          };
        });
        const groups = (r.groups ?? []).filter(
          (g) =>
            placed(st.id) &&
            has('GROUP', (p) => of(st.id)(p) && JSON.stringify(p.specialties) === JSON.stringify([...new Set(g.specialties)].sort())),
        );
        return {
          ...st,
          requirement: {
            blocksToFill: placed(st.id) ? r.blocksToFill : pins.filter((x) => x.studentId === st.id).length,
            specialties,
            electiveMaxBlocks: has('ELECTIVES', of(st.id)) ? r.electiveMaxBlocks : n,
            ...(r.departmentMaxBlocks !== undefined && has('DEPARTMENT_LIMIT', of(st.id))
              ? { departmentMaxBlocks: r.departmentMaxBlocks * widen }
              : {}),
            ...(groups.length ? { groups } : {}),
          },
        };
      }),
    sites: input.sites.map((x) => (seatSite(x, parts) ? x : { ...x, seats: x.seats > 0 || seatSite(x, seatParts) ? plenty : 0 })),
    pins,
    bars: (input.bars ?? []).filter((b) =>
      has(
        'BAR',
        (p) => of(b.studentId)(p) && same(p.departmentId, b.departmentId) && same(p.hospitalId, b.hospitalId) && same(p.blockId, b.blockId),
      ),
    ),
    unavailable: (input.unavailable ?? []).filter((u) => has('UNAVAILABLE', (p) => of(u.studentId)(p) && p.blockId === u.blockId)),
    prerequisites: (input.prerequisites ?? []).filter((q) =>
      has('PREREQUISITE', (p) => of(q.studentId)(p) && p.specialty === q.specialty && p.blockId === q.notBeforeBlockId),
    ),
    precedences: parts
      .filter((p) => p.kind === 'PRECEDENCE')
      .map((p) => ({ studentId: p.studentIds![0]!, before: p.specialties![0]!, after: p.specialties![1]! })),
    pairs: (input.pairs ?? []).filter(
      (q) => q.studentIds.every(placed) && has('PAIR', (p) => [...p.studentIds!].sort().join() === [...q.studentIds].sort().join()),
    ),
    hospitalLimits: (input.hospitalLimits ?? []).filter((l) => has('HOSPITAL_LIMIT', (p) => p.hospitalId === l.hospitalId)),
    staffingMinimums: (input.staffingMinimums ?? []).filter((m) =>
      has('STAFFING_MINIMUM', (p) => p.departmentId === m.departmentId && same(p.blockId, m.blockId)),
    ),
  };
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
  it('are infeasible on their own and minimal: lifting any one part leaves a complete allocation (exhaustive search)', async () => {
    let checked = 0;
    await fc.assert(
      fc.asyncProperty(fc.oneof(crowdedArb, instanceArb(4, 2)), async (input) => {
        const result = await allocate(input, 'OPTIMAL', { timeLimitSeconds: 20 });
        if (result.status !== 'INFEASIBLE') return;
        const reason = result.reasons.find((r) => r.kind === 'CONFLICTING_SET');
        if (!reason) return;
        const { parts, minimal } = reason.conflict!;
        expect(minimal).toBe(true);
        expect(bruteForceOptimum(onlyParts(input, parts, parts))).toBeNull();
        // "At least m or none" is not monotone: with it only the set's infeasibility is a promise.
        if (input.staffingMinimums?.length) return;
        checked++;
        parts.forEach((part, i) => {
          const lifted = parts.filter((p, j) => {
            if (j === i) return false;
            if (part.kind !== 'PLACEMENT') return true;
            const owned = ['SPECIALTY_MINIMUM', 'GROUP', 'ROTATION_LENGTH'].includes(p.kind) && p.studentIds![0] === part.studentIds![0];
            return !owned && !(p.kind === 'PAIR' && p.studentIds!.includes(part.studentIds![0]!));
          });
          if (bruteForceOptimum(onlyParts(input, lifted, parts)) === null)
            throw new Error(`lifting ${part.text} leaves the rest infeasible: ${reason.message}`);
        });
      }),
      { numRuns: Number(process.env.RUNS ?? 300), seed: Number(process.env.SEED ?? 141414) },
    );
    // The property must have met conflicts to mean anything.
    expect(checked).toBeGreaterThan(5);
  });
});
