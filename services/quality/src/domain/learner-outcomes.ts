import {
  bySequence,
  type Contribution,
  dateOf,
  learnerScopes,
  type RollupSettings,
  shareOfScale,
  type StoredEvent,
  str,
  studentPseudonym,
} from './contributions';
import { ALL_SCHOOLS, type Metric } from './metrics';
import { academicYearOf, type PeriodRef, termOf } from './periods';
import { pseudonymKeyOf } from './pseudonyms';

/**
 * Learner outcomes that are about a STUDENT, not one assessment: whether the student is below
 * the expected level in a period, and how ready they are for each post profile. Both need all
 * of a student's assessments at once, so quality keeps a derived aggregate per student
 * (`Learner`, id = the student): its contribution is a pure function of the latest version of
 * each of the student's assessments and of the post profiles, recomputed whenever one of them
 * changes (and by a rebuild), so incremental rollups still equal a rebuild.
 *
 * - BELOW_EXPECTED (per block, term and year): 1 when the student's latest summative result on
 *   some competency in the period is in the lower half of its scale (the rule mentorship uses to
 *   tell mentors, services/mentorship/src/domain/assessment-level.ts; checklists and degenerate
 *   scales say nothing), else 0 — the mean is the share of students below the expected level.
 * - READINESS (per term and year, item = the post profile): the mean attainment of the profile's
 *   requirements with all evidence up to the period's end (cumulative): per requirement, the
 *   latest result on that competency mapped onto the profile's scale; met → 1, no evidence → 0,
 *   otherwise the share of the way from the scale's bottom to the required level. Simpler than
 *   assessment's readiness (no pooling, no competency hierarchy), and stated so in the README.
 *   Counted in a period only when the student has assessments in it.
 */
export const LEARNER_AGGREGATE = 'Learner';

interface Result {
  competencyId: string;
  scaleType: string;
  value: number;
  min: number;
  max: number;
}

interface Assessment {
  submissionId: string;
  submittedAt: string;
  date: string;
  summative: boolean;
  schoolId: string | null;
  programId: string | null;
  cohortYear: number | null;
  blockId: string | null;
  results: Result[];
}

interface Profile {
  id: string;
  min: number;
  max: number;
  requirements: { competencyId: string; level: number }[];
}

const byTime = (a: Assessment, b: Assessment): number =>
  a.submittedAt.localeCompare(b.submittedAt) || a.submissionId.localeCompare(b.submissionId);

/** The latest result per competency, over assessments in time order. */
function latestByCompetency(assessments: readonly Assessment[], accept: (r: Result) => boolean): Map<string, Result> {
  const latest = new Map<string, Result>();
  for (const a of assessments) for (const r of a.results) if (accept(r)) latest.set(r.competencyId, r);
  return latest;
}

const says = (r: Result): boolean => r.scaleType !== 'CHECKLIST' && r.max > r.min;

/** True when some competency's latest summative result is below the expected level (null: no evidence). */
export function belowExpected(assessments: readonly Assessment[]): boolean | null {
  const latest = latestByCompetency(
    assessments.filter((a) => a.summative),
    says,
  );
  if (!latest.size) return null;
  return [...latest.values()].some((r) => (r.value - r.min) / (r.max - r.min) < 0.5);
}

/** Readiness (0–1, to thousandths) of a student for a profile, from their assessments so far. */
export function readinessFor(profile: Profile, assessments: readonly Assessment[]): number {
  if (!profile.requirements.length) return 1;
  const latest = latestByCompetency(assessments, says);
  const span = profile.max - profile.min;
  const attainments = profile.requirements.map((req) => {
    const r = latest.get(req.competencyId);
    if (!r) return 0;
    const level = profile.min + shareOfScale(r) * span;
    if (level >= req.level - 1e-9 || req.level <= profile.min) return 1;
    return Math.min(1, Math.max(0, (level - profile.min) / (req.level - profile.min)));
  });
  return Math.round((attainments.reduce((s, x) => s + x, 0) / attainments.length) * 1000) / 1000;
}

function assessmentsOf(events: readonly StoredEvent[]): Assessment[] {
  const latest = new Map<string, StoredEvent>();
  for (const e of bySequence(events.filter((x) => x.type === 'AssessmentSubmitted'))) latest.set(str(e.payload.submissionId) ?? e.id, e);
  return [...latest.values()]
    .map((e) => {
      const p = e.payload;
      const submittedAt = str(p.submittedAt) as string;
      return {
        submissionId: str(p.submissionId) ?? e.id,
        submittedAt,
        date: dateOf(submittedAt),
        summative: p.purpose === 'SUMMATIVE',
        schoolId: str(p.schoolId),
        programId: str(p.programId),
        cohortYear: typeof p.cohortYear === 'number' ? p.cohortYear : null,
        blockId: str(p.blockId),
        results: (p.competencyResults as Result[] | undefined) ?? [],
      };
    })
    .filter((a) => a.results.length)
    .sort(byTime);
}

function profilesOf(events: readonly StoredEvent[]): Profile[] {
  const latest = new Map<string, StoredEvent>();
  for (const e of bySequence(events.filter((x) => x.type === 'PostProfilePublished'))) latest.set(str(e.payload.postProfileId) ?? e.id, e);
  return [...latest.values()]
    .map((e) => {
      const p = e.payload as { postProfileId: string; scale: { min: number; max: number }; requirements: Profile['requirements'] };
      return { id: p.postProfileId, min: p.scale.min, max: p.scale.max, requirements: p.requirements };
    })
    .filter((p) => p.max > p.min)
    .sort((a, b) => a.id.localeCompare(b.id));
}

/**
 * The Learner aggregate's contribution: `events` are every version of the student's assessments
 * and every post profile event, in any order.
 */
export function learnerContributions(studentId: string, events: readonly StoredEvent[], settings: RollupSettings): Contribution[] {
  const assessments = assessmentsOf(events);
  if (!assessments.length) return [];
  const profiles = profilesOf(events);
  const student = studentPseudonym(studentId, pseudonymKeyOf(settings));
  const startMonth = settings.academicYearStartMonth;
  const out: Contribution[] = [];
  const push = (metric: Metric, period: PeriodRef, inPeriod: readonly Assessment[], item: string, value: number) => {
    // Where the student stood in the period: their latest assessment's school, program and cohort.
    const last = inPeriod.at(-1)!;
    for (const school of last.schoolId ? [ALL_SCHOOLS, last.schoolId] : [ALL_SCHOOLS])
      for (const scope of learnerScopes(last.programId, last.cohortYear))
        out.push({
          key: {
            metric,
            school,
            scopeKind: scope.kind,
            scopeId: scope.id,
            periodKind: period.kind,
            periodId: period.id,
            item,
            parent: scope.parent,
          },
          value,
          evaluator: student,
        });
  };
  const periods = new Map<string, { period: PeriodRef; members: Assessment[] }>();
  const add = (period: PeriodRef, a: Assessment) => {
    const k = `${period.kind}\u0001${period.id}`;
    if (!periods.has(k)) periods.set(k, { period, members: [] });
    periods.get(k)!.members.push(a);
  };
  for (const a of assessments) {
    if (a.blockId) add({ kind: 'BLOCK', id: a.blockId }, a);
    add({ kind: 'TERM', id: termOf(a.date, startMonth) }, a);
    add({ kind: 'YEAR', id: academicYearOf(a.date, startMonth) }, a);
  }
  for (const { period, members } of [...periods.values()].sort((x, y) =>
    (x.period.kind + x.period.id).localeCompare(y.period.kind + y.period.id),
  )) {
    const below = belowExpected(members);
    if (below !== null) push('BELOW_EXPECTED', period, members, '', below ? 1 : 0);
    if (period.kind === 'BLOCK') continue;
    // Cumulative: every assessment up to the period's last one.
    const last = members.at(-1)!;
    const sofar = assessments.filter((a) => byTime(a, last) <= 0);
    for (const profile of profiles) push('READINESS', period, members, profile.id, readinessFor(profile, sofar));
  }
  return out;
}
