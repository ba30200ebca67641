import { randomUUID } from 'node:crypto';
import { QualityAlertRaised } from '@medcollab/events';
import { type DataSource, type EntityManager } from 'typeorm';
import { breaches, watchedValue } from '../domain/alerts';
import { ALL_SCHOOLS, type Metric, teacherOf } from '../domain/metrics';
import { benchmarkMetrics } from '../domain/peers';
import { type PeriodKind } from '../domain/periods';
import { buildReport, flatten } from '../domain/report';
import { QualityAlertRule } from '../entities';
import { outbox } from '../outbox';
import { subtreeCells } from './cells';

/**
 * Evaluates every alert rule against its institution's canonical reports (the same protection
 * as readers get) for every period of the rule's kind that has figures, and raises each alert
 * once: a new alert row and its QualityAlertRaised event commit together. Returns how many were raised.
 */
export async function evaluateAlertRules(ds: DataSource, k: number, now: Date): Promise<number> {
  const rules = await ds.getRepository(QualityAlertRule).find({ order: { createdAt: 'ASC' } });
  let raised = 0;
  for (const rule of rules) raised += await ds.transaction((em) => evaluateRule(em, rule, k, now));
  return raised;
}

async function evaluateRule(em: EntityManager, rule: QualityAlertRule, k: number, now: Date): Promise<number> {
  const metrics = benchmarkMetrics(rule.metric as Metric);
  const periods = (await em.query(
    `SELECT DISTINCT period_id FROM rollup_cell
      WHERE school = $1 AND scope_kind = 'INSTITUTION' AND scope_id = $2 AND period_kind = $3 AND metric = $4`,
    [ALL_SCHOOLS, rule.institutionId, rule.periodKind, rule.metric],
  )) as { period_id: string }[];
  let raised = 0;
  for (const { period_id: periodId } of periods) {
    const period = { kind: rule.periodKind as PeriodKind, id: periodId };
    const root = { kind: 'INSTITUTION' as const, id: rule.institutionId };
    const report = buildReport(root, await subtreeCells(em, root, ALL_SCHOOLS, period, metrics), metrics, k);
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
