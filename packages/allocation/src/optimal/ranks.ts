import { type Instance } from '../instance';

/**
 * The worst ranks OPTIMAL tries, in increasing order: every rank a student gave, and unranked.
 * At or below the smallest floor every rank has the same caps (each student's own floor), so the
 * same models: only the largest of those ranks is tried (on year80 every floor is at least 2, and
 * worst rank 1 built and solved rank 2's infeasible LP once more).
 */
export function attemptRanks(inst: Instance, floor: Int32Array): number[] {
  const ranks = new Set<number>([inst.unrankedRank]);
  for (const list of inst.candidates) for (const c of list) ranks.add(c.rank);
  const sorted = [...ranks].sort((a, b) => a - b);
  const lowest = floor.reduce((m, f) => Math.min(m, f), Infinity);
  return sorted.filter((w, i) => !(w < lowest && i + 1 < sorted.length && sorted[i + 1]! <= lowest));
}
