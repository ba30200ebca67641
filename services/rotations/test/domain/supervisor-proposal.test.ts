import fc from 'fast-check';
import { type ProposalInstructor, type ProposalPlacement, proposeSupervisors } from '../../src/domain/supervisor-proposal';

const instructor = (n: number): ProposalInstructor => ({ id: `00000000-0000-4000-8000-00000000000${n}`, name: `Instructor ${n}` });
const placement = (n: number, block = 'b1', supervisorId: string | null = null): ProposalPlacement => ({
  id: `p-${String(n).padStart(3, '0')}`,
  blockId: block,
  blockName: block === 'b1' ? 'Block 1' : 'Block 2',
  blockStartsOn: block === 'b1' ? '2027-09-06' : '2027-11-01',
  studentName: `Student ${String(n).padStart(3, '0')}`,
  supervisorId,
});
const opts = (maxStudentsPerInstructor: number) => ({ departmentName: 'Cardiology', maxStudentsPerInstructor });

/** Students per instructor per block once the proposal is applied (placements that keep their supervisor included). */
function loads(placements: ProposalPlacement[], proposal: ReturnType<typeof proposeSupervisors>, pool: ProposalInstructor[]) {
  const given = new Map(proposal.assignments.map((a) => [a.placementId, a.supervisorId]));
  const active = new Set(pool.map((i) => i.id));
  const out = new Map<string, number>();
  for (const p of placements) {
    const s = given.get(p.id) ?? (p.supervisorId && active.has(p.supervisorId) ? p.supervisorId : null);
    if (s) out.set(`${p.blockId}/${s}`, (out.get(`${p.blockId}/${s}`) ?? 0) + 1);
  }
  return out;
}

describe('proposeSupervisors', () => {
  it('spreads a block evenly over the instructors, the lighter one first, ties by name', () => {
    const pool = [instructor(2), instructor(1)];
    const ps = [1, 2, 3].map((n) => placement(n));
    const proposal = proposeSupervisors(ps, pool, opts(5));
    expect(proposal.assignments).toEqual([
      { placementId: 'p-001', supervisorId: instructor(1).id, studentsInBlock: 1 },
      { placementId: 'p-002', supervisorId: instructor(2).id, studentsInBlock: 1 },
      { placementId: 'p-003', supervisorId: instructor(1).id, studentsInBlock: 2 },
    ]);
    expect(proposal.unassigned).toEqual([]);
  });

  it('never goes over the cap, and says who is left without a supervisor and why, by name', () => {
    const ps = [1, 2, 3].map((n) => placement(n));
    const proposal = proposeSupervisors(ps, [instructor(1)], opts(2));
    expect(proposal.assignments.map((a) => a.placementId)).toEqual(['p-001', 'p-002']);
    expect(proposal.unassigned).toEqual([
      {
        placementId: 'p-003',
        reason: 'INSTRUCTORS_AT_CAP',
        explanation:
          'Student 003 (Cardiology, Block 1) has no supervisor: each of the 1 clinical instructor of Cardiology already supervises 2 students in Block 1, the cap',
      },
    ]);
  });

  it('says when the department has no active clinical instructor at all', () => {
    const proposal = proposeSupervisors([placement(1)], [], opts(3));
    expect(proposal.assignments).toEqual([]);
    expect(proposal.unassigned).toEqual([
      {
        placementId: 'p-001',
        reason: 'NO_CLINICAL_INSTRUCTOR',
        explanation: 'Student 001 (Cardiology, Block 1) has no supervisor: Cardiology has no active clinical instructor',
      },
    ]);
  });

  it('counts supervisions already in place, keeps them, and replaces a supervisor who is no longer an instructor there', () => {
    const [a, b] = [instructor(1), instructor(2)];
    const ps = [placement(1, 'b1', a.id), placement(2, 'b1', a.id), placement(3, 'b1', 'gone-instructor'), placement(4)];
    const proposal = proposeSupervisors(ps, [a, b], opts(2));
    // a is at the cap with the two it keeps; b takes the other two.
    expect(proposal.assignments).toEqual([
      { placementId: 'p-003', supervisorId: b.id, studentsInBlock: 1 },
      { placementId: 'p-004', supervisorId: b.id, studentsInBlock: 2 },
    ]);
  });

  it('applies the cap per block: an instructor full in one block is free in the next', () => {
    const ps = [placement(1, 'b1'), placement(2, 'b1'), placement(3, 'b2'), placement(4, 'b2')];
    const proposal = proposeSupervisors(ps, [instructor(1)], opts(1));
    expect(proposal.assignments.map((a) => a.placementId)).toEqual(['p-001', 'p-003']);
    expect(proposal.unassigned.map((u) => u.placementId)).toEqual(['p-002', 'p-004']);
  });

  const world = fc.record({
    instructors: fc.integer({ min: 0, max: 5 }),
    cap: fc.integer({ min: 1, max: 6 }),
    placements: fc.array(
      fc.record({ block: fc.constantFrom('b1', 'b2'), existing: fc.option(fc.integer({ min: 1, max: 7 }), { nil: null }) }),
      { maxLength: 40 },
    ),
  });
  const build = (w: { instructors: number; cap: number; placements: { block: string; existing: number | null }[] }) => {
    const pool = Array.from({ length: w.instructors }, (_, i) => instructor(i + 1));
    // An existing supervisor numbered above the pool is someone who is no longer an active instructor there.
    const ps = w.placements.map((p, n) => placement(n, p.block, p.existing === null ? null : instructor(p.existing).id));
    return { pool, ps };
  };

  it('property: no instructor is proposed beyond the cap in a block, and every open placement is either given someone or explained', () => {
    fc.assert(
      fc.property(world, (w) => {
        const { pool, ps } = build(w);
        const proposal = proposeSupervisors(ps, pool, opts(w.cap));
        const given = new Set(proposal.assignments.map((a) => a.supervisorId));
        for (const id of given) expect(pool.some((i) => i.id === id)).toBe(true);
        // Only what the proposal adds is bounded by the cap (a block may already be over it by hand).
        const before = loads(ps, { assignments: [], unassigned: [] }, pool);
        for (const [key, n] of loads(ps, proposal, pool)) if (n > (before.get(key) ?? 0)) expect(n).toBeLessThanOrEqual(w.cap);
        const active = new Set(pool.map((i) => i.id));
        const open = ps.filter((p) => p.supervisorId === null || !active.has(p.supervisorId)).map((p) => p.id);
        expect([...proposal.assignments.map((a) => a.placementId), ...proposal.unassigned.map((u) => u.placementId)].sort()).toEqual(
          open.sort(),
        );
        // Someone is left out only when every instructor of that block is at the cap (or there is none).
        for (const u of proposal.unassigned) {
          const block = ps.find((p) => p.id === u.placementId)!.blockId;
          const after = loads(ps, proposal, pool);
          for (const i of pool) expect(after.get(`${block}/${i.id}`) ?? 0).toBeGreaterThanOrEqual(w.cap);
          expect(u.reason).toBe(pool.length === 0 ? 'NO_CLINICAL_INSTRUCTOR' : 'INSTRUCTORS_AT_CAP');
        }
      }),
    );
  });

  it('property: starting from nobody supervised, the loads of a block differ by at most one', () => {
    fc.assert(
      fc.property(world, (w) => {
        const { pool, ps } = build({ ...w, placements: w.placements.map((p) => ({ ...p, existing: null })) });
        const after = loads(ps, proposeSupervisors(ps, pool, opts(w.cap)), pool);
        for (const block of ['b1', 'b2']) {
          if (!ps.some((p) => p.blockId === block)) continue;
          const counts = pool.map((i) => after.get(`${block}/${i.id}`) ?? 0);
          if (counts.length) expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(1);
        }
      }),
    );
  });

  it('property: deterministic, whatever order the placements and instructors come in', () => {
    fc.assert(
      fc.property(world, fc.integer(), (w, seed) => {
        const { pool, ps } = build(w);
        const shuffle = <T>(xs: T[]): T[] =>
          xs
            .map((x, i) => ({ x, k: (i * 7919 + seed) % 104729 }))
            .sort((a, b) => a.k - b.k)
            .map((e) => e.x);
        expect(proposeSupervisors(shuffle(ps), shuffle(pool), opts(w.cap))).toEqual(proposeSupervisors(ps, pool, opts(w.cap)));
      }),
    );
  });
});
