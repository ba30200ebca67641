import { meanOf } from './cells';
import { isEvaluationMetric, type Metric } from './metrics';
import { type CellRow } from './report';

/**
 * The anonymous peer benchmark: where a department stands among departments of the same
 * specialty across the network, as a percentile (share of peers below, ties counting half).
 * Only peers with a comparable value count (an evaluation figure needs k evaluators), and
 * nothing is returned with fewer than MIN_PEERS of them, so no single peer's value can be
 * inferred from the answer.
 */
export const MIN_PEERS = 5;

const RATE_OF: Partial<Record<Metric, Metric>> = {
  TASKS_ON_TIME: 'TASKS_ASSIGNED',
  TASKS_LATE: 'TASKS_ASSIGNED',
  TASKS_DECLINED: 'TASKS_ASSIGNED',
  TASKS_EXPIRED: 'TASKS_ASSIGNED',
  TASKS_WITHDRAWN: 'TASKS_ASSIGNED',
  TASKS_CANCELLED: 'TASKS_ASSIGNED',
  TASKS_OPEN: 'TASKS_ASSIGNED',
  PLACEMENTS_COMPLETED: 'PLACEMENTS',
  PLACEMENTS_CANCELLED: 'PLACEMENTS',
  MENTEES_WITHOUT_MEETING: 'MEETINGS_PER_MENTEE',
};

/** The metrics whose cells the benchmark of `metric` reads. */
export const benchmarkMetrics = (metric: Metric): Metric[] => [metric, ...(RATE_OF[metric] ? [RATE_OF[metric] as Metric] : [])];

/** Figures compared by their mean (days, reminders per completed task, the share of placements cancelled), not their count. */
const PER_TASK: ReadonlySet<Metric> = new Set([
  'DAYS_TO_SUBMIT',
  'REMINDERS_PER_TASK',
  'ESCALATIONS_PER_TASK',
  'PLACEMENTS_CANCELLED_SHARE',
]);

/** A department's comparable value of `metric` (mean, or share of its base), or null. */
export function valueOf(metric: Metric, cells: readonly CellRow[], departmentId: string, k: number): number | null {
  const cell = cells.find((c) => c.scopeId === departmentId && c.metric === metric && c.item === '');
  const base = RATE_OF[metric];
  if (base) {
    const of = cells.find((c) => c.scopeId === departmentId && c.metric === base && c.item === '');
    return of && of.n > 0 ? (cell?.n ?? 0) / of.n : null;
  }
  if (!cell || cell.n === 0) return null;
  if (isEvaluationMetric(metric) && cell.evaluators < k) return null;
  return PER_TASK.has(metric) || isEvaluationMetric(metric) ? meanOf(cell.n, cell.totalMilli) : cell.n;
}

/** Percentile 0–100 of `own` among `peers` (others only); null without own value or enough peers. */
export function percentile(own: number | null, peers: readonly (number | null)[], lowerIsBetter = false): number | null {
  const values = peers.filter((v): v is number => v !== null);
  if (own === null || values.length < MIN_PEERS) return null;
  const below = values.filter((v) => (lowerIsBetter ? v > own : v < own)).length;
  const ties = values.filter((v) => v === own).length;
  return Math.round(((below + ties / 2) / values.length) * 1000) / 10;
}

/** For these, less is better (a department with fewer late tasks stands higher). */
export const LOWER_IS_BETTER: ReadonlySet<Metric> = new Set([
  'TASKS_LATE',
  'TASKS_DECLINED',
  'TASKS_EXPIRED',
  'DAYS_TO_SUBMIT',
  'REMINDERS_PER_TASK',
  'ESCALATIONS_PER_TASK',
  'PLACEMENTS_CANCELLED',
  'PLACEMENTS_CANCELLED_SHARE',
  'PREFERENCE_RANK',
  'PLACED_UNRANKED',
  'RUN_PREFERENCE_RANK',
  'RUN_PLACED_UNRANKED',
]);
