import {
  bySequence,
  type Contribution,
  fanOut,
  fanOutTo,
  type RollupSettings,
  specialtyScopes,
  type StoredEvent,
  str,
} from './contributions';
import { type Metric } from './metrics';
import { pseudonymKeyOf, studentPseudonym } from './pseudonyms';

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
 *
 * Every published run, superseded or not, also counts under the RUN_* metrics with the run's id
 * as the item (ADR 0030, point 7): one (metric, item) per run, so each run is its own protected
 * tree and a quality officer can read and compare runs (allocationRuns). Separate metrics, as
 * ADR 0031 argues: the same placements split by run and by standing run under one metric would
 * make its network row the sum of both.
 *
 * The same per-run figures again along network → specialty (RUN_SPECIALTY_*, ADR 0043): the
 * department's specialty as rotations published it with the run, so a run reads per specialty
 * across hospitals. A third partition of the network's placements, hence metrics of its own;
 * `allocationRuns` protects them together with the departments they add up.
 */
interface SiteFigures {
  hospitalId: string;
  departmentId: string;
  specialty?: string;
  blockId: string;
  startsOn: string;
  seatsOffered: number;
  seatsFilled: number;
}
interface PlacedFigures {
  studentId: string;
  hospitalId: string;
  departmentId: string;
  specialty?: string;
  blockId: string;
  startsOn: string;
  rank: number | null;
}

type RunFigure = 'offered' | 'filled' | 'firstChoice' | 'rank' | 'unranked';
const STANDING: Record<RunFigure, Metric> = {
  offered: 'SEATS_OFFERED',
  filled: 'SEATS_FILLED',
  firstChoice: 'FIRST_CHOICE',
  rank: 'PREFERENCE_RANK',
  unranked: 'PLACED_UNRANKED',
};
const BY_RUN: Record<RunFigure, Metric> = {
  offered: 'RUN_SEATS_OFFERED',
  filled: 'RUN_SEATS_FILLED',
  firstChoice: 'RUN_FIRST_CHOICE',
  rank: 'RUN_PREFERENCE_RANK',
  unranked: 'RUN_PLACED_UNRANKED',
};
const BY_RUN_SPECIALTY: Record<RunFigure, Metric> = {
  offered: 'RUN_SPECIALTY_SEATS_OFFERED',
  filled: 'RUN_SPECIALTY_SEATS_FILLED',
  firstChoice: 'RUN_SPECIALTY_FIRST_CHOICE',
  rank: 'RUN_SPECIALTY_PREFERENCE_RANK',
  unranked: 'RUN_SPECIALTY_PLACED_UNRANKED',
};

export function allocationRunContributions(events: readonly StoredEvent[], settings: RollupSettings): Contribution[] {
  const ordered = bySequence(events);
  const published = ordered.filter((e) => e.type === 'AllocationRunPublished').at(-1);
  if (!published) return [];
  const standing = !ordered.some((e) => e.type === 'AllocationRunSuperseded');
  const p = published.payload;
  const schoolId = str(p.schoolId);
  const runId = str(p.runId) ?? published.id;
  const out: Contribution[] = [];
  const at = (x: { hospitalId: string; departmentId: string }) => ({
    schoolId,
    hospitalId: x.hospitalId,
    departmentId: x.departmentId,
    teacherId: null,
  });
  // The standing figures (item ''), while the run stands; the run's own (item = run id), always.
  const figures: [Record<RunFigure, Metric>, string][] = standing
    ? [
        [STANDING, ''],
        [BY_RUN, runId],
      ]
    : [[BY_RUN, runId]];
  const seats = (figure: RunFigure, s: SiteFigures, weight: number) => {
    if (weight <= 0) return;
    const values = (item: string) => [{ item, value: null, evaluator: null, weight }];
    for (const [metrics, item] of figures) out.push(...fanOut(metrics[figure], at(s), s.startsOn, s.blockId, settings, values(item)));
    const scopes = specialtyScopes(s.specialty);
    out.push(...fanOutTo(BY_RUN_SPECIALTY[figure], schoolId, scopes, s.startsOn, s.blockId, settings, values(runId)));
  };
  for (const s of (p.sites as SiteFigures[] | undefined) ?? []) {
    seats('offered', s, s.seatsOffered);
    seats('filled', s, s.seatsFilled);
  }
  for (const pl of (p.placements as PlacedFigures[] | undefined) ?? []) {
    const evaluator = studentPseudonym(pl.studentId, pseudonymKeyOf(settings));
    const scopes = specialtyScopes(pl.specialty);
    const fan = (figure: RunFigure, value: number) => {
      for (const [metrics, item] of figures)
        out.push(...fanOut(metrics[figure], at(pl), pl.startsOn, pl.blockId, settings, [{ item, value, evaluator }]));
      out.push(
        ...fanOutTo(BY_RUN_SPECIALTY[figure], schoolId, scopes, pl.startsOn, pl.blockId, settings, [{ item: runId, value, evaluator }]),
      );
    };
    fan('firstChoice', pl.rank === 1 ? 1 : 0);
    fan('unranked', pl.rank === null ? 1 : 0);
    if (pl.rank !== null) fan('rank', pl.rank);
  }
  return out;
}

/**
 * An approved swap, counted once at its placement's (new) department, in the period the placement
 * starts — and again at that department's specialty (SPECIALTY_SWAPS_APPROVED, ADR 0047).
 */
export function swapContributions(events: readonly StoredEvent[], settings: RollupSettings): Contribution[] {
  const latest = bySequence(events).at(-1);
  if (!latest || latest.payload.status !== 'APPROVED') return [];
  const p = latest.payload;
  const place = { schoolId: str(p.schoolId), hospitalId: str(p.hospitalId), departmentId: str(p.departmentId), teacherId: null };
  const [startsOn, blockId] = [str(p.startsOn) as string, str(p.blockId)];
  const values = [{ item: '', value: null, evaluator: null }];
  return [
    ...fanOut('SWAPS_APPROVED', place, startsOn, blockId, settings, values),
    ...fanOutTo('SPECIALTY_SWAPS_APPROVED', place.schoolId, specialtyScopes(str(p.specialty)), startsOn, blockId, settings, values),
  ];
}
