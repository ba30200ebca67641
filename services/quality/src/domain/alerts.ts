import { type Figure, type ReportRow } from './report';
import { type Metric } from './metrics';
import { benchmarkMetrics } from './peers';

/**
 * When a rule fires: the watched figure of a scope is RELEASED (an alert never tells more than
 * the report shows) and lies strictly beyond the threshold. Rates (on time, late, declined,
 * expired, withdrawn, cancelled, open tasks; completed, cancelled placements) are shares 0–1
 * of their base; scores and days are means; other metrics are counts.
 */
export interface RuleSpec {
  metric: Metric;
  direction: 'BELOW' | 'ABOVE';
  threshold: number;
}

const MEANS: ReadonlySet<Metric> = new Set([
  'SITE_SCORE',
  'TEACHER_SCORE',
  'DAYS_TO_SUBMIT',
  'COMPETENCY_SCORE',
  'ENTRUSTMENT_LEVEL',
  'MEETINGS_PER_MENTEE',
]);

export function watchedValue(rule: Pick<RuleSpec, 'metric'>, row: ReportRow): number | null {
  const whole = (m: Metric): Figure | undefined => row.figures.find((f) => f.metric === m && f.item === null);
  const figure = whole(rule.metric);
  if (!figure?.released) return null;
  if (MEANS.has(rule.metric)) return figure.mean;
  const [, base] = benchmarkMetrics(rule.metric);
  if (!base) return figure.count;
  const of = whole(base);
  return of?.released && of.count ? (figure.count ?? 0) / of.count : null;
}

export const breaches = (rule: RuleSpec, value: number | null): value is number =>
  value !== null && (rule.direction === 'BELOW' ? value < rule.threshold : value > rule.threshold);
