import fc from 'fast-check';
import { type AssignmentArc, assignOptimal } from '../../src/domain/assignment';
import { acceptanceConflicts, planMatching } from '../../src/domain/matching-plan';
import { eligibility, type MentorFacts, type StudentFacts } from '../../src/domain/matching-score';
import { SPECIALTIES } from '../../src/domain/model';

describe('assignOptimal', () => {
  it('serves more students before it chases a higher total score', () => {
    // Greedy by score would give s1 to m1 (90) and leave s2 without a mentor.
    const result = assignOptimal({
      studentIds: ['s1', 's2'],
      seats: new Map([
        ['m1', 1],
        ['m2', 1],
      ]),
      arcs: [
        { studentId: 's1', mentorId: 'm1', weight: 90 },
        { studentId: 's1', mentorId: 'm2', weight: 80 },
        { studentId: 's2', mentorId: 'm1', weight: 10 },
      ],
    });
    expect(result).toEqual([
      { studentId: 's1', mentorId: 'm2', weight: 80 },
      { studentId: 's2', mentorId: 'm1', weight: 10 },
    ]);
  });

  it('fills a mentor with several seats and leaves out students without an arc', () => {
    const result = assignOptimal({
      studentIds: ['a', 'b', 'c'],
      seats: new Map([['m', 2]]),
      arcs: [
        { studentId: 'a', mentorId: 'm', weight: 5 },
        { studentId: 'b', mentorId: 'm', weight: 7 },
      ],
    });
    expect(result.map((r) => r.studentId)).toEqual(['a', 'b']);
  });

  it('returns nothing when there are no seats or arcs', () => {
    expect(assignOptimal({ studentIds: ['a'], seats: new Map([['m', 0]]), arcs: [{ studentId: 'a', mentorId: 'm', weight: 1 }] })).toEqual(
      [],
    );
    expect(assignOptimal({ studentIds: ['a'], seats: new Map([['m', 3]]), arcs: [] })).toEqual([]);
  });

  /** Every assignment by exhaustive search: the best (count, total) pair. */
  function bruteForce(students: string[], seats: Map<string, number>, arcs: AssignmentArc[]): [number, number] {
    let best: [number, number] = [0, 0];
    const left = new Map(seats);
    const walk = (i: number, count: number, total: number) => {
      if (count > best[0] || (count === best[0] && total > best[1])) best = [count, total];
      if (i === students.length) return;
      walk(i + 1, count, total);
      for (const a of arcs.filter((x) => x.studentId === students[i])) {
        const n = left.get(a.mentorId) ?? 0;
        if (n <= 0) continue;
        left.set(a.mentorId, n - 1);
        walk(i + 1, count + 1, total + a.weight);
        left.set(a.mentorId, n);
      }
    };
    walk(0, 0, 0);
    return best;
  }

  it('finds the same optimum as exhaustive search on small instances', () => {
    const instance = fc
      .record({ students: fc.integer({ min: 1, max: 5 }), mentors: fc.integer({ min: 1, max: 3 }) })
      .chain(({ students, mentors }) =>
        fc.record({
          students: fc.constant(Array.from({ length: students }, (_, i) => `s${i}`)),
          seats: fc.array(fc.integer({ min: 0, max: 3 }), { minLength: mentors, maxLength: mentors }),
          weights: fc.array(fc.option(fc.integer({ min: 0, max: 100 }), { nil: null }), {
            minLength: students * mentors,
            maxLength: students * mentors,
          }),
        }),
      );
    fc.assert(
      fc.property(instance, ({ students, seats: seatList, weights }) => {
        const seats = new Map(seatList.map((n, j) => [`m${j}`, n]));
        const arcs: AssignmentArc[] = [];
        weights.forEach((w, k) => {
          if (w !== null) arcs.push({ studentId: `s${Math.floor(k / seatList.length)}`, mentorId: `m${k % seatList.length}`, weight: w });
        });
        const result = assignOptimal({ studentIds: students, seats, arcs });
        const total = result.reduce((sum, r) => sum + r.weight, 0);
        expect([result.length, total]).toEqual(bruteForce(students, seats, arcs));
      }),
      { numRuns: 200 },
    );
  });
});

// ---- property tests of the whole matching: capacity, eligibility, acceptance --------------

const SCHOOL = 'school';
const PARTNER = 'partner';
const partners = new Set([PARTNER]);

const studentArb = (i: number) =>
  fc
    .record({
      priorClinicalYears: fc.constantFrom(0, 0, 1, 3),
      trackKind: fc.constantFrom(null, 'CLINICAL_PRACTICE', 'RESEARCH', 'SPECIALTY'),
      specialtyInterests: fc.subarray(SPECIALTIES.slice(0, 4) as string[], { maxLength: 2 }),
    })
    .map((s): StudentFacts => ({
      id: `s${String(i).padStart(2, '0')}`,
      schoolId: SCHOOL,
      priorClinicalYears: s.priorClinicalYears,
      trackKind: s.trackKind as StudentFacts['trackKind'],
      specialtyInterests: s.specialtyInterests as StudentFacts['specialtyInterests'],
      researchInterests: [],
      preferredFormat: null,
      currentMentorIds: [],
    }));

const mentorArb = (j: number) =>
  fc
    .record({
      institutionId: fc.constantFrom(SCHOOL, PARTNER, 'stranger'),
      isMentor: fc.boolean().map((b) => b || j % 2 === 0),
      isClinicalInstructor: fc.boolean(),
      capacity: fc.integer({ min: 1, max: 4 }),
      menteeCount: fc.integer({ min: 0, max: 4 }),
      acceptingMentees: fc.boolean().map((b) => b || j % 3 !== 0),
      researchActive: fc.boolean(),
      specialties: fc.subarray(SPECIALTIES.slice(0, 4) as string[], { maxLength: 2 }),
    })
    .map((m): MentorFacts => ({
      id: `m${j}`,
      ...m,
      menteeCount: Math.min(m.menteeCount, m.capacity),
      specialties: m.specialties as MentorFacts['specialties'],
      researchAreas: [],
      formats: ['ONE_ON_ONE'],
    }));

const cohortArb = fc
  .record({ students: fc.integer({ min: 0, max: 14 }), mentors: fc.integer({ min: 0, max: 6 }) })
  .chain(({ students, mentors }) =>
    fc.record({
      students: fc.tuple(...Array.from({ length: students }, (_, i) => studentArb(i))),
      mentors: fc.tuple(...Array.from({ length: mentors }, (_, j) => mentorArb(j))),
    }),
  );

describe('matching runs (property tests)', () => {
  it('never puts a mentor over capacity, and every proposal respects eligibility', () => {
    fc.assert(
      fc.property(cohortArb, ({ students, mentors }) => {
        const plan = planMatching(students, mentors, partners);
        const byMentor = new Map<string, number>();
        for (const p of plan.proposals) byMentor.set(p.mentorId, (byMentor.get(p.mentorId) ?? 0) + 1);
        for (const m of mentors) expect(m.menteeCount + (byMentor.get(m.id) ?? 0)).toBeLessThanOrEqual(m.capacity);
        for (const p of plan.proposals) {
          const s = students.find((x) => x.id === p.studentId)!;
          const m = mentors.find((x) => x.id === p.mentorId)!;
          expect(eligibility(s, m, partners)).toEqual({ eligible: true });
          expect(p.score).toBeGreaterThanOrEqual(0);
          expect(p.score).toBeLessThanOrEqual(100);
        }
        // Every student is either proposed once or listed as unmatched.
        const proposed = plan.proposals.map((p) => p.studentId);
        expect(new Set(proposed).size).toBe(proposed.length);
        expect([...proposed, ...plan.unmatchedStudentIds].sort()).toEqual(students.map((s) => s.id).sort());
        expect(plan.totalScore).toBe(plan.proposals.reduce((sum, p) => sum + p.score, 0));
      }),
      { numRuns: 300 },
    );
  });

  it('after acceptance no mentor exceeds capacity, even when mentorships were added in between', () => {
    const scenario = cohortArb.chain(({ students, mentors }) =>
      fc.record({
        students: fc.constant(students),
        mentors: fc.constant(mentors),
        // Mentees other coordinators added to each mentor between the run and its acceptance.
        addedMeanwhile: fc.array(fc.integer({ min: 0, max: 2 }), { minLength: mentors.length, maxLength: mentors.length }),
        matchedMeanwhile: fc.subarray(students.map((s) => s.id)),
      }),
    );
    fc.assert(
      fc.property(scenario, ({ students, mentors, addedMeanwhile, matchedMeanwhile }) => {
        const plan = planMatching(students, mentors, partners);
        const now = new Map(
          mentors.map((m, j) => [
            m.id,
            {
              capacity: m.capacity,
              acceptingMentees: m.acceptingMentees,
              reachable: true,
              menteeCount: Math.min(m.capacity, m.menteeCount + (addedMeanwhile[j] ?? 0)),
            },
          ]),
        );
        const conflicts = acceptanceConflicts(plan.proposals, now, new Set(matchedMeanwhile));
        if (conflicts) return; // refused as a whole: nothing is created
        for (const [id, m] of now) {
          const added = plan.proposals.filter((p) => p.mentorId === id).length;
          expect(m.menteeCount + added).toBeLessThanOrEqual(m.capacity);
        }
        for (const p of plan.proposals) expect(matchedMeanwhile).not.toContain(p.studentId);
      }),
      { numRuns: 300 },
    );
  });

  it('refuses acceptance when a mentor stopped accepting or is out of reach', () => {
    const proposals = [{ studentId: 's1', mentorId: 'm1' }];
    const base = { capacity: 2, menteeCount: 0, acceptingMentees: true, reachable: true };
    expect(acceptanceConflicts(proposals, new Map([['m1', base]]), new Set())).toBeNull();
    expect(acceptanceConflicts(proposals, new Map([['m1', { ...base, reachable: false }]]), new Set())?.unavailableMentorIds).toEqual([
      'm1',
    ]);
    expect(acceptanceConflicts(proposals, new Map(), new Set())?.unavailableMentorIds).toEqual(['m1']);
    expect(acceptanceConflicts(proposals, new Map([['m1', { ...base, menteeCount: 2 }]]), new Set())?.overCapacityMentorIds).toEqual([
      'm1',
    ]);
    expect(acceptanceConflicts(proposals, new Map([['m1', base]]), new Set(['s1']))?.alreadyMatchedStudentIds).toEqual(['s1']);
  });
});
