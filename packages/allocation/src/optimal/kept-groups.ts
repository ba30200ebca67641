import { type Instance } from '../instance';
import { groupKey } from './decomposed';
import { type Pick } from './session';

/**
 * The lottery's picks a moved student can keep in stage 2 (ADR 0069): those in a group (family
 * and rank) where stage 1 left the student exactly as many blocks as the lottery gave. A search
 * by specialty moves a student's places in one or two specialties; their other blocks need no new
 * timetable, and with them kept, stage 2 only places the blocks of the groups that changed, in
 * the blocks those left. Stage 2 around the lottery (stage-two-around.ts) tries that first; when
 * it does not fit, the moved students are timetabled whole.
 *
 * Keys: student × number of sites + site, as stage-two-around.ts reads them. Only picks that are
 * not already fixed in stage 2 (pins, stage 1's block-level places) count towards a group.
 */
export function keptLotteryPicks(
  inst: Instance,
  blocksAt: readonly Map<number, number>[],
  fixed: readonly Set<number>[],
  changed: ReadonlySet<number>,
  lottery: readonly Pick[],
): Set<number> {
  const nSites = inst.sites.length;
  const byStudent = new Map<number, { group: number; site: number }[]>();
  for (const p of lottery) {
    if (!changed.has(p.student) || fixed[p.student]!.has(p.site)) continue;
    const site = inst.sites[p.site]!;
    const list = byStudent.get(p.student) ?? [];
    list.push({ group: groupKey(inst, site.family, inst.rankOf(p.student, site)), site: p.site });
    byStudent.set(p.student, list);
  }
  const kept = new Set<number>();
  for (const [s, picks] of byStudent) {
    const count = new Map<number, number>();
    for (const { group } of picks) count.set(group, (count.get(group) ?? 0) + 1);
    for (const { group, site } of picks) if (blocksAt[s]!.get(group) === count.get(group)) kept.add(s * nSites + site);
  }
  return kept;
}
