import { randomUUID } from 'node:crypto';
import { QualityAlertRaised } from '@medcollab/events';
import { type DataSource, type EntityManager } from 'typeorm';
import { breaches, watchedValue } from '../domain/alerts';
import { ALL_SCHOOLS, type Metric, REPORT_METRICS, teacherOf } from '../domain/metrics';
import { benchmarkMetrics } from '../domain/peers';
import { type PeriodKind } from '../domain/periods';
import { type CellDelta } from '../domain/cells';
import { flatten } from '../domain/report';
import { sliceReport } from '../domain/report-slice';
import { QualityAlertRule } from '../entities';
import { outbox } from '../outbox';
import { canonicalReport } from './snapshots';

/**
 * Evaluates every alert rule (a new rule against the figures already there; the worker does it
 * when a rule is created) against its institution's canonical reports (the same protection
 * as readers get) for every period of the rule's kind that has figures, and raises each alert
 * once: a new alert row and its QualityAlertRaised event commit together. Returns how many were raised.
 */
export async function evaluateAlertRules(ds: DataSource, k: number, now: Date): Promise<number> {
  const rules = await ds.getRepository(QualityAlertRule).find({ order: { createdAt: 'ASC' } });
  let raised = 0;
  for (const rule of rules) raised += await ds.transaction((em) => evaluateRule(em, rule, k, now));
  return raised;
}

/**
 * Evaluates the rules watching what one applied event changed (the institutions and periods of
 * its deltas), in the event's own transaction: an alert fires with the change that causes it,
 * not on a poll. Returns how many were raised.
 */
export async function evaluateAlertsOnChange(em: EntityManager, deltas: readonly CellDelta[], k: number, now: Date): Promise<number> {
  const touched = new Map<string, Set<string>>();
  for (const d of deltas)
    if (d.key.school === ALL_SCHOOLS && d.key.scopeKind === 'INSTITUTION')
      touched.set(d.key.scopeId, (touched.get(d.key.scopeId) ?? new Set()).add(`${d.key.periodKind}\u0001${d.key.periodId}`));
  if (!touched.size) return 0;
  const rules = await em
    .getRepository(QualityAlertRule)
    .createQueryBuilder('r')
    .where('r.institution_id = ANY(:ids)', { ids: [...touched.keys()] })
    .orderBy('r.created_at', 'ASC')
    .getMany();
  let raised = 0;
  for (const rule of rules) {
    const periods = [...(touched.get(rule.institutionId) ?? [])]
      .map((p) => p.split('\u0001'))
      .filter(([kind]) => kind === rule.periodKind)
      .map(([, id]) => id as string);
    if (periods.length) raised += await evaluateRule(em, rule, k, now, periods);
  }
  return raised;
}

/** Judges the rules watching a period whose published figures just changed (it was frozen or revised). */
export async function evaluateAlertsForPeriod(
  em: EntityManager,
  period: { kind: string; id: string },
  k: number,
  now: Date,
): Promise<number> {
  const rules = await em.getRepository(QualityAlertRule).find({ where: { periodKind: period.kind }, order: { createdAt: 'ASC' } });
  let raised = 0;
  for (const rule of rules) raised += await evaluateRule(em, rule, k, now, [period.id]);
  return raised;
}

/** Judges one rule (against every period of its kind with figures, or only `only`) and raises what fires, once. */
export async function evaluateRule(
  em: EntityManager,
  rule: QualityAlertRule,
  k: number,
  now: Date,
  only?: readonly string[],
): Promise<number> {
  const metrics = benchmarkMetrics(rule.metric as Metric);
  const periods = only
    ? only.map((period_id) => ({ period_id }))
    : ((await em.query(
        `SELECT DISTINCT period_id FROM rollup_cell
          WHERE school = $1 AND scope_kind = 'INSTITUTION' AND scope_id = $2 AND period_kind = $3 AND metric = $4`,
        [ALL_SCHOOLS, rule.institutionId, rule.periodKind, rule.metric],
      )) as { period_id: string }[]);
  let raised = 0;
  for (const { period_id: periodId } of periods) {
    const period = { kind: rule.periodKind as PeriodKind, id: periodId };
    const root = { kind: 'INSTITUTION' as const, id: rule.institutionId };
    // The published figures (a frozen period's latest revision): an alert never tells more than the report shows,
    // which is the slice of the hospital's table over every report metric (ADR 0048).
    const found = await canonicalReport(em, root, ALL_SCHOOLS, period, REPORT_METRICS, k);
    if (!found) continue;
    const report = sliceReport(found.report, metrics);
    for (const row of flatten(report).filter((r) => r.kind === rule.scopeKind)) {
      const value = watchedValue({ metric: rule.metric as Metric }, row);
      if (!breaches({ metric: rule.metric as Metric, direction: rule.direction as 'BELOW' | 'ABOVE', threshold: rule.threshold }, value))
        continue;
      const alertId = randomUUID();
      const inserted = (await em.query(
        `INSERT INTO quality_alert (id, rule_id, institution_id, scope_kind, scope_id, period_id, value, raised_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (rule_id, scope_id, period_id) DO NOTHING RETURNING id`,
        [alertId, rule.id, rule.institutionId, row.kind, row.id, periodId, value, now],
      )) as unknown[];
      if (!inserted.length) continue;
      const departmentId = row.kind === 'DEPARTMENT' ? row.id : row.kind === 'TEACHER' ? (row.id.split('/')[0] ?? null) : null;
      await outbox.append(em, QualityAlertRaised, alertId, {
        alertId,
        ruleId: rule.id,
        institutionId: rule.institutionId,
        metric: rule.metric,
        scopeKind: row.kind as 'INSTITUTION' | 'DEPARTMENT' | 'TEACHER',
        departmentId,
        teacherId: row.kind === 'TEACHER' ? teacherOf(row.id) : null,
        periodKind: period.kind,
        periodId,
        value,
        threshold: rule.threshold,
        direction: rule.direction as 'BELOW' | 'ABOVE',
        raisedAt: now.toISOString(),
      });
      raised++;
    }
  }
  return raised;
}
