import { type EntrustmentMode, type LevelRule, type ProgressTrend, type ScaleType } from './model';

/**
 * Competency progress from evidence. Each submitted rating of an item mapped to a competency is
 * one observation. Observations are grouped by scale (type, entrustment mode, range) and each
 * group gets a level by the rule its scale calls for:
 *
 * - LIKERT and NOTSS ratings: the MEAN (rating scales, averaged as their users do);
 * - ENTRUSTMENT, RETROSPECTIVE (e.g. O-SCORE "how much did I have to do"): MEDIAN_OF_RECENT, the
 *   lower median of the latest 5 observations: an ordinal level that was actually given, robust
 *   to one bad day, and following the learner as they grow;
 * - ENTRUSTMENT, PROSPECTIVE (Chen-style "may next time do it with … supervision"):
 *   LATEST_HIGHEST, the level of the most recent decision (the highest, when one submission
 *   rates the competency through several items): a newer entrustment decision supersedes
 *   older ones, down as well as up;
 * - CHECKLIST: PROPORTION_DONE, the share of items done.
 *
 * Entrustment levels are never averaged: "2.6" is not a level of supervision anyone can grant.
 * The headline level is the group with the strongest kind of evidence (prospective entrustment,
 * retrospective entrustment, NOTSS, Likert, checklist; within a kind, most observations).
 */
export type ObservedScale = Exclude<ScaleType, 'NARRATIVE'>;

export interface Observation {
  competencyId: string;
  submissionId: string;
  observedAt: Date;
  scaleType: ObservedScale;
  entrustmentMode: EntrustmentMode | null;
  /** CHECKLIST: 0..1. */
  min: number;
  max: number;
  /** The rating; CHECKLIST: 1 done, 0 not done. */
  value: number;
}

export interface ScaleLevel {
  type: ObservedScale;
  entrustmentMode: EntrustmentMode | null;
  min: number;
  max: number;
  level: number;
  /** The level as a share of the scale's range, 0..1 (comparable across scales). */
  normalized: number;
  rule: LevelRule;
  observationCount: number;
}

export interface Progress {
  levels: ScaleLevel[];
  headline: ScaleLevel | null;
  /** Distinct submissions that gave evidence. */
  evidenceCount: number;
  lastAssessedAt: Date | null;
  trend: ProgressTrend;
}

export const RECENT_WINDOW = 5;
/** A change of the headline level smaller than this share of its range is STABLE. */
export const TREND_THRESHOLD = 0.05;

const round = (n: number, digits: number): number => Math.round(n * 10 ** digits) / 10 ** digits;

/** Oldest first; ties by submission so the order never depends on how rows were fetched. */
const chronological = (a: Observation, b: Observation): number =>
  a.observedAt.getTime() - b.observedAt.getTime() ||
  (a.submissionId < b.submissionId ? -1 : a.submissionId > b.submissionId ? 1 : a.value - b.value);

export function ruleFor(type: ObservedScale, mode: EntrustmentMode | null): LevelRule {
  if (type === 'CHECKLIST') return 'PROPORTION_DONE';
  if (type === 'ENTRUSTMENT') return mode === 'PROSPECTIVE' ? 'LATEST_HIGHEST' : 'MEDIAN_OF_RECENT';
  return 'MEAN';
}

/** The level of one scale group's observations (at least one) by its rule. */
export function levelOf(rule: LevelRule, observations: readonly Observation[]): number {
  const sorted = [...observations].sort(chronological);
  switch (rule) {
    case 'MEAN':
    case 'PROPORTION_DONE':
      return round(sorted.reduce((s, o) => s + o.value, 0) / sorted.length, 2);
    case 'MEDIAN_OF_RECENT': {
      const recent = sorted
        .slice(-RECENT_WINDOW)
        .map((o) => o.value)
        .sort((a, b) => a - b);
      return recent[Math.floor((recent.length - 1) / 2)] as number;
    }
    case 'LATEST_HIGHEST': {
      const last = sorted[sorted.length - 1] as Observation;
      const latest = sorted.filter((o) => o.submissionId === last.submissionId || o.observedAt.getTime() === last.observedAt.getTime());
      return Math.max(...latest.map((o) => o.value));
    }
  }
}

const TYPE_RANK = (type: ObservedScale, mode: EntrustmentMode | null): number =>
  type === 'ENTRUSTMENT' ? (mode === 'PROSPECTIVE' ? 0 : 1) : type === 'NOTSS' ? 2 : type === 'LIKERT' ? 3 : 4;

function scaleLevel(group: readonly Observation[]): ScaleLevel {
  const first = group[0] as Observation;
  const rule = ruleFor(first.scaleType, first.entrustmentMode);
  const level = levelOf(rule, group);
  const span = first.max - first.min;
  return {
    type: first.scaleType,
    entrustmentMode: first.entrustmentMode,
    min: first.min,
    max: first.max,
    level,
    normalized: span > 0 ? round((level - first.min) / span, 4) : 0,
    rule,
    observationCount: group.length,
  };
}

const groupKey = (o: Observation): string => `${o.scaleType}|${o.entrustmentMode ?? ''}|${o.min}|${o.max}`;

function groups(observations: readonly Observation[]): Observation[][] {
  const byKey = new Map<string, Observation[]>();
  for (const o of observations) {
    const key = groupKey(o);
    const group = byKey.get(key);
    if (group) group.push(o);
    else byKey.set(key, [o]);
  }
  return [...byKey.values()];
}

function headlineGroup(all: Observation[][]): Observation[] | null {
  const ranked = [...all].sort((a, b) => {
    const [x, y] = [a[0] as Observation, b[0] as Observation];
    return (
      TYPE_RANK(x.scaleType, x.entrustmentMode) - TYPE_RANK(y.scaleType, y.entrustmentMode) ||
      b.length - a.length ||
      groupKey(x).localeCompare(groupKey(y))
    );
  });
  return ranked[0] ?? null;
}

/** The trend of the headline (`now`, the group's level): its level now against its level before the latest submission. */
function trendOf(group: readonly Observation[], now: number): ProgressTrend {
  const submissions = [...new Set([...group].sort(chronological).map((o) => o.submissionId))];
  if (submissions.length < 2) return 'INSUFFICIENT_EVIDENCE';
  const latest = submissions[submissions.length - 1];
  const before = group.filter((o) => o.submissionId !== latest);
  const then = scaleLevel(before).normalized;
  if (now - then > TREND_THRESHOLD) return 'IMPROVING';
  if (then - now > TREND_THRESHOLD) return 'DECLINING';
  return 'STABLE';
}

/** Progress on one competency (or a competency with its descendants, pooled) from its observations. */
export function progressOf(observations: readonly Observation[]): Progress {
  if (!observations.length) return { levels: [], headline: null, evidenceCount: 0, lastAssessedAt: null, trend: 'INSUFFICIENT_EVIDENCE' };
  const all = groups(observations);
  // Each group is levelled once; the headline and its trend reuse its level.
  const levelOfGroup = new Map(all.map((group) => [group, scaleLevel(group)]));
  const levels = [...levelOfGroup.values()].sort(
    (a, b) => TYPE_RANK(a.type, a.entrustmentMode) - TYPE_RANK(b.type, b.entrustmentMode) || a.min - b.min || a.max - b.max,
  );
  const head = headlineGroup(all) as Observation[];
  const headline = levelOfGroup.get(head) as ScaleLevel;
  let last = -Infinity;
  const submissions = new Set<string>();
  for (const o of observations) {
    last = Math.max(last, o.observedAt.getTime());
    submissions.add(o.submissionId);
  }
  return {
    levels,
    headline: { ...headline },
    evidenceCount: submissions.size,
    lastAssessedAt: new Date(last),
    trend: trendOf(head, headline.normalized),
  };
}
