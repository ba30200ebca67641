import { type Specialty } from './model';
import { refusal } from './refusals';

/** One line of a student's ranking: a department or a specialty, optionally in a given block. */
export interface RankingEntry {
  rank: number;
  departmentId: string | null;
  specialty: Specialty | null;
  blockId: string | null;
}

/**
 * Ranks run 1..n without gaps or duplicates; each entry names exactly one target (a department
 * or a specialty); the same target in the same block appears once.
 */
export function assertValidRanking(entries: readonly RankingEntry[]): void {
  const ranks = entries.map((e) => e.rank).sort((a, b) => a - b);
  if (ranks.some((rank, i) => rank !== i + 1)) {
    throw refusal('INVALID_RANKING', `Ranks must be 1 to ${entries.length}, each used once`, { ranks: entries.map((e) => e.rank) });
  }
  const targetless = entries.filter((e) => (e.departmentId === null) === (e.specialty === null));
  if (targetless.length) {
    throw refusal('INVALID_RANKING', 'Each ranked entry names either a departmentId or a specialty, not both and not neither', {
      ranks: targetless.map((e) => e.rank),
    });
  }
  const seen = new Set<string>();
  for (const e of entries) {
    const key = `${e.departmentId ?? e.specialty}|${e.blockId ?? ''}`;
    if (seen.has(key))
      throw refusal('INVALID_RANKING', 'The same department or specialty is ranked twice for the same block', { rank: e.rank });
    seen.add(key);
  }
}

export interface WindowTerms {
  opensAt: Date;
  closesAt: Date;
}

/** Open from `opensAt` (included) to `closesAt` (excluded). */
export const windowOpen = (w: WindowTerms, now: Date): boolean =>
  w.opensAt.getTime() <= now.getTime() && now.getTime() < w.closesAt.getTime();

/** Preferences are taken only while the school's window for the year is open. */
export function assertWindowOpen(w: WindowTerms | null, now: Date): void {
  if (!w) throw refusal('PREFERENCE_WINDOW_CLOSED', 'No preference window has been opened for this academic year');
  if (!windowOpen(w, now)) {
    const when = now < w.opensAt ? `opens at ${w.opensAt.toISOString()}` : `closed at ${w.closesAt.toISOString()}`;
    throw refusal('PREFERENCE_WINDOW_CLOSED', `The preference window ${when}`, {
      opensAt: w.opensAt.toISOString(),
      closesAt: w.closesAt.toISOString(),
    });
  }
}
