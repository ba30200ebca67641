import { bySequence, type Contribution, fanOut, type RollupSettings, type StoredEvent, str } from './contributions';
import { type Metric } from './metrics';
import { studentPseudonym } from './pseudonyms';

/**
 * Placements' allocation figures (issue 13), from rotations' AllocationRunPublished: per
 * department and block of a published run (so per hospital, department, and the block's term
 * and year), SEATS_OFFERED and SEATS_FILLED (counts of seats, weighted contributions: seat
 * counts are not personal, shown as they are), and per placement of the run FIRST_CHOICE (1 at
 * the student's first choice, else 0: the mean is the first-choice share), PREFERENCE_RANK
 * (ranked placements: mean, median and the rank distribution) and PLACED_UNRANKED (1 at a site
 * the student did not rank: the share). The per-placement ones are about few students in a
 * small cell, so they carry the student's pseudonym and are protected with k distinct students
 * like the other per-student figures.
 *
 * A run's figures stand until a later run's publication replaces it (AllocationRunSuperseded
 * on the run's aggregate): then it contributes nothing, so a school's blocks count the standing
 * run only — a block's figures are its run's. Like every fold, a pure function of the run's
 * events: incremental apply and rebuild agree.
 */
interface SiteFigures {
  hospitalId: string;
  departmentId: string;
  blockId: string;
  startsOn: string;
  seatsOffered: number;
  seatsFilled: number;
}
interface PlacedFigures {
  studentId: string;
  hospitalId: string;
  departmentId: string;
  blockId: string;
  startsOn: string;
  rank: number | null;
}

export function allocationRunContributions(events: readonly StoredEvent[], settings: RollupSettings): Contribution[] {
  const ordered = bySequence(events);
  if (ordered.some((e) => e.type === 'AllocationRunSuperseded')) return [];
  const published = ordered.filter((e) => e.type === 'AllocationRunPublished').at(-1);
  if (!published) return [];
  const p = published.payload;
  const schoolId = str(p.schoolId);
  const out: Contribution[] = [];
  const at = (x: { hospitalId: string; departmentId: string }) => ({
    schoolId,
    hospitalId: x.hospitalId,
    departmentId: x.departmentId,
    teacherId: null,
  });
  const seats = (metric: Metric, s: SiteFigures, weight: number) => {
    if (weight > 0)
      out.push(...fanOut(metric, at(s), s.startsOn, s.blockId, settings, [{ item: '', value: null, evaluator: null, weight }]));
  };
  for (const s of (p.sites as SiteFigures[] | undefined) ?? []) {
    seats('SEATS_OFFERED', s, s.seatsOffered);
    seats('SEATS_FILLED', s, s.seatsFilled);
  }
  for (const pl of (p.placements as PlacedFigures[] | undefined) ?? []) {
    const evaluator = studentPseudonym(pl.studentId);
    const fan = (metric: Metric, value: number) =>
      out.push(...fanOut(metric, at(pl), pl.startsOn, pl.blockId, settings, [{ item: '', value, evaluator }]));
    fan('FIRST_CHOICE', pl.rank === 1 ? 1 : 0);
    fan('PLACED_UNRANKED', pl.rank === null ? 1 : 0);
    if (pl.rank !== null) fan('PREFERENCE_RANK', pl.rank);
  }
  return out;
}

/** An approved swap, counted once at its placement's (new) department, in the period the placement starts. */
export function swapContributions(events: readonly StoredEvent[], settings: RollupSettings): Contribution[] {
  const latest = bySequence(events).at(-1);
  if (!latest || latest.payload.status !== 'APPROVED') return [];
  const p = latest.payload;
  const place = { schoolId: str(p.schoolId), hospitalId: str(p.hospitalId), departmentId: str(p.departmentId), teacherId: null };
  return fanOut('SWAPS_APPROVED', place, str(p.startsOn) as string, str(p.blockId), settings, [{ item: '', value: null, evaluator: null }]);
}
