import {
  AllocationInputError,
  type AllocationInput,
  canonicalizeInput,
  hashAllocationInput,
  normalizeRanksPerSpecialty,
  parseAllocationInput,
  runVariations,
} from '../src';
import { blocks, prefs, site, sites, student } from './support/build';

function input(): AllocationInput {
  return {
    blocks: blocks('b1', 'b2'),
    students: [student('s1', 1, { X: 1 }), student('s2', 1, { X: 1 })],
    sites: [...sites('A', ['b1', 'b2'], 1), site('B', 'b1', 1)],
    preferences: [...prefs('s1', { A: 1, B: 2 }), ...prefs('s2', { B: 1 })],
    pairs: [{ studentIds: ['s2', 's1'] }],
  };
}

describe('input validation, canonical form and hash', () => {
  it('rejects malformed snapshots with every problem listed', () => {
    const bad = {
      ...input(),
      preferences: [
        { studentId: 'ghost', rank: 1, departmentId: 'A' },
        { studentId: 's1', rank: 0, specialty: 'X' },
      ],
      pins: [{ studentId: 's1', departmentId: 'A', blockId: 'nope' }],
    };
    expect(() => parseAllocationInput(bad)).toThrow(AllocationInputError);
    try {
      parseAllocationInput({ ...bad, preferences: [bad.preferences[0]] });
    } catch (e) {
      expect((e as AllocationInputError).issues).toEqual(['a preference names unknown student ghost', 'a pin names unknown block nope']);
    }
    expect(() =>
      parseAllocationInput({ ...input(), preferences: [{ studentId: 's1', rank: 1, departmentId: 'A', specialty: 'X' }] }),
    ).toThrow(/either a departmentId or a specialty/);
    expect(() => parseAllocationInput({ ...input(), sites: [site('A', 'b1', 1), site('A', 'b1', 2)] })).toThrow(/listed twice/);
    expect(() => parseAllocationInput({ ...input(), sites: [site('A', 'b1', 1), site('A', 'b2', 1, 'Y')] })).toThrow(
      /different hospitals or specialties/,
    );
  });

  it('refuses preferences, pins, bars and prerequisites naming unknown departments, hospitals or specialties, naming them', () => {
    const bad: AllocationInput = {
      ...input(),
      preferences: [
        { studentId: 's1', rank: 1, departmentId: 'A' },
        { studentId: 's1', rank: 2, departmentId: 'Nowhere' },
        { studentId: 's2', rank: 1, departmentId: 'Nowhere' },
        { studentId: 's2', rank: 2, specialty: 'Astrology' },
      ],
      pins: [{ studentId: 's1', departmentId: 'Ghost', blockId: 'b1' }],
      bars: [
        { studentId: 's2', hospitalId: 'H-Atlantis' },
        { studentId: 's2', departmentId: 'Ghost' },
      ],
      prerequisites: [{ studentId: 's1', specialty: 'Alchemy', notBeforeBlockId: 'b2' }],
    };
    let issues: string[] = [];
    try {
      parseAllocationInput(bad);
    } catch (e) {
      issues = (e as AllocationInputError).issues;
    }
    expect(issues).toEqual([
      'unknown department Nowhere (named by a preference of s1, a preference of s2)',
      'unknown specialty Astrology (named by a preference of s2)',
      'unknown department Ghost (named by a pin of s1, a bar of s2)',
      'unknown hospital H-Atlantis (named by a bar of s2)',
      'unknown specialty Alchemy (named by a prerequisite of s1)',
    ]);
    // A department with no seat in the run is known through the catalogue; a specialty through the list.
    const known: AllocationInput = {
      ...bad,
      pins: [],
      departments: [
        { departmentId: 'Nowhere', hospitalId: 'H-Atlantis', specialty: 'X' },
        { departmentId: 'Ghost', hospitalId: 'H-Ghost', specialty: 'Alchemy' },
      ],
      specialties: ['Astrology'],
    };
    expect(() => parseAllocationInput(known)).not.toThrow();
    expect(canonicalizeInput(known).departments).toHaveLength(2);
    expect(hashAllocationInput(known)).not.toBe(hashAllocationInput({ ...known, specialties: [] }));
  });

  it('requires electiveMaxBlocks: no default places a student in an unrequired specialty', () => {
    const implicit = {
      ...input(),
      students: input().students.map((s) => ({ ...s, requirement: { ...s.requirement, electiveMaxBlocks: undefined } })),
    };
    expect(() => parseAllocationInput(implicit)).toThrow(/electiveMaxBlocks/);
  });

  it('rejects instead of solving when the snapshot is malformed', async () => {
    await expect(runVariations({ blocks: [] }, { seed: 'x' })).rejects.toThrow(AllocationInputError);
  });

  it('hashes the same instance alike whatever the row order, and differently when it changes', () => {
    const a = input();
    const b: AllocationInput = {
      ...a,
      students: [...a.students].reverse(),
      sites: [...a.sites].reverse(),
      preferences: [...a.preferences].reverse(),
      pairs: [{ studentIds: ['s1', 's2'] }],
    };
    expect(hashAllocationInput(b)).toBe(hashAllocationInput(a));
    expect(canonicalizeInput(b)).toEqual(canonicalizeInput(a));
    expect(hashAllocationInput(a)).toMatch(/^[0-9a-f]{64}$/);
    const changed = { ...a, sites: a.sites.map((x, i) => (i === 0 ? { ...x, seats: 2 } : x)) };
    expect(hashAllocationInput(changed)).not.toBe(hashAllocationInput(a));
    // Block order is the calendar: it matters.
    expect(hashAllocationInput({ ...a, blocks: [...a.blocks].reverse() })).not.toBe(hashAllocationInput(a));
    // null and absent fields are the same.
    expect(hashAllocationInput({ ...a, students: a.students.map((s) => ({ ...s, trackId: null })) })).toBe(hashAllocationInput(a));
  });

  it('turns one ranked list into ranks within each specialty', () => {
    const one: AllocationInput = {
      ...input(),
      sites: [site('A', 'b1', 1, 'X'), site('B', 'b1', 1, 'X'), site('C', 'b1', 1, 'Y')],
      preferences: [...prefs('s1', { C: 1, A: 2, B: 3 }), { studentId: 's1', rank: 4, specialty: 'Y' }],
      unrankedRank: 9,
    };
    const out = normalizeRanksPerSpecialty(one);
    const rankOf = (key: string) => out.preferences.find((p) => (p.departmentId ?? p.specialty) === key)!.rank;
    expect([rankOf('C'), rankOf('A'), rankOf('B'), rankOf('Y')]).toEqual([1, 1, 2, 2]);
    expect(out.unrankedRank).toBeUndefined();
  });
});
