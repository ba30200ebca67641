import { type AllocationInput } from './types';

/**
 * Turns one ranked list per student (ranks 1..n across all specialties, as students submit it)
 * into ranks within each specialty: a student who must do 12 specialties cannot have 12 first
 * choices in a single list, so "first choice" would mean little. After this, each specialty's
 * best-ranked line is rank 1, the next distinct rank 2, and so on, keeping the order the student
 * gave. Lines naming a department take the department's specialty from the sites.
 */
export function normalizeRanksPerSpecialty(input: AllocationInput): AllocationInput {
  const specialtyOf = new Map(input.sites.map((x) => [x.departmentId, x.specialty]));
  const groups = new Map<string, AllocationInput['preferences']>();
  for (const p of input.preferences) {
    const spec = p.specialty ?? specialtyOf.get(p.departmentId ?? '') ?? `?${p.departmentId}`;
    const key = `${p.studentId}\u0000${spec}`;
    groups.set(key, [...(groups.get(key) ?? []), p]);
  }
  const preferences: AllocationInput['preferences'] = [];
  for (const lines of groups.values()) {
    const distinct = [...new Set(lines.map((l) => l.rank))].sort((a, b) => a - b);
    for (const l of lines) preferences.push({ ...l, rank: distinct.indexOf(l.rank) + 1 });
  }
  const { unrankedRank: _dropped, ...rest } = input;
  return { ...rest, preferences };
}
